package dev.databases.internal.backend;

import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlHost;
import dev.databases.internal.url.UrlOptionException;
import dev.databases.internal.url.UrlParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.databases.internal.backend.TestUrls.jdbc;
import static dev.databases.internal.backend.TestUrls.r2dbc;
import static dev.databases.internal.backend.TestUrls.url;
import static dev.databases.internal.backend.TestUrls.withOtherHosts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * How the MySQL and MariaDB backends spell their URLs: both for r2dbc-mysql, each for its
 * own JDBC driver, and {@code r2dbc:mariadb} for r2dbc-mariadb.
 */
class MySqlBackendTests {

	@Test
	void eachDialectShouldHaveItsOwnBackendAndSql() {
		Backend mysql = Backend.of("mysql", "the test");
		Backend mariadb = Backend.of("MariaDB", "the test");
		assertThat(mysql).isInstanceOf(MySqlBackend.class);
		assertThat(mariadb).isInstanceOf(MySqlBackend.class).isNotSameAs(mysql);
		assertThat(mysql.sqlFamily()).isEqualTo(SqlFamily.MYSQL);
		assertThat(mariadb.sqlFamily()).isEqualTo(SqlFamily.MARIADB);
	}

	@ParameterizedTest
	@CsvSource({ "true, REQUIRED, trust", "false, DISABLED, disable", "prefer, PREFERRED, trust",
			"require, REQUIRED, trust", "verify-ca, VERIFY_CA, verify-ca",
			"verify-full, VERIFY_IDENTITY, verify-full" })
	void sslShouldBecomeEachDriversSslMode(String ssl, String connector, String mariadbJdbc) {
		assertThat(r2dbc(url("mysql", "h", "db", "ssl=" + ssl))).isEqualTo("r2dbc:mysql://h/db?sslMode=" + connector);
		assertThat(r2dbc(url("mariadb", "h", "db", "ssl=" + ssl))).isEqualTo("r2dbc:mysql://h/db?sslMode=" + connector);
		assertThat(jdbc(url("mysql", "h", "db", "ssl=" + ssl))).isEqualTo("jdbc:mysql://h/db?sslMode=" + connector);
		assertThat(jdbc(url("mariadb", "h", "db", "ssl=" + ssl)))
			.isEqualTo("jdbc:mariadb://h/db?sslMode=" + mariadbJdbc);
	}

	@Test
	void r2dbcUrlShouldKeepCredentialsAndDriverOptions() {
		UrlParts url = url("mysql+aiomysql", "root", "pw", "127.0.0.1", 3306, "test", "useServerPrepareStatement=true",
				"min_size=2");
		assertThat(r2dbc(url)).isEqualTo("r2dbc:mysql://root:pw@127.0.0.1:3306/test?useServerPrepareStatement=true");
		assertThat(jdbc(url)).isEqualTo("jdbc:mysql://127.0.0.1:3306/test?useServerPrepareStatement=true");
	}

	@Test
	void unixSocketShouldCountEvenBesideAHost() {
		assertThat(r2dbc(url("mysql", "h", "db", "unix_socket=/tmp/mysql.sock")))
			.isEqualTo("r2dbc:mysql://h/db?unixSocket=/tmp/mysql.sock");
	}

	@Test
	void aHostThatIsAPathShouldBecomeTheSocket() {
		assertThat(r2dbc(url("mariadb", "/run/mysqld/mysqld.sock", "db")))
			.isEqualTo("r2dbc:mysql:///db?unixSocket=/run/mysqld/mysqld.sock");
	}

	@Test
	void onlyMariadbsJdbcDriverShouldReachASocket() {
		assertThat(jdbc(url("mariadb", "/run/mysqld/mysqld.sock", "db")))
			.isEqualTo("jdbc:mariadb://localhost/db?localSocket=/run/mysqld/mysqld.sock");
		assertThatIllegalStateException().isThrownBy(() -> jdbc(url("mysql", "/run/mysqld/mysqld.sock", "db")))
			.withMessageStartingWith("No JDBC URL for mysql over a Unix socket");
	}

	@Test
	void r2dbcMysqlShouldKeepItsSchemeAndBeSpelledForR2dbcMysql() {
		assertThat(r2dbc(url("r2dbc:mysql", "h", "db", "ssl=verify-ca")))
			.isEqualTo("r2dbc:mysql://h/db?sslMode=VERIFY_CA");
	}

	@Test
	void r2dbcMariadbShouldBeSpelledForR2dbcMariadb() {
		UrlParts url = url("r2dbc:mariadb", "h", "db", "ssl=true", "unix_sock=/tmp/x");
		assertThat(r2dbc(url)).isEqualTo("r2dbc:mariadb://h/db?unix_sock=/tmp/x&ssl=true");
		assertThat(jdbc(url("r2dbc:mariadb", "h", "db", "ssl=true"))).isEqualTo("jdbc:mariadb://h/db?sslMode=trust");
	}

	@Test
	void r2dbcMariadbShouldTakeOnlyTrueOrFalseForSsl() {
		UrlParts url = url("r2dbc:mariadb", "h", "db");
		assertThatNoException().isThrownBy(() -> Backend.of("mariadb", "the test").checkSsl(url, SslMode.REQUIRE));
		assertThatExceptionOfType(UrlOptionException.class)
			.isThrownBy(() -> Backend.of("mariadb", "the test").checkSsl(url, SslMode.VERIFY_FULL))
			.satisfies((ex) -> assertThat(ex.option()).isEqualTo("ssl"))
			.withMessageStartingWith("Option ssl=verify-full is not supported for r2dbc:mariadb URLs");
		assertThatNoException().isThrownBy(() -> Backend.of("mariadb", "the test").checkSsl(url("mariadb", "h", "db"),
				SslMode.VERIFY_FULL));
	}

	@Test
	void severalHostsShouldBeRefusedForR2dbcMysqlButPassedToR2dbcMariadb() {
		UrlParts mysql = withOtherHosts(url("mysql", "h1", "db"), new UrlHost("h2", 3307));
		assertThatIllegalArgumentException().isThrownBy(() -> new MySqlBackend(false).check(mysql))
			.withMessage("Invalid mysql URL: it names 2 hosts, but r2dbc-mysql connects to one server only; give one "
					+ "host (a proxy such as MaxScale or ProxySQL can stand for several servers)");
		UrlParts mariadbDriver = withOtherHosts(url("r2dbc:mariadb", "h1", "db"), new UrlHost("h2", 3307));
		assertThatNoException().isThrownBy(() -> new MySqlBackend(true).check(mariadbDriver));
		assertThat(r2dbc(mariadbDriver)).isEqualTo("r2dbc:mariadb://h1,h2:3307/db");
	}

}

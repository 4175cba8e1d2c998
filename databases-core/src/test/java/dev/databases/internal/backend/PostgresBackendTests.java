package dev.databases.internal.backend;

import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.TargetServerType;
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

/** How PostgreSQL's backend spells its URLs for r2dbc-postgresql and pgjdbc. */
class PostgresBackendTests {

	private final PostgresBackend backend = new PostgresBackend();

	@Test
	void bothSchemesShouldLeadToThisBackend() {
		assertThat(UrlSpelling.of(Schemes.read("postgres").dialect())).isInstanceOf(PostgresBackend.class);
		assertThat(Schemes.read("postgresql+asyncpg").dialect()).isEqualTo("postgresql");
		assertThat(this.backend.sqlFamily()).isEqualTo(SqlFamily.POSTGRESQL);
	}

	@Test
	void r2dbcUrlShouldKeepCredentialsAndDriverOptionsAndDropTheLibrarysOwn() {
		UrlParts url = url("postgresql", "user", "p@ss", "db.example", 5433, "app", "applicationName=notes",
				"max_size=5", "connect_timeout=3s");
		assertThat(this.backend.toR2dbcUrl(url))
			.isEqualTo("r2dbc:postgresql://user:p%40ss@db.example:5433/app?applicationName=notes");
	}

	@ParameterizedTest
	@CsvSource({ "true, require", "false, disable", "prefer, prefer", "verify-ca, verify-ca",
			"VERIFY_FULL, verify-full" })
	void sslShouldBecomeSslModeInLibpqsNames(String ssl, String mode) {
		UrlParts url = url("postgres", "h", "db", "ssl=" + ssl);
		assertThat(r2dbc(url)).isEqualTo("r2dbc:postgresql://h/db?sslMode=" + mode);
		assertThat(jdbc(url)).isEqualTo("jdbc:postgresql://h/db?sslmode=" + mode);
	}

	@Test
	void everySslModeShouldBeAccepted() {
		UrlParts url = url("postgresql", "h", "db");
		for (SslMode mode : SslMode.values()) {
			assertThatNoException().isThrownBy(() -> this.backend.checkSsl(url, mode));
		}
	}

	@Test
	void aSocketDirectoryShouldBecomeTheSocketFileForThePort() {
		assertThat(r2dbc(url("postgresql", "u", null, "/var/run/postgresql/", 5433, "db")))
			.isEqualTo("r2dbc:postgresql://u@:5433/db?socket=/var/run/postgresql/.s.PGSQL.5433");
		assertThat(r2dbc(url("postgresql", null, "db", "host=/tmp")))
			.isEqualTo("r2dbc:postgresql:///db?socket=/tmp/.s.PGSQL.5432");
	}

	@Test
	void aSocketFileShouldBeKeptAsItIs() {
		assertThat(r2dbc(url("postgresql", null, "db", "unix_sock=/s/.s.PGSQL.6000", "x=1")))
			.isEqualTo("r2dbc:postgresql:///db?x=1&socket=/s/.s.PGSQL.6000");
	}

	@Test
	void aHostOptionThatIsNoPathShouldBecomeTheHost() {
		assertThat(r2dbc(url("postgresql", null, "db", "host=replica"))).isEqualTo("r2dbc:postgresql://replica/db");
		assertThat(jdbc(url("postgresql", null, "db", "host=replica"))).isEqualTo("jdbc:postgresql://replica/db");
	}

	@Test
	void anR2dbcUrlShouldKeepItsSchemeAndStillBeSpelledForTheDriver() {
		assertThat(r2dbc(url("r2dbc:pool:postgresql", "h", "db", "ssl=verify-ca", "initialSize=2")))
			.isEqualTo("r2dbc:pool:postgresql://h/db?initialSize=2&sslMode=verify-ca");
	}

	@Test
	void jdbcUrlShouldLeaveCredentialsOutAndDefaultToLocalhost() {
		assertThat(jdbc(url("postgresql", "user", "secret", null, 5432, "db")))
			.isEqualTo("jdbc:postgresql://localhost:5432/db");
	}

	@Test
	void jdbcUrlOverASocketShouldFailSayingWhy() {
		assertThatIllegalStateException().isThrownBy(() -> jdbc(url("postgresql", "/var/run/postgresql", "db")))
			.withMessage("No JDBC URL for postgresql over a Unix socket: its JDBC driver needs an extra socket "
					+ "factory; connect the JDBC tool through TCP");
	}

	@Test
	void severalHostsShouldBeTheDriversFailoverProtocolAndPgjdbcsList() {
		UrlParts pair = withOtherHosts(url("postgresql", "u", "pw", "h1", 5434, "db", "target_server_type=primary"),
				new UrlHost("h2", 5435), new UrlHost("h3", null));
		assertThat(r2dbc(pair))
			.isEqualTo("r2dbc:postgresql:failover://u:pw@h1:5434,h2:5435,h3/db?targetServerType=primary");
		assertThat(jdbc(pair)).isEqualTo("jdbc:postgresql://h1:5434,h2:5435,h3/db?targetServerType=primary");
	}

	@ParameterizedTest
	@CsvSource({ "ANY, any", "PRIMARY, primary", "STANDBY, secondary", "PREFER_STANDBY, preferSecondary" })
	void everyTargetServerTypeShouldHaveTheDriversName(TargetServerType target, String spelled) {
		UrlParts pair = withOtherHosts(url("postgresql", "h1", "db", "target_server_type=" + target),
				new UrlHost("h2", null));
		assertThatNoException().isThrownBy(() -> this.backend.checkTargetServerType(pair, target));
		assertThat(r2dbc(pair)).isEqualTo("r2dbc:postgresql:failover://h1,h2/db?targetServerType=" + spelled);
	}

	@Test
	void targetServerTypeShouldNeedSeveralHosts() {
		assertThatExceptionOfType(UrlOptionException.class)
			.isThrownBy(() -> this.backend.checkTargetServerType(url("postgresql", "h", "db"), TargetServerType.STANDBY))
			.withMessage("Option target_server_type chooses among several hosts: name them all, as in "
					+ "postgresql://h1:5432,h2:5433/db?target_server_type=standby");
	}

	@Test
	void oneHostShouldStayThePlainProtocol() {
		assertThat(r2dbc(url("postgresql", "h1", "db"))).isEqualTo("r2dbc:postgresql://h1/db");
		assertThatNoException().isThrownBy(() -> this.backend.check(url("postgresql", "[::1]", "db")));
	}

	@Test
	void anIpv6AddressInAListShouldBeRefused() {
		UrlParts url = withOtherHosts(url("postgresql", "h1", "db"), new UrlHost("::1", 5433));
		assertThatIllegalArgumentException().isThrownBy(() -> this.backend.check(url))
			.withMessageContaining("cannot take the IPv6 address [::1] in a list of hosts");
	}

}

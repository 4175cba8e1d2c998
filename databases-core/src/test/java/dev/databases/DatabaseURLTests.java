package dev.databases;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link DatabaseURL}. The first group ports every case of Python's
 * {@code tests/test_database_url.py}; each test names the Python test it ports.
 */
class DatabaseURLTests {

	private static final String PASSWORD = "s3cr3t-Pa55";

	@Nested
	class PortedFromPython {

		// Python: test_database_url_repr
		@Test
		void toStringWhenNoPasswordShouldBeTheUrl() {
			assertThat(DatabaseURL.parse("postgresql://localhost/name")).hasToString("postgresql://localhost/name");
			assertThat(DatabaseURL.parse("postgresql://username@localhost/name"))
				.hasToString("postgresql://username@localhost/name");
		}

		// Python: test_database_url_repr
		@Test
		void toStringWhenPasswordShouldMaskIt() {
			assertThat(DatabaseURL.parse("postgresql://username:password@localhost/name"))
				.hasToString("postgresql://username:********@localhost/name");
			// quote('[password') is %5Bpassword
			assertThat(DatabaseURL.parse("postgresql://username:%5Bpassword@localhost/name"))
				.hasToString("postgresql://username:********@localhost/name");
		}

		// Python: test_database_url_properties
		@Test
		void accessorsShouldGiveEachPart() {
			DatabaseURL url = DatabaseURL.parse("postgresql+asyncpg://username:password@localhost:123/mydatabase");
			assertThat(url.dialect()).isEqualTo("postgresql");
			assertThat(url.driver()).isEqualTo("asyncpg");
			assertThat(url.username()).isEqualTo("username");
			assertThat(url.password()).isEqualTo("password");
			assertThat(url.hostname()).isEqualTo("localhost");
			assertThat(url.port()).isEqualTo(123);
			assertThat(url.database()).isEqualTo("mydatabase");
		}

		// Python: test_database_url_properties
		@Test
		void hostnameWhenHostOptionShouldBeTheSocketPath() {
			DatabaseURL url = DatabaseURL
				.parse("postgresql://username:password@/mydatabase?host=/var/run/postgresql/.s.PGSQL.5432");
			assertThat(url.hostname()).isEqualTo("/var/run/postgresql/.s.PGSQL.5432");
		}

		// Python: test_database_url_properties
		@Test
		void hostnameWhenUnixSockOptionShouldBeTheSocketPath() {
			DatabaseURL url = DatabaseURL
				.parse("postgresql://username:password@/mydatabase?unix_sock=/var/run/postgresql/.s.PGSQL.5432");
			assertThat(url.hostname()).isEqualTo("/var/run/postgresql/.s.PGSQL.5432");
		}

		// Python: test_database_url_escape
		@Test
		void passwordWhenPercentEncodedShouldBeDecodedAndSurviveAReparse() {
			DatabaseURL url = DatabaseURL.parse("postgresql://username:%5Bpassword@localhost/mydatabase");
			assertThat(url.username()).isEqualTo("username");
			assertThat(url.password()).isEqualTo("[password");
			// Python's userinfo stays encoded: b"username:%5Bpassword"
			assertThat(url.toUnmaskedString()).contains("//username:%5Bpassword@");
			DatabaseURL copy = DatabaseURL.parse(url.toUnmaskedString());
			assertThat(copy.password()).isEqualTo("[password");
			assertThat(copy).isEqualTo(url);
		}

		// Python: test_database_url_constructor
		@Test
		void parseWhenNotAStringShouldFailAndAReparseShouldBeEqual() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse(null))
				.withMessage("Database URL must not be null");
			DatabaseURL url = DatabaseURL.parse("postgresql+asyncpg://username:password@localhost:123/mydatabase");
			DatabaseURL copy = DatabaseURL.parse(url.toUnmaskedString());
			assertThat(copy).isEqualTo(url).hasSameHashCodeAs(url);
		}

		// Python: test_database_url_options
		@Test
		void optionsShouldBeStrings() {
			assertThat(DatabaseURL.parse("postgresql://localhost/mydatabase?pool_size=20&ssl=true").options())
				.containsExactly(entry("pool_size", "20"), entry("ssl", "true"));
			assertThat(DatabaseURL.parse("mysql:///mydatabase?unix_socket=/tmp/mysqld/mysqld.sock").options())
				.containsExactly(entry("unix_socket", "/tmp/mysqld/mysqld.sock"));
		}

		// Python: test_replace_database_url_components
		@Test
		void withDatabaseShouldReplaceTheDatabase() {
			DatabaseURL url = DatabaseURL.parse("postgresql://localhost/mydatabase");
			assertThat(url.database()).isEqualTo("mydatabase");
			DatabaseURL copy = url.withDatabase("test_" + url.database());
			assertThat(copy.database()).isEqualTo("test_mydatabase");
			assertThat(copy).hasToString("postgresql://localhost/test_mydatabase");
		}

		// Python: test_replace_database_url_components
		@Test
		void withDriverShouldAddTheDriver() {
			DatabaseURL url = DatabaseURL.parse("postgresql://localhost/mydatabase");
			assertThat(url.driver()).isNull();
			DatabaseURL copy = url.withDriver("asyncpg");
			assertThat(copy.driver()).isEqualTo("asyncpg");
			assertThat(copy).hasToString("postgresql+asyncpg://localhost/mydatabase");
		}

		// Python: test_replace_database_url_components
		@Test
		void withPortShouldAddThePort() {
			DatabaseURL url = DatabaseURL.parse("postgresql://localhost/mydatabase");
			assertThat(url.port()).isNull();
			DatabaseURL copy = url.withPort(123);
			assertThat(copy.port()).isEqualTo(123);
			assertThat(copy).hasToString("postgresql://localhost:123/mydatabase");
			assertThat(url.username()).isNull();
			assertThat(url.password()).isNull();
		}

		// Python: test_replace_database_url_components
		@Test
		void withDatabaseWhenSqliteShouldKeepThreeSlashes() {
			DatabaseURL url = DatabaseURL.parse("sqlite:///mydatabase");
			assertThat(url.database()).isEqualTo("mydatabase");
			DatabaseURL copy = url.withDatabase("test_" + url.database());
			assertThat(copy.database()).isEqualTo("test_mydatabase");
			assertThat(copy).hasToString("sqlite:///test_mydatabase");
		}

		// Python: test_replace_database_url_components
		@Test
		void withDatabaseWhenSqliteAbsolutePathShouldKeepFourSlashes() {
			DatabaseURL url = DatabaseURL.parse("sqlite:////absolute/path");
			assertThat(url.database()).isEqualTo("/absolute/path");
			DatabaseURL copy = url.withDatabase(url.database() + "_test");
			assertThat(copy.database()).isEqualTo("/absolute/path_test");
			assertThat(copy).hasToString("sqlite:////absolute/path_test");
		}

	}

	@Nested
	class Parsing {

		@Test
		void parseWhenPostgresShouldKeepTheSchemeAndNormaliseTheDialect() {
			DatabaseURL url = DatabaseURL.parse("postgres://localhost/db");
			assertThat(url.scheme()).isEqualTo("postgres");
			assertThat(url.dialect()).isEqualTo("postgresql");
			assertThat(url).hasToString("postgres://localhost/db");
		}

		@Test
		void parseWhenSchemeInUpperCaseShouldReadItInLowerCase() {
			DatabaseURL url = DatabaseURL.parse("PostgreSQL+AsyncPG://localhost/db");
			assertThat(url.scheme()).isEqualTo("postgresql+asyncpg");
			assertThat(url.dialect()).isEqualTo("postgresql");
			assertThat(url.driver()).isEqualTo("asyncpg");
		}

		@Test
		void parseWhenSurroundedByWhiteSpaceShouldIgnoreIt() {
			assertThat(DatabaseURL.parse("  mysql://localhost/db\n")).isEqualTo(DatabaseURL.parse("mysql://localhost/db"));
		}

		@ParameterizedTest
		@CsvSource({ "mysql://u@h/db, mysql, mysql", "mariadb://u@h/db, mariadb, mariadb",
				"mysql+asyncmy://u@h/db, mysql+asyncmy, mysql", "sqlite:///x.db, sqlite, sqlite",
				"sqlite+aiosqlite:///x.db, sqlite+aiosqlite, sqlite", "h2:mem:///x, h2:mem, h2" })
		void parseShouldGiveSchemeAndDialect(String text, String scheme, String dialect) {
			DatabaseURL url = DatabaseURL.parse(text);
			assertThat(url.scheme()).isEqualTo(scheme);
			assertThat(url.dialect()).isEqualTo(dialect);
		}

		@Test
		void parseWhenDriverIsAnythingShouldKeepIt() {
			assertThat(DatabaseURL.parse("postgresql+psycopg://h/db").driver()).isEqualTo("psycopg");
			assertThat(DatabaseURL.parse("mariadb+whatever-1.2://h/db").driver()).isEqualTo("whatever-1.2");
		}

		@Test
		void parseWhenSqliteRelativeShouldGiveARelativePath() {
			DatabaseURL url = DatabaseURL.parse("sqlite:///relative.db");
			assertThat(url.database()).isEqualTo("relative.db");
			assertThat(url.isInMemory()).isFalse();
		}

		@Test
		void parseWhenSqliteAbsoluteShouldGiveAnAbsolutePath() {
			DatabaseURL url = DatabaseURL.parse("sqlite:////absolute.db");
			assertThat(url.database()).isEqualTo("/absolute.db");
			assertThat(url.isInMemory()).isFalse();
		}

		@ParameterizedTest
		@ValueSource(strings = { "sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite:///file::memory:?cache=shared",
				"sqlite:///shared?mode=memory&cache=shared" })
		void parseWhenSqliteInMemoryShouldSaySo(String text) {
			assertThat(DatabaseURL.parse(text).isInMemory()).isTrue();
		}

		@Test
		void parseWhenSqliteEmptyShouldHaveNoDatabase() {
			DatabaseURL url = DatabaseURL.parse("sqlite://");
			assertThat(url.database()).isNull();
			assertThat(url).hasToString("sqlite://");
		}

		@Test
		void parseWhenSqliteSharedMemoryShouldKeepTheFileNameAndOptions() {
			DatabaseURL url = DatabaseURL.parse("sqlite:///file::memory:?cache=shared");
			assertThat(url.database()).isEqualTo("file::memory:");
			assertThat(url.options()).containsExactly(entry("cache", "shared"));
		}

		@Test
		void parseWhenH2MemShouldGiveTheNameAndProtocol() {
			DatabaseURL url = DatabaseURL.parse("h2:mem:///name");
			assertThat(url.dialect()).isEqualTo("h2");
			assertThat(url.protocol()).isEqualTo("mem");
			assertThat(url.database()).isEqualTo("name");
			assertThat(url.isInMemory()).isTrue();
			assertThat(url).hasToString("h2:mem:///name");
		}

		@Test
		void parseWhenH2FileRelativeShouldGiveARelativePath() {
			DatabaseURL url = DatabaseURL.parse("h2:file:///relative/path");
			assertThat(url.protocol()).isEqualTo("file");
			assertThat(url.database()).isEqualTo("relative/path");
			assertThat(url.isInMemory()).isFalse();
		}

		@Test
		void parseWhenH2FileAbsoluteShouldGiveAnAbsolutePath() {
			DatabaseURL url = DatabaseURL.parse("h2:file:////abs/path");
			assertThat(url.database()).isEqualTo("/abs/path");
			assertThat(url).hasToString("h2:file:////abs/path");
		}

		@Test
		void parseWhenH2WithCredentialsShouldKeepThem() {
			DatabaseURL url = DatabaseURL.parse("h2:mem://sa:pw@/name");
			assertThat(url.username()).isEqualTo("sa");
			assertThat(url.password()).isEqualTo("pw");
			assertThat(url.hostname()).isNull();
			assertThat(url).hasToString("h2:mem://sa:********@/name");
		}

		@Test
		void parseWhenR2dbcShouldTakeTheDialectFromTheDriver() {
			DatabaseURL url = DatabaseURL.parse("r2dbc:postgresql://u:p@h:5432/db?sslMode=require");
			assertThat(url.scheme()).isEqualTo("r2dbc:postgresql");
			assertThat(url.dialect()).isEqualTo("postgresql");
			assertThat(url.driver()).isNull();
			assertThat(url.protocol()).isNull();
			assertThat(url.options()).containsExactly(entry("sslMode", "require"));
		}

		@Test
		void parseWhenR2dbcPoolShouldTakeTheDialectFromThePooledDriver() {
			DatabaseURL url = DatabaseURL.parse("r2dbc:pool:postgres://h/db");
			assertThat(url.dialect()).isEqualTo("postgresql");
			assertThat(url.protocol()).isEqualTo("postgres");
		}

		@Test
		void parseWhenR2dbcH2ShouldGiveTheProtocol() {
			DatabaseURL url = DatabaseURL.parse("r2dbc:h2:mem:///test");
			assertThat(url.dialect()).isEqualTo("h2");
			assertThat(url.protocol()).isEqualTo("mem");
			assertThat(url.isInMemory()).isTrue();
		}

		@Test
		void parseWhenR2dbcUnknownDriverShouldKeepItsName() {
			DatabaseURL url = DatabaseURL.parse("r2dbc:mssql://sa@h:1433/db");
			assertThat(url.dialect()).isEqualTo("mssql");
			assertThat(url.isInMemory()).isFalse();
		}

		@Test
		void parseWhenIpv6HostShouldDropTheBrackets() {
			DatabaseURL url = DatabaseURL.parse("postgresql://u@[::1]:5433/db");
			assertThat(url.hostname()).isEqualTo("::1");
			assertThat(url.port()).isEqualTo(5433);
			assertThat(url).hasToString("postgresql://u@[::1]:5433/db");
		}

		@Test
		void parseWhenHostIsPercentEncodedPathShouldDecodeIt() {
			assertThat(DatabaseURL.parse("postgresql://%2Fvar%2Frun%2Fpostgresql/db").hostname())
				.isEqualTo("/var/run/postgresql");
		}

		@Test
		void parseWhenHostIsWrittenShouldWinOverTheHostOption() {
			assertThat(DatabaseURL.parse("postgresql://db.example.com/db?host=/tmp").hostname())
				.isEqualTo("db.example.com");
		}

		@Test
		void parseWhenUnixSocketOptionShouldNotBeTheHostname() {
			// As observed in Python: only host and unix_sock stand in for the host.
			assertThat(DatabaseURL.parse("mysql:///db?unix_socket=/tmp/mysqld.sock").hostname()).isNull();
		}

		@Test
		void parseShouldPercentDecodeUserPasswordAndDatabase() {
			DatabaseURL url = DatabaseURL.parse("postgresql://us%40er:p%40ss%23w@h/my%20db");
			assertThat(url.username()).isEqualTo("us@er");
			assertThat(url.password()).isEqualTo("p@ss#w");
			assertThat(url.database()).isEqualTo("my db");
		}

		@Test
		void parseWhenPlusOutsideTheQueryShouldKeepIt() {
			DatabaseURL url = DatabaseURL.parse("postgresql://u+1:p+w@h/d+b?application_name=my+app");
			assertThat(url.username()).isEqualTo("u+1");
			assertThat(url.password()).isEqualTo("p+w");
			assertThat(url.database()).isEqualTo("d+b");
			assertThat(url.options()).containsEntry("application_name", "my app");
		}

		@Test
		void parseWhenUnencodedAtInPasswordShouldSplitAtTheLastAt() {
			DatabaseURL url = DatabaseURL.parse("postgresql://user:p@ss@localhost/db");
			assertThat(url.password()).isEqualTo("p@ss");
			assertThat(url.hostname()).isEqualTo("localhost");
		}

		@Test
		void parseWhenNonAsciiShouldKeepIt() {
			DatabaseURL url = DatabaseURL.parse("postgresql://jürgen:pässwörd@h/датабаза");
			assertThat(url.username()).isEqualTo("jürgen");
			assertThat(url.password()).isEqualTo("pässwörd");
			assertThat(url.database()).isEqualTo("датабаза");
			assertThat(DatabaseURL.parse(url.toUnmaskedString())).isEqualTo(url);
		}

		@Test
		void parseWhenEmptyPasswordShouldKeepIt() {
			DatabaseURL url = DatabaseURL.parse("postgresql://user:@h/db");
			assertThat(url.password()).isEmpty();
			assertThat(url.toUnmaskedString()).isEqualTo("postgresql://user:@h/db");
		}

		@Test
		void parseWhenOnlyAtShouldHaveNoUser() {
			DatabaseURL url = DatabaseURL.parse("postgresql://@h/db");
			assertThat(url.username()).isNull();
			assertThat(url).isEqualTo(DatabaseURL.parse("postgresql://h/db"));
		}

		@Test
		void parseWhenOnlyPasswordShouldHaveAnEmptyUser() {
			DatabaseURL url = DatabaseURL.parse("postgresql://:pw@h/db");
			assertThat(url.username()).isEmpty();
			assertThat(url.password()).isEqualTo("pw");
		}

		@Test
		void parseWhenEmptyPortShouldHaveNoPort() {
			assertThat(DatabaseURL.parse("postgresql://h:/db").port()).isNull();
		}

		@Test
		void parseWhenNoPathShouldHaveNoDatabase() {
			DatabaseURL url = DatabaseURL.parse("postgresql://h?application_name=x");
			assertThat(url.database()).isNull();
			assertThat(url.hostname()).isEqualTo("h");
			assertThat(url.options()).containsExactly(entry("application_name", "x"));
		}

		@Test
		void optionsWhenRepeatedShouldKeepTheLast() {
			assertThat(DatabaseURL.parse("postgresql://h/db?a=1&b=2&a=3").options())
				.containsExactly(entry("a", "3"), entry("b", "2"));
		}

		@Test
		void optionsWhenBlankOrWithoutValueShouldBeLeftOut() {
			assertThat(DatabaseURL.parse("postgresql://h/db?ssl=&flag&=x&&a=1").options())
				.containsExactly(entry("a", "1"));
		}

		@Test
		void optionsWhenEncodedShouldBeDecoded() {
			assertThat(DatabaseURL.parse("postgresql://h/db?opt%3D1=a%26b%3Dc").options())
				.containsExactly(entry("opt=1", "a&b=c"));
		}

		@Test
		void optionsShouldBeUnmodifiable() {
			Map<String, String> options = DatabaseURL.parse("postgresql://h/db?a=1").options();
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> options.put("b", "2"));
		}

		@Test
		void parseWhenValueInTheQueryContainsSlashesAndQuestionMarksShouldKeepThem() {
			assertThat(DatabaseURL.parse("postgresql://h/db?options=a/b?c").options())
				.containsExactly(entry("options", "a/b?c"));
		}

	}

	/** {@code postgresql://h1:5432,h2:5433/db}: several servers to try, for failover. */
	@Nested
	class SeveralHosts {

		@Test
		void parseShouldKeepEveryHostInOrderAndTheFirstAsHostnameAndPort() {
			DatabaseURL url = DatabaseURL.parse("postgresql://u:pw@h1:5432,h2,h3:5434/db?target_server_type=primary");
			assertThat(url.hosts()).containsExactly(new DatabaseHost("h1", 5432), new DatabaseHost("h2", null),
					new DatabaseHost("h3", 5434));
			assertThat(url.hostname()).isEqualTo("h1");
			assertThat(url.port()).isEqualTo(5432);
			assertThat(url.username()).isEqualTo("u");
			assertThat(url.password()).isEqualTo("pw");
			assertThat(url.database()).isEqualTo("db");
		}

		@Test
		void parseShouldReadIpv6AddressesInBracketsInAList() {
			// r2dbc-postgresql refuses them in a list; another driver's R2DBC URL keeps them.
			DatabaseURL url = DatabaseURL.parse("r2dbc:mssql://[::1]:1433,[fe80::1%25eth0],h:1434/db");
			assertThat(url.hosts()).containsExactly(new DatabaseHost("::1", 1433),
					new DatabaseHost("fe80::1%eth0", null), new DatabaseHost("h", 1434));
			assertThat(url).hasToString("r2dbc:mssql://[::1]:1433,[fe80::1%25eth0],h:1434/db");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:mssql://[::1]:1433,[fe80::1%25eth0],h:1434/db");
		}

		@Test
		void hostsShouldBeOneForOneServerAndNoneWithoutAHost() {
			assertThat(DatabaseURL.parse("postgresql://h:5432/db").hosts()).containsExactly(new DatabaseHost("h", 5432));
			assertThat(DatabaseURL.parse("postgresql:///db?host=/tmp").hosts()).isEmpty();
			assertThat(DatabaseURL.parse("sqlite:///x.db").hosts()).isEmpty();
		}

		@Test
		void hostsShouldBeUnmodifiable() {
			List<DatabaseHost> hosts = DatabaseURL.parse("postgresql://h1,h2/db").hosts();
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> hosts.add(new DatabaseHost("h3", null)));
		}

		@Test
		void toStringShouldWriteEveryHostAndMaskThePassword() {
			String written = "postgresql://u:pw@h1:5432,h2:5433/db?target_server_type=primary";
			DatabaseURL url = DatabaseURL.parse(written);
			assertThat(url).hasToString("postgresql://u:********@h1:5432,h2:5433/db?target_server_type=primary");
			assertThat(url.toUnmaskedString()).isEqualTo(written);
			assertThat(DatabaseURL.parse(url.toUnmaskedString())).isEqualTo(url);
		}

		@Test
		void anEncodedCommaShouldStayInOneHost() {
			DatabaseURL url = DatabaseURL.parse("postgresql://a%2Cb:1/db");
			assertThat(url.hosts()).containsExactly(new DatabaseHost("a,b", 1));
			assertThat(url).hasToString("postgresql://a%2Cb:1/db");
		}

		@Test
		void hostsShouldTakePartInEquality() {
			assertThat(DatabaseURL.parse("postgresql://h1,h2/db")).isNotEqualTo(DatabaseURL.parse("postgresql://h1/db"))
				.isNotEqualTo(DatabaseURL.parse("postgresql://h2,h1/db"))
				.isEqualTo(DatabaseURL.parse("postgresql://h1,h2/db"));
		}

		@Test
		void copiesShouldKeepTheOtherHosts() {
			DatabaseURL url = DatabaseURL.parse("postgresql://h1:5432,h2:5433/db");
			assertThat(url.withHostname("h0").withPort(6000).withDatabase("other").withOption("ssl", "require"))
				.hasToString("postgresql://h0:6000,h2:5433/other?ssl=require");
			assertThat(url.withUsername("u").withPassword("p").withScheme("postgres").toUnmaskedString())
				.isEqualTo("postgres://u:p@h1:5432,h2:5433/db");
		}

		@Test
		void withHostsShouldReplaceThemAll() {
			DatabaseURL url = DatabaseURL.parse("postgresql://u@h/db");
			DatabaseURL pair = url.withHosts(List.of(new DatabaseHost("a", 1), new DatabaseHost("b", 2)));
			assertThat(pair).hasToString("postgresql://u@a:1,b:2/db");
			assertThat(pair.withHosts(List.of(new DatabaseHost("c", null)))).hasToString("postgresql://u@c/db");
			assertThat(pair.withHosts(List.of())).hasToString("postgresql://u@/db");
		}

		@Test
		void hostShouldBeWrittenAsInAUrl() {
			assertThat(new DatabaseHost("h", 5432)).hasToString("h:5432");
			assertThat(new DatabaseHost("::1", null)).hasToString("[::1]");
			assertThatIllegalArgumentException().isThrownBy(() -> new DatabaseHost("", 1))
				.withMessage("A host of a database URL must have a name");
			assertThatIllegalArgumentException().isThrownBy(() -> new DatabaseHost("h", 0))
				.withMessage("Invalid port 0 in database URL: expected a number from 1 to 65535");
		}

		@ParameterizedTest
		@ValueSource(strings = { "postgresql://h1,,h2/db", "postgresql://h1,/db", "postgresql://,h2/db",
				"postgresql://:5432,h2/db", "postgresql://u:pw@h1,:5433/db" })
		void aHostWithoutANameInAListShouldFail(String url) {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse(url))
				.withMessage("Invalid database URL: every host in a comma-separated list of hosts needs a name, as in "
						+ "postgresql://h1:5432,h2:5433/db");
		}

		@Test
		void removingTheFirstOfSeveralHostsShouldFail() {
			DatabaseURL url = DatabaseURL.parse("postgresql://h1,h2/db");
			assertThatIllegalArgumentException().isThrownBy(() -> url.withHostname(null))
				.withMessage("Invalid database URL: the first of several hosts has no name; give each a name, as in "
						+ "postgresql://h1:5432,h2:5433/db");
		}

		@Test
		void aBadPortOfAnyHostShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://h1:5432,h2:99999/db"))
				.withMessageStartingWith("Invalid port in database URL: expected a number from 1 to 65535");
		}

		@ParameterizedTest
		@ValueSource(strings = { "mysql://h1:3306,h2:3307/db", "mariadb://h1,h2/db", "r2dbc:mysql://h1,h2/db" })
		void mysqlAndMariadbShouldRefuseSeveralHosts(String url) {
			String scheme = url.substring(0, url.indexOf("://"));
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse(url))
				.withMessage("Invalid " + scheme + " URL: it names 2 hosts, but r2dbc-mysql connects to one server "
						+ "only; give one host (a proxy such as MaxScale or ProxySQL can stand for several servers)");
		}

		@Test
		void embeddedDatabasesShouldRefuseHosts() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("sqlite://h1,h2/x.db"))
				.withMessageStartingWith("Invalid sqlite URL: SQLite has no host or port (found host 'h1')");
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("h2:mem://h1,h2/x"))
				.withMessageStartingWith("Invalid h2 URL: an embedded H2 database has no host or port (found host 'h1')");
		}

		@Test
		void postgresqlShouldRefuseAnIpv6AddressOrASocketInAList() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://h1,[::1]:5433/db"))
				.withMessage("Invalid postgresql URL: r2dbc-postgresql cannot take the IPv6 address [::1] in a list "
						+ "of hosts (it splits each host at its ':'); give that server a host name");
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://%2Ftmp,h2/db"))
				.withMessage("Invalid postgresql URL: a Unix socket cannot be one of several hosts; r2dbc-postgresql "
						+ "tries several servers over TCP only");
		}

		@Test
		void anR2dbcPostgresqlUrlWithSeveralHostsShouldNameTheFailoverProtocol() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("r2dbc:postgresql://h1,h2/db"))
				.withMessageStartingWith("Invalid r2dbc:postgresql URL: r2dbc-postgresql takes several hosts only with "
						+ "its failover protocol; write r2dbc:postgresql:failover://h1:5432,h2:5433/db");
			assertThat(DatabaseURL.parse("r2dbc:postgresql:failover://u@h1:1,h2:2/db?target_server_type=standby")
				.toR2dbcUrl()).isEqualTo("r2dbc:postgresql:failover://u@h1:1,h2:2/db?targetServerType=secondary");
			assertThat(DatabaseURL.parse("r2dbc:pool:postgresql:failover://h1,h2/db").toR2dbcUrl())
				.isEqualTo("r2dbc:pool:postgresql:failover://h1,h2/db");
		}

		@ParameterizedTest
		@CsvSource({ "any, any", "primary, primary", "standby, secondary", "prefer-standby, preferSecondary",
				"PREFER_STANDBY, preferSecondary", "' Primary ', primary" })
		void targetServerTypeShouldBeSpelledForBothPostgresqlDrivers(String value, String spelled) {
			DatabaseURL url = DatabaseURL.parse("postgresql://u:pw@h1:5434,h2:5435/db?target_server_type=" + value
					+ "&applicationName=app");
			assertThat(url.toR2dbcUrl()).isEqualTo(
					"r2dbc:postgresql:failover://u:pw@h1:5434,h2:5435/db?applicationName=app&targetServerType=" + spelled);
			assertThat(url.toJdbcUrl())
				.isEqualTo("jdbc:postgresql://h1:5434,h2:5435/db?applicationName=app&targetServerType=" + spelled);
		}

		@Test
		void severalHostsWithoutTargetServerTypeShouldStillBeTheFailoverProtocol() {
			DatabaseURL url = DatabaseURL.parse("postgres://h1,h2:5433/db?ssl=require");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:postgresql:failover://h1,h2:5433/db?sslMode=require");
			assertThat(url.toJdbcUrl()).isEqualTo("jdbc:postgresql://h1,h2:5433/db?sslmode=require");
		}

		@Test
		void aBadTargetServerTypeShouldFailNamingTheOptionAndTheValues() {
			assertThatExceptionOfType(InvalidOptionException.class)
				.isThrownBy(() -> DatabaseURL.parse("postgresql://h1,h2/db?target_server_type=master"))
				.withMessage("Invalid value 'master' for option target_server_type: expected any, primary, standby or "
						+ "prefer-standby")
				.satisfies((ex) -> assertThat(ex.option()).isEqualTo("target_server_type"));
		}

		@Test
		void targetServerTypeWithOneHostShouldFailAskingForTheList() {
			assertThatExceptionOfType(InvalidOptionException.class)
				.isThrownBy(() -> DatabaseURL.parse("postgresql://h:5434/db?target_server_type=primary"))
				.withMessage("Option target_server_type chooses among several hosts: name them all, as in "
						+ "postgresql://h1:5432,h2:5433/db?target_server_type=primary");
		}

		@ParameterizedTest
		@ValueSource(strings = { "mysql://h/db", "mariadb://h/db", "sqlite:///x.db", "h2:mem:///x", "r2dbc:mssql://h/db" })
		void targetServerTypeShouldBeRefusedWhereTheDriverHasNoRoles(String url) {
			String scheme = url.substring(0, url.indexOf("://"));
			assertThatExceptionOfType(InvalidOptionException.class)
				.isThrownBy(() -> DatabaseURL.parse(url + "?target_server_type=primary"))
				.withMessage("Option target_server_type is not supported for " + scheme + " URLs: their driver does "
						+ "not choose a server by its role; leave the option out");
		}

	}

	@Nested
	class Errors {

		@Test
		void parseWhenEmptyShouldExplainTheFormat() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("  "))
				.withMessage("Database URL must not be empty: expected "
						+ "dialect[+driver]://user:password@host:port/database?option=value, e.g. postgresql://localhost/example");
		}

		@Test
		void parseWhenUnknownSchemeShouldNameItAndListTheKnownOnes() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("oracle://scott:tiger@h/db"))
				.withMessage("Unknown database URL scheme 'oracle': expected postgresql, postgres, mysql, mariadb, "
						+ "sqlite, h2:mem, h2:file or r2dbc:<driver>, with an optional +driver (e.g. postgresql+asyncpg)");
		}

		@Test
		void parseWhenProtocolOnANonH2SchemeShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql:mem://h/db"))
				.withMessageStartingWith("Unknown database URL scheme 'postgresql:mem'");
		}

		@Test
		void parseWhenR2dbcWithoutDriverShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("r2dbc://h/db"))
				.withMessageStartingWith("Unknown database URL scheme 'r2dbc'");
		}

		@Test
		void parseWhenJdbcUrlShouldSayToDropThePrefix() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("jdbc:postgresql://localhost/db?password=" + PASSWORD))
				.withMessageStartingWith("JDBC URLs are not accepted here: remove the 'jdbc:' prefix")
				.withMessageNotContaining(PASSWORD);
		}

		@Test
		void parseWhenNoSeparatorShouldExplainTheFormat() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("localhost:5432/db"))
				.withMessage("Invalid database URL: '://' is missing after the scheme; expected "
						+ "dialect[+driver]://user:password@host:port/database?option=value, e.g. postgresql://localhost/example");
		}

		@Test
		void parseWhenH2WithoutSlashesShouldShowTheH2Forms() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("h2:mem:test"))
				.withMessageEndingWith("; write h2:mem:///name, h2:file:///relative/path or h2:file:////absolute/path");
		}

		@Test
		void parseWhenSqliteWithoutSlashesShouldShowTheSqliteForms() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("sqlite:test.db"))
				.withMessageEndingWith(
						"; write sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:///:memory:");
		}

		@Test
		void parseWhenNoSchemeShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("://h/db"))
				.withMessageStartingWith("Invalid database URL: the scheme before '://' is missing");
		}

		@Test
		void parseWhenSchemeHasBadCharactersShouldFailWithoutShowingIt() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("u s@er://h/db"))
				.withMessageStartingWith("Invalid database URL: the scheme must start with a letter")
				.withMessageNotContaining("u s@er");
		}

		@Test
		void parseWhenEmptyDriverShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql+://h/db"))
				.withMessage("Invalid database URL scheme 'postgresql+': the driver after '+' is empty; "
						+ "expected e.g. postgresql+asyncpg or just postgresql");
		}

		@ParameterizedTest
		@ValueSource(strings = { "h2://x", "h2:tcp://localhost/db", "h2:foo:///x" })
		void parseWhenH2WithoutMemOrFileShouldFail(String text) {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse(text))
				.withMessageContaining("expected h2:mem (in memory) or h2:file, as in h2:mem:///name");
		}

		@Test
		void parseWhenH2WithHostShouldShowTheForms() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("h2:mem://name"))
				.withMessage("Invalid h2 URL: an embedded H2 database has no host or port (found host 'name'); "
						+ "write h2:mem:///name, h2:file:///relative/path or h2:file:////absolute/path");
		}

		@Test
		void parseWhenH2WithoutDatabaseShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("h2:mem://"))
				.withMessageStartingWith("Invalid h2 URL: the database name is missing");
		}

		@Test
		void parseWhenSqliteWithHostShouldShowTheForms() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("sqlite://relative.db"))
				.withMessage("Invalid sqlite URL: SQLite has no host or port (found host 'relative.db'); "
						+ "write sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:///:memory:");
		}

		@Test
		void parseWhenSqliteWithCredentialsShouldFailWithoutShowingThem() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("sqlite://user:" + PASSWORD + "@/x.db"))
				.withMessageStartingWith("Invalid sqlite URL: SQLite has no user or password")
				.withMessageNotContaining(PASSWORD);
		}

		@ParameterizedTest
		@ValueSource(strings = { "postgresql://h:abc/db", "postgresql://h:0/db", "postgresql://h:65536/db",
				"postgresql://h:99999999999/db", "postgresql://h:-1/db", "postgresql://h:1:2/db" })
		void parseWhenBadPortShouldFail(String text) {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse(text))
				.withMessageStartingWith("Invalid port in database URL: expected a number from 1 to 65535");
		}

		@Test
		void parseWhenPasswordHasUnencodedSlashShouldFailWithoutShowingIt() {
			// The authority ends at the '/', so part of the password reads as a port.
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://user:abc/def@h/db"))
				.withMessageContaining("must be percent-encoded, e.g. '/' as %2F")
				.withMessageNotContaining("abc");
		}

		@Test
		void parseWhenHashShouldAskForPercentEncoding() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("postgresql://user:pa#" + PASSWORD + "@h/db"))
				.withMessage("Invalid database URL: '#' must be percent-encoded as %23 (in a password, for example); "
						+ "these URLs have no fragment");
		}

		@Test
		void parseWhenBadPercentEncodingInPasswordShouldNameThePartOnly() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://u:100%@h/db"))
				.withMessage("Invalid percent-encoding in the password of the database URL: "
						+ "'%' must be followed by two hexadecimal digits (write '%' itself as %25)");
		}

		@Test
		void parseWhenPercentEncodingIsNotUtf8ShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://h/%FF%FE"))
				.withMessage("Invalid percent-encoding in the database name of the database URL: "
						+ "the encoded bytes are not UTF-8");
		}

		@Test
		void parseWhenNonAsciiDigitAfterPercentShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://h/%٣٣"))
				.withMessageStartingWith("Invalid percent-encoding in the database name");
		}

		@Test
		void parseWhenUnclosedBracketShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://[::1/db"))
				.withMessage("Invalid database URL: the host starts with '[' but has no closing ']'");
		}

		@Test
		void parseWhenGarbageAfterBracketShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("postgresql://[::1]x/db"))
				.withMessage("Invalid database URL: only ':port' may follow a host written in brackets");
		}

		@ParameterizedTest
		@ValueSource(strings = { "user", "password", "port", "database", "driver", "protocol" })
		void parseWhenOptionNamesAPartOfTheUrlShouldFail(String name) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("postgresql://h/db?" + name + "=" + PASSWORD))
				.withMessage("Option " + name + " is not accepted in the query string of a database URL: write it "
						+ "in the URL itself, as dialect[+driver]://user:password@host:port/database?option=value")
				.withMessageNotContaining(PASSWORD);
		}

		@Test
		void parseWhenHostOptionForSqliteShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("sqlite:///x.db?host=/tmp"))
				.withMessage("Option host is not supported for sqlite: it has no server");
		}

		@Test
		void parseWhenKnownOptionHasABadValueShouldFailAtParseTime() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("postgresql://u:" + PASSWORD + "@h/db?max_size=abc"))
				.withMessage("Invalid value 'abc' for option max_size: expected a positive integer");
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("mysql://h/db?ssl=yes"))
				.withMessage("Invalid value 'yes' for option ssl: expected true, false, disable, prefer, require, "
						+ "verify-ca or verify-full");
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse("mysql://h/db?connect_timeout=soon"))
				.withMessageStartingWith("Invalid value 'soon' for option connect_timeout: expected a non-negative duration");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("mysql://h/db?min_size=5&max_size=2"))
				.withMessage("Invalid value '5' for option min_size: must not be greater than max_size (2)");
		}

		@ParameterizedTest
		@ValueSource(strings = { "sqlite:///x.db?ssl=true", "h2:mem:///x?ssl=require", "r2dbc:h2:mem:///x?ssl=true" })
		void parseWhenSslForAnEmbeddedDatabaseShouldFail(String text) {
			assertThatIllegalArgumentException().isThrownBy(() -> DatabaseURL.parse(text))
				.withMessageStartingWith("Option ssl=require is not supported for ")
				.withMessageEndingWith(": the database is in this process, with no network connection; "
						+ "leave ssl out or set it to false");
		}

		@Test
		void parseWhenSslFalseForAnEmbeddedDatabaseShouldBeAccepted() {
			assertThat(DatabaseURL.parse("sqlite:///x.db?ssl=false").toR2dbcUrl()).isEqualTo("r2dbc:sqlite:///x.db");
		}

		@Test
		void parseWhenSslModeCannotBePassedToAnUnknownR2dbcDriverShouldFail() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("r2dbc:mssql://h/db?ssl=verify-full"))
				.withMessage("Option ssl=verify-full is not supported for r2dbc:mssql URLs: only true or false can be "
						+ "passed on (as R2DBC's ssl option); use the driver's own option instead");
		}

		@Test
		void errorMessagesShouldNeverContainThePassword() {
			List<String> bad = List.of("oracle://user:" + PASSWORD + "@h/db",
					"postgresql://user:" + PASSWORD + "@h:x/db", "postgresql://user:" + PASSWORD + "/x@h/db",
					"postgresql://user:" + PASSWORD + "%zz@h/db", "postgresql://user:" + PASSWORD + "#@h/db",
					"postgresql://user:" + PASSWORD + "@[::1/db", "postgresql://user:" + PASSWORD + "@h/db?max_size=0",
					"user:" + PASSWORD + "@h/db", PASSWORD, "h2:mem://user:" + PASSWORD + "@host/db",
					"sqlite://user:" + PASSWORD + "@/x.db", "postgresql://user:" + PASSWORD + "@h/db?password=x",
					"r2dbc:mssql://user:" + PASSWORD + "@h/db?ssl=prefer", "postgresql+://user:" + PASSWORD + "@h/db");
			for (String text : bad) {
				assertThatIllegalArgumentException().as(text)
					.isThrownBy(() -> DatabaseURL.parse(text))
					.withMessageNotContaining(PASSWORD);
			}
		}

	}

	@Nested
	class Masking {

		@Test
		void toStringShouldNeverShowThePasswordButToUnmaskedStringShould() {
			DatabaseURL url = DatabaseURL.parse("mysql://root:" + PASSWORD + "@localhost:3306/test?ssl=true");
			assertThat(url.toString()).isEqualTo("mysql://root:********@localhost:3306/test?ssl=true")
				.doesNotContain(PASSWORD);
			assertThat(url.toUnmaskedString()).isEqualTo("mysql://root:" + PASSWORD + "@localhost:3306/test?ssl=true");
		}

		@Test
		void toStringShouldMaskOptionsThatHoldSecrets() {
			DatabaseURL url = DatabaseURL.parse("mysql://root@h/test?sslKeyPassword=" + PASSWORD
					+ "&client_secret=" + PASSWORD + "&charset=utf8");
			assertThat(url.toString())
				.isEqualTo("mysql://root@h/test?sslKeyPassword=********&client_secret=********&charset=utf8");
			assertThat(url.toUnmaskedString()).contains("sslKeyPassword=" + PASSWORD);
		}

		@Test
		void toStringWhenPasswordIsEmptyShouldStillMask() {
			assertThat(DatabaseURL.parse("postgresql://u:@h/db")).hasToString("postgresql://u:********@h/db");
		}

		@Test
		void toStringWhenPasswordWasChangedShouldMaskTheNewOne() {
			DatabaseURL url = DatabaseURL.parse("postgresql://u@h/db").withPassword(PASSWORD);
			assertThat(url).hasToString("postgresql://u:********@h/db");
		}

	}

	@Nested
	class Copies {

		private final DatabaseURL url = DatabaseURL.parse("postgres+asyncpg://user:pw@localhost:5432/db?a=1&b=2");

		@Test
		void withSchemeShouldReplaceTheScheme() {
			DatabaseURL copy = this.url.withScheme("mysql");
			assertThat(copy.scheme()).isEqualTo("mysql");
			assertThat(copy.dialect()).isEqualTo("mysql");
			assertThat(copy.driver()).isNull();
			assertThat(copy).hasToString("mysql://user:********@localhost:5432/db?a=1&b=2");
			assertThat(this.url.scheme()).isEqualTo("postgres+asyncpg");
		}

		@Test
		void withSchemeWhenUnknownShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> this.url.withScheme("oracle"))
				.withMessageStartingWith("Unknown database URL scheme 'oracle'");
		}

		@Test
		void withSchemeWhenTheRestDoesNotFitShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> this.url.withScheme("sqlite"))
				.withMessageStartingWith("Invalid sqlite URL");
		}

		@Test
		void withDialectShouldKeepTheDriver() {
			DatabaseURL copy = this.url.withDialect("mysql");
			assertThat(copy.scheme()).isEqualTo("mysql+asyncpg");
			assertThat(copy.dialect()).isEqualTo("mysql");
		}

		@Test
		void withDialectShouldKeepTheH2Protocol() {
			DatabaseURL copy = DatabaseURL.parse("h2+x:mem:///a").withDialect("h2");
			assertThat(copy.scheme()).isEqualTo("h2+x:mem");
		}

		@Test
		void withDialectWhenR2dbcShouldFail() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("r2dbc:postgresql://h/db").withDialect("mysql"))
				.withMessage("The dialect of an r2dbc: URL is its driver: use withScheme instead");
		}

		@Test
		void withDriverWhenNullOrEmptyShouldRemoveIt() {
			assertThat(this.url.withDriver(null).scheme()).isEqualTo("postgres");
			assertThat(this.url.withDriver("").scheme()).isEqualTo("postgres");
			assertThat(DatabaseURL.parse("h2+x:mem:///a").withDriver(null).scheme()).isEqualTo("h2:mem");
		}

		@Test
		void withDriverWhenR2dbcShouldFail() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> DatabaseURL.parse("r2dbc:postgresql://h/db").withDriver("x"))
				.withMessage("An r2dbc: URL has no +driver part: use withScheme instead");
		}

		@Test
		void withUsernameShouldEncodeIt() {
			DatabaseURL copy = this.url.withUsername("a@b:c");
			assertThat(copy.username()).isEqualTo("a@b:c");
			assertThat(copy.toUnmaskedString()).startsWith("postgres+asyncpg://a%40b%3Ac:pw@localhost");
		}

		@Test
		void withUsernameWhenNoHostShouldNotInventOne() {
			// Python's replace(username=...) gave sqlite://u@None/x here.
			DatabaseURL copy = DatabaseURL.parse("postgresql:///db").withUsername("u");
			assertThat(copy).hasToString("postgresql://u@/db");
			assertThat(copy.hostname()).isNull();
		}

		@Test
		void withUsernameNullShouldRemoveItUnlessThereIsAPassword() {
			assertThat(DatabaseURL.parse("postgresql://u@h/db").withUsername(null)).hasToString("postgresql://h/db");
			assertThat(this.url.withUsername(null).username()).isEmpty();
		}

		@Test
		void withPasswordShouldEncodeIt() {
			DatabaseURL copy = this.url.withPassword("[p@ss/w:rd]");
			assertThat(copy.password()).isEqualTo("[p@ss/w:rd]");
			assertThat(copy.toUnmaskedString()).contains(":%5Bp%40ss%2Fw%3Ard%5D@");
			assertThat(DatabaseURL.parse(copy.toUnmaskedString())).isEqualTo(copy);
		}

		@Test
		void withPasswordNullShouldRemoveIt() {
			assertThat(this.url.withPassword(null)).hasToString("postgres+asyncpg://user@localhost:5432/db?a=1&b=2");
		}

		@Test
		void withHostnameShouldReplaceTheHost() {
			assertThat(this.url.withHostname("db.example.com").hostname()).isEqualTo("db.example.com");
			assertThat(this.url.withHostname("::1").toUnmaskedString()).contains("@[::1]:5432/");
			assertThat(this.url.withHostname(null).toUnmaskedString()).isEqualTo("postgres+asyncpg://user:pw@:5432/db?a=1&b=2");
		}

		@Test
		void withPortShouldCheckTheRange() {
			assertThat(this.url.withPort(null).port()).isNull();
			assertThatIllegalArgumentException().isThrownBy(() -> this.url.withPort(0))
				.withMessage("Invalid port 0 in database URL: expected a number from 1 to 65535");
			assertThatIllegalArgumentException().isThrownBy(() -> this.url.withPort(65536))
				.withMessage("Invalid port 65536 in database URL: expected a number from 1 to 65535");
		}

		@Test
		void withDatabaseShouldEncodeIt() {
			DatabaseURL copy = this.url.withDatabase("my db?#%");
			assertThat(copy.toUnmaskedString()).contains("/my%20db%3F%23%25?");
			assertThat(DatabaseURL.parse(copy.toUnmaskedString()).database()).isEqualTo("my db?#%");
			assertThat(this.url.withDatabase(null).database()).isNull();
		}

		@Test
		void withOptionsShouldReplaceAllOptions() {
			Map<String, Object> options = new LinkedHashMap<>();
			options.put("max_size", 20);
			options.put("ssl", true);
			options.put("acquire_timeout", Duration.ofSeconds(5));
			options.put("skipped", null);
			DatabaseURL copy = this.url.withOptions(options);
			assertThat(copy.options()).containsExactly(entry("max_size", "20"), entry("ssl", "true"),
					entry("acquire_timeout", "PT5S"));
		}

		@Test
		void withOptionShouldAddOrReplaceOne() {
			assertThat(this.url.withOption("c", 3).options()).containsExactly(entry("a", "1"), entry("b", "2"),
					entry("c", "3"));
			assertThat(this.url.withOption("a", "x").options()).containsExactly(entry("a", "x"), entry("b", "2"));
			assertThat(this.url.withOption("a", null).options()).containsExactly(entry("b", "2"));
			assertThat(this.url.withOption("a", "").options()).containsExactly(entry("b", "2"));
		}

		@Test
		void withOptionWhenBadValueShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> this.url.withOption("max_size", "abc"))
				.withMessage("Invalid value 'abc' for option max_size: expected a positive integer");
			assertThatIllegalArgumentException().isThrownBy(() -> this.url.withOption("", "x"))
				.withMessage("Option names in a database URL must not be empty");
			assertThatIllegalArgumentException().isThrownBy(() -> this.url.withOption("user", "x"))
				.withMessageStartingWith("Option user is not accepted in the query string");
		}

		@Test
		void copiesShouldLeaveTheOriginalUnchanged() {
			String before = this.url.toUnmaskedString();
			this.url.withScheme("mysql").withUsername("x").withPassword("y").withHostname("z").withPort(1)
				.withDatabase("w").withOption("q", 1);
			assertThat(this.url.toUnmaskedString()).isEqualTo(before);
		}

		@Test
		void equalsShouldCompareEveryPart() {
			DatabaseURL same = DatabaseURL.parse("postgres+asyncpg://user:pw@localhost:5432/db?b=2&a=1");
			assertThat(this.url).isEqualTo(same).hasSameHashCodeAs(same);
			assertThat(this.url).isNotEqualTo(this.url.withPassword("other"));
			assertThat(this.url).isNotEqualTo(this.url.withScheme("postgresql+asyncpg"));
			assertThat(this.url).isNotEqualTo(this.url.withOption("a", "2"));
			assertThat(this.url).isNotEqualTo(this.url.toUnmaskedString());
		}

	}

	@Nested
	class R2dbcUrls {

		@Test
		void toR2dbcUrlWhenPostgresqlShouldTranslateSslAndApplicationNameAndDropOurOptions() {
			DatabaseURL url = DatabaseURL.parse("postgres://user:p%40ss@db.example.com:5433/app"
					+ "?ssl=verify-full&application_name=notes&max_size=20&statement_timeout=5s");
			assertThat(url.toR2dbcUrl()).isEqualTo(
					"r2dbc:postgresql://user:p%40ss@db.example.com:5433/app?applicationName=notes&sslMode=verify-full");
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.toR2dbcUrl());
			assertThat(options.getValue(ConnectionFactoryOptions.DRIVER)).isEqualTo("postgresql");
			assertThat(options.getValue(ConnectionFactoryOptions.HOST)).isEqualTo("db.example.com");
			assertThat(options.getValue(ConnectionFactoryOptions.PORT)).isEqualTo(5433);
			assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("app");
			assertThat(options.getValue(ConnectionFactoryOptions.USER)).isEqualTo("user");
			assertThat(options.getValue(ConnectionFactoryOptions.PASSWORD)).hasToString("p@ss");
			assertThat(options.getValue(Option.valueOf("sslMode"))).isEqualTo("verify-full");
			assertThat(options.hasOption(Option.valueOf("max_size"))).isFalse();
			assertThat(options.hasOption(Option.valueOf("ssl"))).isFalse();
		}

		@ParameterizedTest
		@CsvSource({ "true, require, REQUIRED", "false, disable, DISABLED", "disable, disable, DISABLED",
				"prefer, prefer, PREFERRED", "require, require, REQUIRED", "verify-ca, verify-ca, VERIFY_CA",
				"VERIFY-FULL, verify-full, VERIFY_IDENTITY" })
		void toR2dbcUrlShouldTranslateEachSslMode(String ssl, String postgresql, String mysql) {
			assertThat(option(DatabaseURL.parse("postgresql://h/db?ssl=" + ssl), "sslMode")).isEqualTo(postgresql);
			assertThat(option(DatabaseURL.parse("mysql://h/db?ssl=" + ssl), "sslMode")).isEqualTo(mysql);
			assertThat(option(DatabaseURL.parse("mariadb://h/db?ssl=" + ssl), "sslMode")).isEqualTo(mysql);
		}

		@Test
		void toR2dbcUrlWhenMysqlShouldUseR2dbcMysql() {
			DatabaseURL url = DatabaseURL
				.parse("mysql://root:pw@127.0.0.1:3306/test?ssl=true&useServerPrepareStatement=true&min_size=2");
			assertThat(url.toR2dbcUrl())
				.isEqualTo("r2dbc:mysql://root:pw@127.0.0.1:3306/test?useServerPrepareStatement=true&sslMode=REQUIRED");
			assertParts(url, "mysql", "127.0.0.1", 3306, "test", "root", "pw");
		}

		@Test
		void toR2dbcUrlWhenMariadbShouldUseR2dbcMysql() {
			DatabaseURL url = DatabaseURL.parse("mariadb://root@localhost/test");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:mysql://root@localhost/test");
			assertParts(url, "mysql", "localhost", null, "test", "root", null);
		}

		@Test
		void toR2dbcUrlWhenSqliteRelativeShouldKeepThreeSlashes() {
			DatabaseURL url = DatabaseURL.parse("sqlite:///relative.db?begin_mode=immediate");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:sqlite:///relative.db?begin_mode=immediate");
			assertParts(url, "sqlite", null, null, "relative.db", null, null);
		}

		@Test
		void toR2dbcUrlWhenSqliteAbsoluteShouldKeepFourSlashes() {
			DatabaseURL url = DatabaseURL.parse("sqlite:////abs.db");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:sqlite:////abs.db");
			assertParts(url, "sqlite", null, null, "/abs.db", null, null);
		}

		@ParameterizedTest
		@ValueSource(strings = { "sqlite://", "sqlite:///", "sqlite:///:memory:" })
		void toR2dbcUrlWhenSqliteInMemoryShouldSayMemory(String text) {
			DatabaseURL url = DatabaseURL.parse(text);
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:sqlite:///:memory:");
			assertParts(url, "sqlite", null, null, ":memory:", null, null);
		}

		@Test
		void toR2dbcUrlWhenH2MemShouldKeepTheDatabaseOpen() {
			DatabaseURL url = DatabaseURL.parse("h2:mem:///name");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:h2:mem:///name?DB_CLOSE_DELAY=-1");
			assertParts(url, "h2", null, null, "name", null, null);
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.toR2dbcUrl());
			assertThat(options.getValue(ConnectionFactoryOptions.PROTOCOL)).isEqualTo("mem");
			assertThat(options.getValue(Option.valueOf("DB_CLOSE_DELAY"))).isEqualTo("-1");
		}

		@Test
		void toR2dbcUrlWhenH2MemWithCloseDelayShouldKeepTheUsersDelay() {
			assertThat(DatabaseURL.parse("h2:mem:///name?db_close_delay=10&MODE=PostgreSQL").toR2dbcUrl())
				.isEqualTo("r2dbc:h2:mem:///name?db_close_delay=10&MODE=PostgreSQL");
		}

		@Test
		void toR2dbcUrlWhenH2WithCredentialsShouldPassThem() {
			DatabaseURL url = DatabaseURL.parse("h2:mem://sa:pw@/name");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:h2:mem://sa:pw@/name?DB_CLOSE_DELAY=-1");
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.toR2dbcUrl());
			assertThat(options.getValue(ConnectionFactoryOptions.USER)).isEqualTo("sa");
			assertThat(options.getValue(ConnectionFactoryOptions.PASSWORD)).hasToString("pw");
			assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("name");
		}

		@Test
		void toR2dbcUrlWhenH2FileRelativeShouldMakeTheRelativePathExplicit() {
			// H2 refuses paths "implicitly relative to the current working directory".
			DatabaseURL url = DatabaseURL.parse("h2:file:///relative/path");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:h2:file:///./relative/path");
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.toR2dbcUrl());
			assertThat(options.getValue(ConnectionFactoryOptions.PROTOCOL)).isEqualTo("file");
			assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("./relative/path");
			assertThat(DatabaseURL.parse("h2:file:///./already").toR2dbcUrl()).isEqualTo("r2dbc:h2:file:///./already");
			assertThat(DatabaseURL.parse("h2:file:///~/home").toR2dbcUrl()).isEqualTo("r2dbc:h2:file:///~/home");
		}

		@Test
		void toR2dbcUrlWhenH2FileAbsoluteShouldKeepThePath() {
			DatabaseURL url = DatabaseURL.parse("h2:file:////abs/path");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:h2:file:////abs/path");
			assertThat(ConnectionFactoryOptions.parse(url.toR2dbcUrl()).getValue(ConnectionFactoryOptions.DATABASE))
				.isEqualTo("/abs/path");
		}

		@Test
		void toR2dbcUrlWhenR2dbcShouldKeepItButDropOurOptions() {
			DatabaseURL url = DatabaseURL.parse("r2dbc:pool:postgresql://u:p@h:5432/db?maxSize=5&max_size=20");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:pool:postgresql://u:p@h:5432/db?maxSize=5");
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.toR2dbcUrl());
			assertThat(options.getValue(ConnectionFactoryOptions.DRIVER)).isEqualTo("pool");
			assertThat(options.getValue(ConnectionFactoryOptions.PROTOCOL)).isEqualTo("postgresql");
		}

		@Test
		void toR2dbcUrlWhenR2dbcShouldTranslateSslForItsDriver() {
			assertThat(DatabaseURL.parse("r2dbc:postgresql://h/db?ssl=true").toR2dbcUrl())
				.isEqualTo("r2dbc:postgresql://h/db?sslMode=require");
			assertThat(DatabaseURL.parse("r2dbc:pool:mysql://h/db?ssl=verify-ca").toR2dbcUrl())
				.isEqualTo("r2dbc:pool:mysql://h/db?sslMode=VERIFY_CA");
			assertThat(DatabaseURL.parse("r2dbc:mssql://h/db?ssl=require").toR2dbcUrl())
				.isEqualTo("r2dbc:mssql://h/db?ssl=true");
			assertThat(DatabaseURL.parse("r2dbc:mariadb://h/db?ssl=false").toR2dbcUrl())
				.isEqualTo("r2dbc:mariadb://h/db?ssl=false");
		}

		@Test
		void toR2dbcUrlWhenSslAndDriverSslModeShouldLetSslWin() {
			assertThat(DatabaseURL.parse("postgresql://h/db?sslMode=disable&ssl=verify-full").toR2dbcUrl())
				.isEqualTo("r2dbc:postgresql://h/db?sslMode=verify-full");
		}

		@Test
		void toR2dbcUrlWhenPostgresqlSocketFileShouldUseTheSocketOption() {
			DatabaseURL url = DatabaseURL
				.parse("postgresql://u:p@/mydatabase?host=/var/run/postgresql/.s.PGSQL.5432&application_name=x");
			assertThat(url.toR2dbcUrl())
				.isEqualTo("r2dbc:postgresql://u:p@/mydatabase?applicationName=x&socket=/var/run/postgresql/.s.PGSQL.5432");
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.toR2dbcUrl());
			assertThat(options.getValue(Option.valueOf("socket"))).isEqualTo("/var/run/postgresql/.s.PGSQL.5432");
			assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("mydatabase");
		}

		@Test
		void toR2dbcUrlWhenPostgresqlSocketDirectoryShouldNameTheSocketFile() {
			assertThat(DatabaseURL.parse("postgresql:///db?unix_sock=/var/run/postgresql/").toR2dbcUrl())
				.isEqualTo("r2dbc:postgresql:///db?socket=/var/run/postgresql/.s.PGSQL.5432");
			assertThat(DatabaseURL.parse("postgresql://%2Ftmp:5433/db").toR2dbcUrl())
				.isEqualTo("r2dbc:postgresql://:5433/db?socket=/tmp/.s.PGSQL.5433");
		}

		@Test
		void toR2dbcUrlWhenMysqlSocketShouldUseUnixSocket() {
			assertThat(DatabaseURL.parse("mysql://root@localhost/test?unix_socket=/tmp/mysqld/mysqld.sock").toR2dbcUrl())
				.isEqualTo("r2dbc:mysql://root@localhost/test?unixSocket=/tmp/mysqld/mysqld.sock");
			assertThat(DatabaseURL.parse("mariadb://root@/test?unix_sock=/tmp/mysqld.sock").toR2dbcUrl())
				.isEqualTo("r2dbc:mysql://root@/test?unixSocket=/tmp/mysqld.sock");
		}

		@Test
		void toR2dbcUrlWhenHostOptionIsNotAPathShouldUseItAsTheHost() {
			DatabaseURL url = DatabaseURL.parse("postgresql:///db?host=db.internal");
			assertThat(url.hostname()).isEqualTo("db.internal");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:postgresql://db.internal/db");
		}

		@Test
		void toR2dbcUrlWhenHostIsWrittenShouldDropTheHostOption() {
			// R2DBC refuses "host" in the query string.
			assertThat(DatabaseURL.parse("postgresql://h/db?host=/tmp").toR2dbcUrl())
				.isEqualTo("r2dbc:postgresql://h/db");
		}

		@Test
		void toR2dbcUrlShouldEncodeWhatR2dbcWouldMisread() {
			DatabaseURL url = DatabaseURL.parse("postgresql://h/db").withUsername("a+b c").withPassword("p+w&x")
				.withDatabase("d+b").withOption("application_name", "a+b&c=d e");
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.toR2dbcUrl());
			assertThat(options.getValue(ConnectionFactoryOptions.USER)).isEqualTo("a+b c");
			assertThat(options.getValue(ConnectionFactoryOptions.PASSWORD)).hasToString("p+w&x");
			assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("d+b");
			assertThat(options.getValue(Option.valueOf("applicationName"))).isEqualTo("a+b&c=d e");
		}

		@Test
		void toR2dbcUrlWhenIpv6ShouldKeepTheBrackets() {
			DatabaseURL url = DatabaseURL.parse("postgresql://[::1]:5432/db");
			assertThat(url.toR2dbcUrl()).isEqualTo("r2dbc:postgresql://[::1]:5432/db");
			assertThat(ConnectionFactoryOptions.parse(url.toR2dbcUrl()).getValue(ConnectionFactoryOptions.HOST))
				.isEqualTo("[::1]");
		}

		private static @Nullable Object option(DatabaseURL url, String name) {
			return ConnectionFactoryOptions.parse(url.toR2dbcUrl()).getValue(Option.valueOf(name));
		}

		private static void assertParts(DatabaseURL url, String driver, @Nullable String host,
				@Nullable Integer port, String database,
				@Nullable String user, @Nullable String password) {
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.toR2dbcUrl());
			assertThat(options.getValue(ConnectionFactoryOptions.DRIVER)).isEqualTo(driver);
			if (host == null) {
				assertThat((Object) options.getValue(ConnectionFactoryOptions.HOST)).isIn(null, "");
			}
			else {
				assertThat(options.getValue(ConnectionFactoryOptions.HOST)).isEqualTo(host);
			}
			assertThat(options.getValue(ConnectionFactoryOptions.PORT)).isEqualTo(port);
			assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo(database);
			assertThat(options.getValue(ConnectionFactoryOptions.USER)).isEqualTo(user);
			Object actualPassword = options.getValue(ConnectionFactoryOptions.PASSWORD);
			assertThat((actualPassword != null) ? actualPassword.toString() : null).isEqualTo(password);
		}

	}

	@Nested
	class JdbcUrls {

		@Test
		void toJdbcUrlWhenPostgresqlShouldLeaveOutCredentialsAndTranslateSsl() {
			DatabaseURL url = DatabaseURL
				.parse("postgres://user:" + PASSWORD + "@db:5433/app?ssl=verify-ca&ApplicationName=notes&min_size=2");
			assertThat(url.toJdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/app?ApplicationName=notes&sslmode=verify-ca")
				.doesNotContain(PASSWORD)
				.doesNotContain("user");
		}

		@Test
		void toJdbcUrlWhenMysqlShouldUseConnectorJSslModes() {
			assertThat(DatabaseURL.parse("mysql://root@h:3306/test?ssl=verify-full").toJdbcUrl())
				.isEqualTo("jdbc:mysql://h:3306/test?sslMode=VERIFY_IDENTITY");
			assertThat(DatabaseURL.parse("mysql+asyncmy://root@h/test?ssl=false").toJdbcUrl())
				.isEqualTo("jdbc:mysql://h/test?sslMode=DISABLED");
		}

		@ParameterizedTest
		@CsvSource({ "true, trust", "false, disable", "prefer, trust", "verify-ca, verify-ca",
				"verify-full, verify-full" })
		void toJdbcUrlWhenMariadbShouldUseMariadbSslModes(String ssl, String mode) {
			assertThat(DatabaseURL.parse("mariadb://root@h/test?ssl=" + ssl).toJdbcUrl())
				.isEqualTo("jdbc:mariadb://h/test?sslMode=" + mode);
		}

		@Test
		void toJdbcUrlWhenNoHostShouldUseLocalhost() {
			assertThat(DatabaseURL.parse("postgresql:///db").toJdbcUrl()).isEqualTo("jdbc:postgresql://localhost/db");
			assertThat(DatabaseURL.parse("mysql://:3307/db").toJdbcUrl()).isEqualTo("jdbc:mysql://localhost:3307/db");
		}

		@Test
		void toJdbcUrlWhenHostOptionIsAHostShouldUseIt() {
			assertThat(DatabaseURL.parse("postgresql:///db?host=db.internal").toJdbcUrl())
				.isEqualTo("jdbc:postgresql://db.internal/db");
		}

		@Test
		void toJdbcUrlWhenSocketShouldUseLocalSocketForMariadbOnly() {
			assertThat(DatabaseURL.parse("mariadb://root@/test?unix_socket=/tmp/mysqld.sock").toJdbcUrl())
				.isEqualTo("jdbc:mariadb://localhost/test?localSocket=/tmp/mysqld.sock");
			assertThatIllegalStateException()
				.isThrownBy(() -> DatabaseURL.parse("postgresql://u@/db?host=/var/run/postgresql").toJdbcUrl())
				.withMessageStartingWith("No JDBC URL for postgresql over a Unix socket");
		}

		@Test
		void toJdbcUrlShouldEncodeTheDatabaseName() {
			assertThat(DatabaseURL.parse("postgresql://h/my%20db").toJdbcUrl()).isEqualTo("jdbc:postgresql://h/my%20db");
		}

		@Test
		void toJdbcUrlWhenSqliteShouldGiveThePath() {
			assertThat(DatabaseURL.parse("sqlite:///relative.db").toJdbcUrl()).isEqualTo("jdbc:sqlite:relative.db");
			assertThat(DatabaseURL.parse("sqlite:////abs.db").toJdbcUrl()).isEqualTo("jdbc:sqlite:/abs.db");
			assertThat(DatabaseURL.parse("sqlite://").toJdbcUrl()).isEqualTo("jdbc:sqlite::memory:");
			assertThat(DatabaseURL.parse("sqlite:///:memory:").toJdbcUrl()).isEqualTo("jdbc:sqlite::memory:");
			assertThat(DatabaseURL.parse("sqlite:///file::memory:?cache=shared&max_size=1").toJdbcUrl())
				.isEqualTo("jdbc:sqlite:file::memory:?cache=shared");
		}

		@Test
		void toJdbcUrlWhenH2ShouldUseH2Forms() {
			assertThat(DatabaseURL.parse("h2:mem:///name").toJdbcUrl()).isEqualTo("jdbc:h2:mem:name;DB_CLOSE_DELAY=-1");
			assertThat(DatabaseURL.parse("h2:mem://sa:pw@/name?MODE=PostgreSQL&max_size=3").toJdbcUrl())
				.isEqualTo("jdbc:h2:mem:name;DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
			assertThat(DatabaseURL.parse("h2:mem:///name?DB_CLOSE_DELAY=0").toJdbcUrl())
				.isEqualTo("jdbc:h2:mem:name;DB_CLOSE_DELAY=0");
			assertThat(DatabaseURL.parse("h2:file:///relative/path").toJdbcUrl())
				.isEqualTo("jdbc:h2:file:./relative/path");
			assertThat(DatabaseURL.parse("h2:file:////abs/path").toJdbcUrl()).isEqualTo("jdbc:h2:file:/abs/path");
		}

		@Test
		void toJdbcUrlWhenR2dbcShouldUseTheDriversJdbcForm() {
			assertThat(DatabaseURL.parse("r2dbc:postgresql://u:p@h:5432/db?ssl=require").toJdbcUrl())
				.isEqualTo("jdbc:postgresql://h:5432/db?sslmode=require");
			assertThat(DatabaseURL.parse("r2dbc:pool:mariadb://h/db").toJdbcUrl()).isEqualTo("jdbc:mariadb://h/db");
			assertThat(DatabaseURL.parse("r2dbc:h2:mem:///x").toJdbcUrl()).isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
			assertThat(DatabaseURL.parse("r2dbc:pool:h2:file:///./x").toJdbcUrl()).isEqualTo("jdbc:h2:file:./x");
		}

		@Test
		void toJdbcUrlWhenR2dbcDriverHasNoJdbcFormShouldFail() {
			assertThatIllegalStateException().isThrownBy(() -> DatabaseURL.parse("r2dbc:mssql://h/db").toJdbcUrl())
				.withMessage("No JDBC URL for r2dbc:mssql URLs: only postgresql, mysql, mariadb, sqlite and h2 have "
						+ "a JDBC form");
		}

	}

}

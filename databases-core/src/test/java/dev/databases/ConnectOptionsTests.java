package dev.databases;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.databases.internal.url.SslMode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link ConnectOptions}. The first group ports the pool-size and ssl cases of
 * Python's {@code tests/test_connection_options.py} to this library's option names (the
 * PostgreSQL, MySQL, asyncmy and aiopg variants read the same options here).
 */
class ConnectOptionsTests {

	private static ConnectOptions fromUrl(String url) {
		return ConnectOptions.of(DatabaseURL.parse(url).options(), Map.of());
	}

	private static ConnectOptions fromBuilder(Map<String, ?> options) {
		return ConnectOptions.of(Map.of(), options);
	}

	@Nested
	class PortedFromPython {

		// Python: test_postgres_pool_size, test_mysql_pool_size, test_asyncmy_pool_size,
		// test_aiopg_pool_size
		@ParameterizedTest
		@ValueSource(strings = { "postgresql://localhost/database?min_size=1&max_size=20",
				"mysql://localhost/database?min_size=1&max_size=20",
				"mysql+asyncmy://localhost/database?min_size=1&max_size=20",
				"postgresql+aiopg://localhost/database?min_size=1&max_size=20" })
		void poolSizeFromTheUrlShouldBeRead(String url) {
			ConnectOptions options = fromUrl(url);
			assertThat(options.minSize()).isEqualTo(1);
			assertThat(options.maxSize()).isEqualTo(20);
			assertThat(options.driverOptions()).isEmpty();
		}

		// Python: test_postgres_explicit_pool_size, test_mysql_explicit_pool_size,
		// test_asyncmy_explicit_pool_size, test_aiopg_explicit_pool_size
		@Test
		void poolSizeFromTheBuilderShouldBeRead() {
			ConnectOptions options = fromBuilder(Map.of("min_size", 1, "max_size", 20));
			assertThat(options.minSize()).isEqualTo(1);
			assertThat(options.maxSize()).isEqualTo(20);
		}

		// Python: test_postgres_ssl, test_mysql_ssl, test_asyncmy_ssl, test_aiopg_ssl
		@ParameterizedTest
		@ValueSource(strings = { "postgresql://localhost/database?ssl=true", "mysql://localhost/database?ssl=true",
				"mysql+asyncmy://localhost/database?ssl=true", "postgresql+aiopg://localhost/database?ssl=true" })
		void sslTrueFromTheUrlShouldRequireTls(String url) {
			assertThat(fromUrl(url).ssl()).isEqualTo(SslMode.REQUIRE);
		}

		// Python: test_postgres_ssl_verify_full
		@Test
		void sslVerifyFullFromTheUrlShouldBeRead() {
			assertThat(fromUrl("postgresql://localhost/database?ssl=verify-full").ssl()).isEqualTo(SslMode.VERIFY_FULL);
		}

		// Python: test_postgres_explicit_ssl, test_mysql_explicit_ssl, test_asyncmy_explicit_ssl,
		// test_aiopg_explicit_ssl
		@Test
		void sslTrueFromTheBuilderShouldRequireTls() {
			assertThat(fromBuilder(Map.of("ssl", true)).ssl()).isEqualTo(SslMode.REQUIRE);
		}

		// Python: test_postgres_explicit_ssl_verify_full
		@Test
		void sslVerifyFullFromTheBuilderShouldBeRead() {
			assertThat(fromBuilder(Map.of("ssl", "verify-full")).ssl()).isEqualTo(SslMode.VERIFY_FULL);
		}

		// Python: test_postgres_no_extra_options
		@Test
		void noOptionsShouldGiveTheDefaults() {
			ConnectOptions options = fromUrl("postgresql://localhost/database");
			assertThat(options.ssl()).isNull();
			assertThat(options.minSize()).isEqualTo(1);
			assertThat(options.maxSize()).isEqualTo(10);
			assertThat(options.maxIdleTime()).isEqualTo(Duration.ofMinutes(30));
			assertThat(options.maxLifeTime()).isEqualTo(Duration.ofMinutes(30));
			assertThat(options.acquireTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(options.statementTimeout()).isNull();
			assertThat(options.disconnectTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(options.driverOptions()).isEmpty();
		}

		// Python: test_mysql_unix_socket, test_asyncmy_unix_socket
		@Test
		void unixSocketShouldGoToTheDriver() {
			assertThat(fromUrl("mysql+asyncmy://username:password@/testsuite?unix_socket=/tmp/mysqld/mysqld.sock")
				.driverOptions()).containsExactly(entry("unix_socket", "/tmp/mysqld/mysqld.sock"));
		}

		// Python: test_mysql_pool_recycle, test_asyncmy_pool_recycle. pool_recycle is aiomysql's;
		// here it is max_life_time, and pool_recycle is just another driver option.
		@Test
		void poolRecycleShouldBeMaxLifeTime() {
			assertThat(fromUrl("mysql://localhost/database?max_life_time=20").maxLifeTime())
				.isEqualTo(Duration.ofSeconds(20));
			assertThat(fromUrl("mysql://localhost/database?pool_recycle=20").driverOptions())
				.containsExactly(entry("pool_recycle", "20"));
		}

	}

	@Nested
	class Merging {

		@Test
		void builderShouldWinOverTheUrl() {
			ConnectOptions options = ConnectOptions.of(Map.of("max_size", "5", "ssl", "false"),
					Map.of("max_size", 20, "ssl", "verify-ca"));
			assertThat(options.maxSize()).isEqualTo(20);
			assertThat(options.ssl()).isEqualTo(SslMode.VERIFY_CA);
		}

		@Test
		void builderNullShouldLeaveTheUrlValue() {
			Map<String, Object> builder = new HashMap<>();
			builder.put("max_size", null);
			assertThat(ConnectOptions.of(Map.of("max_size", "5"), builder).maxSize()).isEqualTo(5);
		}

		@Test
		void minAndMaxShouldBeCheckedAfterMerging() {
			assertThat(ConnectOptions.of(Map.of("min_size", "15"), Map.of("max_size", 20)).minSize()).isEqualTo(15);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> ConnectOptions.of(Map.of("max_size", "20"), Map.of("min_size", 21)))
				.withMessage("Invalid value '21' for option min_size: must not be greater than max_size (20)");
		}

		@Test
		void minAboveTheDefaultMaxShouldSayItIsTheDefault() {
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("min_size", 11)))
				.withMessage("Invalid value '11' for option min_size: must not be greater than max_size (10, the default)");
		}

		@Test
		void driverOptionsShouldKeepTheOrderAndBeText() {
			Map<String, Object> url = new LinkedHashMap<>();
			url.put("b", "1");
			url.put("max_size", "3");
			url.put("a", "2");
			Map<String, Object> builder = new LinkedHashMap<>();
			builder.put("c", 42);
			builder.put("b", true);
			builder.put("d", Duration.ofSeconds(3));
			ConnectOptions options = ConnectOptions.of(url, builder);
			assertThat(options.driverOptions()).containsExactly(entry("b", "true"), entry("a", "2"), entry("c", "42"),
					entry("d", "PT3S"));
		}

		@Test
		void namesShouldListEveryOptionReadHere() {
			assertThat(ConnectOptions.NAMES).containsExactly("ssl", "min_size", "max_size", "max_idle_time",
					"max_life_time", "acquire_timeout", "connect_timeout", "statement_timeout", "disconnect_timeout",
					"max_replica_lag", "replica_retry_interval", "read_your_writes",
					"target_server_type");
		}

		@Test
		void emptyOptionNameShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("", 1)))
				.withMessage("Option names must not be empty");
		}

	}

	@Nested
	class Ssl {

		@ParameterizedTest
		@CsvSource({ "true, REQUIRE", "TRUE, REQUIRE", "false, DISABLE", "False, DISABLE", "disable, DISABLE",
				"prefer, PREFER", "require, REQUIRE", "Require, REQUIRE", "verify-ca, VERIFY_CA",
				"VERIFY_CA, VERIFY_CA", "verify-full, VERIFY_FULL", "' verify-full ', VERIFY_FULL" })
		void sslTextShouldBeReadInAnyCase(String value, SslMode expected) {
			assertThat(fromBuilder(Map.of("ssl", value)).ssl()).isEqualTo(expected);
		}

		@Test
		void sslBooleanShouldBeRequireOrDisable() {
			assertThat(fromBuilder(Map.of("ssl", true)).ssl()).isEqualTo(SslMode.REQUIRE);
			assertThat(fromBuilder(Map.of("ssl", false)).ssl()).isEqualTo(SslMode.DISABLE);
		}

		@ParameterizedTest
		@ValueSource(strings = { "yes", "1", "on", "verify", "allow", "" })
		void sslWhenNotAcceptedShouldNameTheValueAndTheChoices(String value) {
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("ssl", value)))
				.withMessage("Invalid value '" + value + "' for option ssl: expected true, false, disable, prefer, "
						+ "require, verify-ca or verify-full");
		}

		@Test
		void sslWhenNumberShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("ssl", 1)))
				.withMessage("Invalid value '1' for option ssl: expected true, false, disable, prefer, require, "
						+ "verify-ca or verify-full");
		}

	}

	@Nested
	class Sizes {

		@ParameterizedTest
		@CsvSource({ "'20', 20", "' 20 ', 20", "'+7', 7", "'007', 7", "'2147483647', 2147483647" })
		void maxSizeTextShouldBeRead(String value, int expected) {
			assertThat(fromBuilder(Map.of("max_size", value)).maxSize()).isEqualTo(expected);
		}

		@Test
		void maxSizeNumbersShouldBeRead() {
			assertThat(fromBuilder(Map.of("max_size", 20L)).maxSize()).isEqualTo(20);
			assertThat(fromBuilder(Map.of("max_size", (short) 3)).maxSize()).isEqualTo(3);
			assertThat(fromBuilder(Map.of("max_size", 4.0)).maxSize()).isEqualTo(4);
			assertThat(fromBuilder(Map.of("max_size", new BigDecimal("5.00"))).maxSize()).isEqualTo(5);
		}

		@ParameterizedTest
		@ValueSource(strings = { "abc", "0", "-1", "1.5", "2147483648", "", "1e3", "twenty", "١٢" })
		void maxSizeWhenNotAPositiveIntegerShouldFail(String value) {
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("max_size", value)))
				.withMessage("Invalid value '" + value + "' for option max_size: expected a positive integer");
		}

		@Test
		void maxSizeWhenWrongTypeShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("max_size", true)))
				.withMessage("Invalid value 'true' for option max_size: expected a positive integer");
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("max_size", 2.5)))
				.withMessage("Invalid value '2.5' for option max_size: expected a positive integer");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fromBuilder(Map.of("max_size", Duration.ofSeconds(1))))
				.withMessage("Invalid value 'PT1S' for option max_size: expected a positive integer");
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("max_size", Double.NaN)))
				.withMessage("Invalid value 'NaN' for option max_size: expected a positive integer");
		}

		@Test
		void minSizeMayBeZero() {
			assertThat(fromBuilder(Map.of("min_size", 0)).minSize()).isZero();
		}

		@Test
		void minSizeWhenNegativeShouldFail() {
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("min_size", -1)))
				.withMessage("Invalid value '-1' for option min_size: expected a non-negative integer");
			assertThatIllegalArgumentException().isThrownBy(() -> fromUrl("postgresql://h/db?min_size=x"))
				.withMessage("Invalid value 'x' for option min_size: expected a non-negative integer");
		}

		@Test
		void longValuesShouldBeShortenedInMessages() {
			String value = "9".repeat(150);
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("max_size", value)))
				.withMessage("Invalid value '" + "9".repeat(100) + "...' for option max_size: expected a positive integer");
		}

	}

	@Nested
	class Durations {

		@ParameterizedTest
		@CsvSource({ "PT10S, PT10S", "pt1m30s, PT1M30S", "P1D, PT24H", "500ms, PT0.5S", "500MS, PT0.5S", "10s, PT10S",
				"'10 s', PT10S", "5m, PT5M", "1h, PT1H", "1d, PT24H", "45, PT45S", "' 45 ', PT45S", "0, PT0S",
				"0s, PT0S" })
		void durationTextShouldBeRead(String value, Duration expected) {
			assertThat(fromBuilder(Map.of("acquire_timeout", value)).acquireTimeout()).isEqualTo(expected);
		}

		@Test
		void everyDurationOptionShouldBeRead() {
			Map<String, Object> options = new LinkedHashMap<>();
			options.put("max_idle_time", "1m");
			options.put("max_life_time", "2h");
			options.put("acquire_timeout", "3s");
			options.put("connect_timeout", "4s");
			options.put("statement_timeout", "5s");
			options.put("disconnect_timeout", "6s");
			ConnectOptions read = fromBuilder(options);
			assertThat(read.maxIdleTime()).isEqualTo(Duration.ofMinutes(1));
			assertThat(read.maxLifeTime()).isEqualTo(Duration.ofHours(2));
			assertThat(read.acquireTimeout()).isEqualTo(Duration.ofSeconds(3));
			assertThat(read.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
			assertThat(read.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(read.disconnectTimeout()).isEqualTo(Duration.ofSeconds(6));
			assertThat(read.driverOptions()).isEmpty();
		}

		@Test
		void durationValuesOfOtherTypesShouldBeRead() {
			assertThat(fromBuilder(Map.of("connect_timeout", Duration.ofMillis(1500))).connectTimeout())
				.isEqualTo(Duration.ofMillis(1500));
			assertThat(fromBuilder(Map.of("connect_timeout", 7)).connectTimeout()).isEqualTo(Duration.ofSeconds(7));
			assertThat(fromBuilder(Map.of("connect_timeout", 7L)).connectTimeout()).isEqualTo(Duration.ofSeconds(7));
		}

		@Test
		void statementTimeoutZeroShouldMeanNone() {
			assertThat(fromBuilder(Map.of("statement_timeout", "0")).statementTimeout()).isNull();
			assertThat(fromBuilder(Map.of("statement_timeout", Duration.ZERO)).statementTimeout()).isNull();
		}

		@ParameterizedTest
		@ValueSource(strings = { "abc", "-1", "-5s", "PT-1S", "-PT1S", "1.5s", "10 seconds", "1w", "P1M", "",
				"99999999999999999999d", "106751991167301d", "s", "PT" })
		void durationWhenNotAcceptedShouldNameTheOptionTheValueAndTheForms(String value) {
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("connect_timeout", value)))
				.withMessage("Invalid value '" + value + "' for option connect_timeout: expected a non-negative "
						+ "duration such as PT10S, 500ms, 10s, 5m, 1h, 1d or a whole number of seconds");
		}

		@Test
		void durationWhenWrongTypeShouldFail() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fromBuilder(Map.of("disconnect_timeout", Duration.ofSeconds(-1))))
				.withMessageStartingWith("Invalid value 'PT-1S' for option disconnect_timeout: expected a non-negative");
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("max_idle_time", true)))
				.withMessageStartingWith("Invalid value 'true' for option max_idle_time: expected a non-negative");
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("max_life_time", 1.5)))
				.withMessageStartingWith("Invalid value '1.5' for option max_life_time: expected a non-negative");
			assertThatIllegalArgumentException().isThrownBy(() -> fromBuilder(Map.of("statement_timeout", -3)))
				.withMessageStartingWith("Invalid value '-3' for option statement_timeout: expected a non-negative");
		}

		@Test
		void everyDurationOptionShouldBeChecked() {
			for (String name : new String[] { "max_idle_time", "max_life_time", "acquire_timeout", "connect_timeout",
					"statement_timeout", "disconnect_timeout" }) {
				assertThatIllegalArgumentException().as(name)
					.isThrownBy(() -> fromUrl("postgresql://h/db?" + name + "=later"))
					.withMessageStartingWith("Invalid value 'later' for option " + name + ": ");
			}
		}

	}

}

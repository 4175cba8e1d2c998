package dev.databases;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The documented options reach the server on every backend that has them, in the URL and
 * through the builder; one the driver lacks, or a misspelling, fails at {@code build()}.
 */
class DocumentedOptionsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static <T> T withDatabase(Database db, java.util.function.Function<Database, T> work) {
		db.connect().block(TIMEOUT);
		try {
			return work.apply(db);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

	private static String withOptions(String url, String query) {
		return url + (url.contains("?") ? "&" : "?") + query;
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void aMisspelledOptionShouldFailAtBuildWithTheNearestName(String url) {
		TestDatabases.assumeAvailable(url);
		InvalidOptionException inUrl = (InvalidOptionException) catchThrowable(
				() -> new Database(withOptions(url, "max_sise=5")));
		assertThat(inUrl.option()).isEqualTo("max_sise");
		assertThat(inUrl).hasMessageContaining("did you mean max_size?");
		assertThatThrownBy(() -> Database.builder(DatabaseURL.parse(url)).option("statement_timout", "1s").build())
			.isInstanceOf(InvalidOptionException.class)
			.hasMessageContaining("did you mean statement_timeout");
		// An option passed unchecked, as the driver names it, is still accepted.
		assertThat(Database.builder(DatabaseURL.parse(url)).option("driver.someOption", "x").build()).isNotNull();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void applicationNameShouldReachTheServerOrFailWhereTheDriverHasNone(String url) {
		TestDatabases.assumeAvailable(url);
		if (!TestDatabases.isPostgres(url)) {
			assertThatThrownBy(() -> new Database(withOptions(url, "application_name=notes")))
				.isInstanceOf(InvalidOptionException.class)
				.hasMessageContaining("Option application_name is not supported for");
			return;
		}
		String fromUrl = withDatabase(new Database(withOptions(url, "application_name=notes-url")),
				(db) -> db.fetchVal("SELECT current_setting('application_name')", String.class).block(TIMEOUT));
		assertThat(fromUrl).isEqualTo("notes-url");
		String fromBuilder = withDatabase(
				Database.builder(DatabaseURL.parse(url)).option("application_name", "notes-builder").build(),
				(db) -> db.fetchVal("SELECT current_setting('application_name')", String.class).block(TIMEOUT));
		assertThat(fromBuilder).isEqualTo("notes-builder");
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void sslModeShouldReachTheDriver(String url) {
		TestDatabases.assumeAvailable(url);
		// Neither test server offers TLS: "disable" connects in plain text, "require" is refused.
		Boolean plain = withDatabase(new Database(withOptions(url, "ssl=disable")),
				(db) -> db.fetchVal("SELECT 1", Integer.class).block(TIMEOUT) == 1);
		assertThat(plain).isTrue();
		if (TestDatabases.isPostgres(url)) {
			Boolean encrypted = withDatabase(new Database(withOptions(url, "ssl=prefer")), (db) -> db
				.fetchVal("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", Boolean.class).block(TIMEOUT));
			assertThat(encrypted).as("prefer falls back to plain text on a server without TLS").isFalse();
		}
		Database required = new Database(withOptions(url, "ssl=require&connect_timeout=5s"));
		Throwable refused = catchThrowable(() -> required.connect().block(TIMEOUT));
		required.disconnect().onErrorResume((error) -> reactor.core.publisher.Mono.empty()).block(TIMEOUT);
		assertThat(refused).as("ssl=require reached the driver, which insists on TLS").isNotNull();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void statementCacheSizeShouldReachTheDriver(String url) {
		TestDatabases.assumeAvailable(url);
		if (!TestDatabases.isPostgres(url)) {
			// r2dbc-mysql takes it as prepareCacheSize; the server shows nothing of a client cache.
			assertThat(new Database(withOptions(url, "statement_cache_size=0"))).isNotNull();
			return;
		}
		String prepared = "SELECT count(*) FROM pg_prepared_statements";
		Long withCache = withDatabase(new Database(withOptions(url, "max_size=1")),
				(db) -> db.fetchVal("SELECT :n::int", Map.of("n", 1), Integer.class)
					.then(db.fetchVal(prepared, Long.class)).block(TIMEOUT));
		assertThat(withCache).as("the bounded default cache keeps a named statement").isPositive();
		Long without = withDatabase(new Database(withOptions(url, "max_size=1&statement_cache_size=0")),
				(db) -> db.fetchVal("SELECT :n::int", Map.of("n", 1), Integer.class)
					.then(db.fetchVal(prepared, Long.class)).block(TIMEOUT));
		assertThat(without).as("statement_cache_size=0: unnamed statements only").isZero();
	}

}

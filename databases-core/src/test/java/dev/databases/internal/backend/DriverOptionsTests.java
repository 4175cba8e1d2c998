package dev.databases.internal.backend;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DriverOptions}: the documented names translated per driver, the driver's own names
 * let through, {@code driver.*} unchecked, and misspellings caught with the nearest names.
 */
class DriverOptionsTests {

	private static Backend backend(String dialect) {
		return Backend.of(dialect, "the test");
	}

	@Test
	void documentedNamesShouldBecomeEachDriversOwn() {
		DriverOptions postgres = new DriverOptions("r2dbc-postgresql", Map.of("application_name", "applicationName"),
				Map.of("application_name", "ApplicationName"), List.of(), (name) -> false);
		Map<String, String> given = Map.of("application_name", "notes", "driver.fooBar", "1", "tcpKeepAlive", "true");
		assertThat(postgres.forR2dbc(given)).containsOnly(Map.entry("applicationName", "notes"),
				Map.entry("fooBar", "1"), Map.entry("tcpKeepAlive", "true"));
		assertThat(postgres.forJdbc(given)).containsEntry("ApplicationName", "notes").containsEntry("fooBar", "1");
		DriverOptions mysql = new DriverOptions("r2dbc-mysql", Map.of(), Map.of(), List.of(), (name) -> false);
		assertThat(mysql.forJdbc(Map.of("application_name", "x", "statement_cache_size", "0")))
			.as("a documented option the driver lacks is left out").isEmpty();
	}

	@Test
	void aMisspelledLibraryOptionShouldBeRefusedWithTheNearestName() {
		for (String dialect : List.of("postgresql", "mysql", "mariadb", "h2", "sqlite")) {
			assertThat(backend(dialect).optionProblem("max_sise")).as(dialect)
				.startsWith("Unknown option 'max_sise' for ")
				.contains("did you mean max_size?")
				.contains("driver.<name>");
		}
		assertThat(backend("postgresql").optionProblem("applicationname")).contains("did you mean application_name or applicationName?");
		assertThat(backend("postgresql").optionProblem("statement_cache")).contains("statement_cache_size");
	}

	@Test
	void theLibrarysDriversOwnAndRawNamesShouldPass() {
		Backend postgres = backend("postgresql");
		for (String name : List.of("max_size", "ssl", "host", "unix_sock", "application_name", "statement_cache_size",
				"applicationName", "preparedStatementCacheQueries", "tcpKeepAlive", "connectTimeout", "driver.anything")) {
			assertThat(postgres.optionProblem(name)).as(name).isNull();
		}
		assertThat(backend("mysql").optionProblem("prepareCacheSize")).isNull();
		assertThat(backend("mysql").optionProblem("unix_socket")).isNull();
		assertThat(backend("h2").optionProblem("DB_CLOSE_DELAY")).as("H2's own settings").isNull();
		assertThat(backend("h2").optionProblem("MODE")).isNull();
	}

	@Test
	void aDocumentedOptionTheDriverLacksShouldSaySo() {
		assertThat(backend("mariadb").optionProblem("application_name"))
			.isEqualTo("Option application_name is not supported for MySQL: r2dbc-mysql has nothing like it; leave it out");
		assertThat(backend("h2").optionProblem("statement_cache_size")).contains("r2dbc-h2 has nothing like it");
	}

	@Test
	void closestShouldPreferTheSameNameButForCaseAndUnderscores() {
		assertThat(DriverOptions.closest("Max_Size", List.of("max_size", "min_size"))).containsExactly("max_size");
		assertThat(DriverOptions.closest("zzz", List.of("max_size"))).isEmpty();
	}

}

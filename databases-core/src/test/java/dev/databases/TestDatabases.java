package dev.databases;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.provider.Arguments;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The databases the backend-independent tests run on: H2 always, plus every URL in
 * {@code DATABASES_TEST_URLS}. Without that variable, PostgreSQL and MySQL come from
 * Testcontainers where Docker runs, and are reported as skipped where it does not.
 * {@code DATABASES_TEST_REQUIRE=all} turns a server that cannot be reached into a failure.
 */
final class TestDatabases {

	static final String SKIPPED = "skipped:";

	private TestDatabases() {
	}

	/** Arguments for {@code @MethodSource}: one URL per backend, skipped ones included so they show. */
	static Stream<Arguments> urls() {
		return targets().stream().map((url) -> Arguments.of(url));
	}

	/**
	 * Backends where a second Database on the same URL sees the same data and readers are
	 * not blocked by an open write transaction: all but in-memory SQLite, whose database
	 * belongs to one Database and locks as a whole.
	 */
	static Stream<Arguments> sharedUrls() {
		return targets().stream().filter((url) -> !url.equals("sqlite://")).map((url) -> Arguments.of(url));
	}

	/** A fresh SQLite file in the temp directory (an absolute path, so four slashes in the URL). */
	private static String sqliteFile() {
		try {
			java.nio.file.Path file = java.nio.file.Files.createTempFile("databases-test-", ".db");
			file.toFile().deleteOnExit();
			return file.toAbsolutePath().toString();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("Cannot create a SQLite test file", ex);
		}
	}

	/** Only the server backends, for tests about servers (killing connections, backend ids). */
	static Stream<Arguments> serverUrls() {
		return targets().stream().filter((url) -> !url.startsWith("h2:") && !url.startsWith("sqlite:"))
			.map((url) -> Arguments.of(url));
	}

	static List<String> targets() {
		List<String> urls = new ArrayList<>();
		urls.add("h2:mem:///test_" + UUID.randomUUID().toString().replace("-", ""));
		urls.add("sqlite:///" + sqliteFile());
		urls.add("sqlite://");
		String configured = System.getenv("DATABASES_TEST_URLS");
		if (configured != null && !configured.isBlank()) {
			for (String url : configured.split(",")) {
				if (!url.isBlank()) {
					urls.add(url.trim());
				}
			}
		}
		else {
			urls.addAll(Containers.urlsOrSkipped());
		}
		return urls;
	}

	/** Call first in every parameterised test: aborts (a visible skip) for a backend that is not available. */
	static void assumeAvailable(String url) {
		Assumptions.assumeFalse(url.startsWith(SKIPPED), () -> url.substring(SKIPPED.length()));
	}

	static boolean requireAll() {
		return "all".equalsIgnoreCase(System.getenv("DATABASES_TEST_REQUIRE"));
	}

	static String dialect(String url) {
		return DatabaseURL.parse(url).dialect().toLowerCase(Locale.ROOT);
	}

	static boolean isPostgres(String url) {
		return dialect(url).startsWith("postgres");
	}

	static boolean isMySql(String url) {
		String dialect = dialect(url);
		return dialect.equals("mysql") || dialect.equals("mariadb");
	}

	static boolean isSqlite(String url) {
		return dialect(url).equals("sqlite");
	}

	static boolean isH2(String url) {
		return dialect(url).equals("h2");
	}

	/** An auto-increment primary key in the backend's own words. */
	static String idColumn(String url) {
		if (isPostgres(url)) {
			return "id SERIAL PRIMARY KEY";
		}
		if (isSqlite(url)) {
			return "id INTEGER PRIMARY KEY AUTOINCREMENT";
		}
		return "id INTEGER AUTO_INCREMENT PRIMARY KEY";
	}

	static String timestampType(String url) {
		return isMySql(url) ? "DATETIME" : "TIMESTAMP";
	}

	/** The tables of the Python project's tests, created fresh. */
	static Mono<Void> createTables(Database db, String url) {
		String id = idColumn(url);
		return Flux
			.just("DROP TABLE IF EXISTS notes", "DROP TABLE IF EXISTS articles", "DROP TABLE IF EXISTS events",
					"DROP TABLE IF EXISTS daily_schedule", "DROP TABLE IF EXISTS tshirt_size",
					"DROP TABLE IF EXISTS prices",
					"CREATE TABLE notes (" + id + ", text VARCHAR(100), completed BOOLEAN)",
					"CREATE TABLE articles (" + id + ", title VARCHAR(100), published " + timestampType(url) + ")",
					"CREATE TABLE events (" + id + ", date DATE)",
					"CREATE TABLE daily_schedule (" + id + ", time TIME)",
					"CREATE TABLE tshirt_size (" + id + ", size VARCHAR(20), color INTEGER)",
					"CREATE TABLE prices (" + id + ", price NUMERIC(30, 20))")
			.concatMap(db::execute)
			.then();
	}

	static Mono<Void> dropTables(Database db) {
		return Flux
			.just("DROP TABLE IF EXISTS notes", "DROP TABLE IF EXISTS articles", "DROP TABLE IF EXISTS events",
					"DROP TABLE IF EXISTS daily_schedule", "DROP TABLE IF EXISTS tshirt_size",
					"DROP TABLE IF EXISTS prices")
			.concatMap(db::execute)
			.then();
	}

}

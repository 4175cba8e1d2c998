package dev.databases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link TestDatabases} for the query-builder tests in other packages
 * ({@code dev.databases.relational}, {@code dev.databases.jooq}): the same backends, SQLite
 * always among them, since the builders render its dialect on their own. Each builder suite names its own
 * tables ({@code qb_<builder>_notes}, {@code qb_<builder>_authors}) because other suites share
 * the server databases.
 */
public final class QueryBuilderTestDatabases {

	private QueryBuilderTestDatabases() {
	}

	/**
	 * Arguments for {@code @MethodSource}: every backend of {@link TestDatabases#urls()}, and a
	 * fresh SQLite file should those have no SQLite.
	 * @return one URL per backend, skipped ones included so they show
	 */
	public static Stream<Arguments> urls() {
		List<String> urls = new ArrayList<>(TestDatabases.targets());
		if (urls.stream().noneMatch((url) -> url.startsWith("sqlite:"))) {
			urls.add(sqliteUrl());
		}
		return urls.stream().map((url) -> Arguments.of(url));
	}

	/**
	 * Aborts the test (a visible skip) for a backend that is not available.
	 * @param url the URL
	 */
	public static void assumeAvailable(String url) {
		TestDatabases.assumeAvailable(url);
	}

	/**
	 * Drops and creates the two tables of a builder suite: {@code <prefix>_authors(id, name)}
	 * and {@code <prefix>_notes(id, text, completed, author_id)}.
	 * @param db a connected database
	 * @param url its URL
	 * @param prefix the suite's table prefix, e.g. {@code qb_jooq}
	 * @return completes when the tables exist
	 */
	public static Mono<Void> createTables(Database db, String url, String prefix) {
		String id = TestDatabases.idColumn(url);
		return dropTables(db, prefix).thenMany(Flux.just(
				"CREATE TABLE " + prefix + "_authors (" + id + ", name VARCHAR(100))",
				"CREATE TABLE " + prefix + "_notes (" + id + ", text VARCHAR(100), completed BOOLEAN, author_id INTEGER)"))
			.concatMap(db::execute)
			.then();
	}

	/**
	 * Drops the two tables of a builder suite.
	 * @param db a connected database
	 * @param prefix the suite's table prefix
	 * @return completes when the tables are gone
	 */
	public static Mono<Void> dropTables(Database db, String prefix) {
		return Flux.just("DROP TABLE IF EXISTS " + prefix + "_notes", "DROP TABLE IF EXISTS " + prefix + "_authors")
			.concatMap(db::execute)
			.then();
	}

	/**
	 * The database kind of a URL, as {@link DatabaseURL#dialect()} names it.
	 * @param url the URL
	 * @return e.g. {@code postgresql}
	 */
	public static String dialect(String url) {
		return TestDatabases.dialect(url);
	}

	private static String sqliteUrl() {
		try {
			Path directory = Files.createTempDirectory("qb-sqlite");
			directory.toFile().deleteOnExit();
			Path file = directory.resolve("qb-" + UUID.randomUUID() + ".db");
			file.toFile().deleteOnExit();
			// sqlite:// + /absolute/path: four slashes.
			return "sqlite:///" + file.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

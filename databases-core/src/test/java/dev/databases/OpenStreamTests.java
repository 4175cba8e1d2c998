package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for statements sent on a connection while an {@link Database#iterate} stream is
 * still open on it: Python's databases issue 176 (a query inside an {@code iterate()} loop
 * hangs). Inside a block the inner statements must run on the block's connection, see its
 * rows and commit or roll back with it, on every backend, and never hang.
 */
class OpenStreamTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	/** More rows than one fetch of a cursor (500) and than the drivers read ahead. */
	private static final int ROWS = 2_000;

	private static final String SOURCE = "SELECT id FROM open_stream_src ORDER BY id";

	private static final String COPY = "INSERT INTO open_stream_dst(id) VALUES (:id)";

	private static <T> T run(String url, Function<Database, Mono<T>> test) {
		return run(Database.builder(url).build(), url, test);
	}

	private static <T> T run(Database db, String url, Function<Database, Mono<T>> test) {
		TestDatabases.assumeAvailable(url);
		db.connect().then(createTables(db)).block(TIMEOUT);
		try {
			return test.apply(db).block(TIMEOUT);
		}
		finally {
			Flux.just("DROP TABLE IF EXISTS open_stream_src", "DROP TABLE IF EXISTS open_stream_dst")
				.concatMap(db::execute)
				.then()
				.onErrorResume((error) -> Mono.empty())
				.block(TIMEOUT);
			assertThat(db.poolMetrics().map((metrics) -> metrics.acquiredSize()).orElse(0)).as("connections held")
				.isZero();
			db.disconnect().block(TIMEOUT);
		}
	}

	private static Mono<Void> createTables(Database db) {
		List<Map<String, Object>> rows = new java.util.ArrayList<>();
		for (int i = 1; i <= ROWS; i++) {
			rows.add(Map.of("id", i));
		}
		return Flux
			.just("DROP TABLE IF EXISTS open_stream_src", "DROP TABLE IF EXISTS open_stream_dst",
					"CREATE TABLE open_stream_src (id INTEGER PRIMARY KEY)",
					"CREATE TABLE open_stream_dst (id INTEGER PRIMARY KEY)")
			.concatMap(db::execute)
			.then(db.executeMany("INSERT INTO open_stream_src(id) VALUES (:id)", rows))
			.then();
	}

	private static Mono<Long> copied(Database db) {
		return db.fetchVal("SELECT COUNT(*) FROM open_stream_dst", Long.class);
	}

	/** Each row copied, and the copy counted inside the block: the inner statements see the block's own rows. */
	private static Mono<Long> copyEachRow(Database db) {
		return db.iterate(SOURCE)
			.concatMap((row) -> db.execute(COPY, Map.of("id", row.get("id", Integer.class)))
				.then(db.fetchVal("SELECT COUNT(*) FROM open_stream_dst", Long.class))
				.doOnNext((count) -> assertThat(count).as("rows copied so far, seen inside the block")
					.isEqualTo(row.get("id", Integer.class).longValue())))
			.count();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void statementsInsideIterateInTransactionRunOnItsConnectionAndCommit(String url) {
		Long copied = run(url, (db) -> db.transaction((tx) -> copyEachRow(db)).then(copied(db)));
		assertThat(copied).isEqualTo(ROWS);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void statementsInsideIterateInTransactionRollBackWithIt(String url) {
		Long copied = run(url, (db) -> db
			.transaction((tx) -> copyEachRow(db).then(Mono.error(new IllegalStateException("roll back"))))
			.onErrorResume(IllegalStateException.class, (error) -> Mono.empty())
			.then(copied(db)));
		assertThat(copied).isZero();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void statementsInsideIterateInConnectionBlockRunOnItsConnection(String url) {
		Long copied = run(url,
				(db) -> db.connection((connection) -> connection.iterate(SOURCE)
					.concatMap((row) -> db.execute(COPY, Map.of("id", row.get("id", Integer.class))))
					.count()).then(copied(db)));
		assertThat(copied).isEqualTo(ROWS);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void statementsInsideIterateWithPoolOfOneRunOnTheBlocksConnection(String url) {
		Database db = Database.builder(url).option("max_size", 1).option("acquire_timeout", "20s").build();
		Long copied = run(db, url, (database) -> database.transaction((tx) -> copyEachRow(database))
			.then(database.connection((connection) -> database.iterate(SOURCE)
				.concatMap((row) -> database.execute("DELETE FROM open_stream_dst WHERE id = :id",
						Map.of("id", row.get("id", Integer.class))))
				.then(copied(database))).single()));
		assertThat(copied).isZero();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void savepointsInsideIterateKeepTheOuterWork(String url) {
		Long copied = run(url, (db) -> db.transaction((tx) -> db.iterate(SOURCE)
			.concatMap((row) -> {
				int id = row.get("id", Integer.class);
				Mono<ExecuteResult> insert = db.execute(COPY, Map.of("id", id));
				// Odd rows are inserted in a savepoint that rolls back.
				return (id % 2 == 1) ? db.transaction((inner) -> insert.then(inner.rollback())).then()
						: insert.then();
			})
			.then()).then(copied(db)));
		assertThat(copied).isEqualTo(ROWS / 2);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void iterateInsideIterateInTransaction(String url) {
		Long pairs = run(url, (db) -> db.transaction((tx) -> db.iterate("SELECT id FROM open_stream_src WHERE id <= 3")
			.concatMap((outer) -> db.iterate(SOURCE).count())
			.reduce(0L, Long::sum)));
		assertThat(pairs).isEqualTo(3L * ROWS);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void fetchOneInsideIterateThroughTheTransactionsConnection(String url) {
		Long matched = run(url, (db) -> db.beginTransaction()
			.flatMap((tx) -> tx.connection()
				.iterate(SOURCE)
				.concatMap((row) -> tx.connection()
					.fetchVal("SELECT id FROM open_stream_src WHERE id = :id", Map.of("id", row.get("id", Integer.class)),
							Integer.class)
					.filter((id) -> id.equals(row.get("id", Integer.class))))
				.count()
				.flatMap((count) -> tx.commit().thenReturn(count))));
		assertThat(matched).isEqualTo(ROWS);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void iterateCutShortAfterInnerStatementsReleasesTheConnection(String url) {
		Long copied = run(url, (db) -> db.transaction((tx) -> db.iterate(SOURCE)
			.concatMap((row) -> db.execute(COPY, Map.of("id", row.get("id", Integer.class))))
			.take(700)
			.count()
			.flatMap((count) -> db.execute(COPY, Map.of("id", ROWS + 1)).thenReturn(count)))
			.then(copied(db)));
		assertThat(copied).isEqualTo(701);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#sharedUrls")
	void statementsInsideIterateWithForceRollbackDoNotWaitForTheStream(String url) {
		Long[] inside = new Long[1];
		Long after = run(url, (db) -> {
			Database forced = Database.builder(url).forceRollback(true).build();
			return forced.connect()
				.then(forced.iterate(SOURCE)
					.concatMap((row) -> forced.execute(COPY, Map.of("id", row.get("id", Integer.class))))
					.count())
				.then(copied(forced))
				.doOnNext((count) -> inside[0] = count)
				.then(forced.disconnect())
				.then(copied(db));
		});
		assertThat(inside[0]).as("rows copied, seen through the force-rollback database").isEqualTo(ROWS);
		assertThat(after).as("rows left after its disconnect rolled back").isZero();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void errorOfAnInnerStatementEndsTheStreamAndRollsBack(String url) {
		Throwable[] failure = new Throwable[1];
		Long copied = run(url, (db) -> db.transaction((tx) -> db.iterate(SOURCE)
			.concatMap((row) -> {
				int id = row.get("id", Integer.class);
				// Row 600 repeats id 1: a duplicate key.
				return db.execute(COPY, Map.of("id", (id == 600) ? 1 : id));
			})
			.then())
			.doOnError((error) -> failure[0] = error)
			.onErrorResume((error) -> Mono.empty())
			.then(copied(db)));
		assertThat(failure[0]).isInstanceOf(ConstraintViolationException.class);
		assertThat(copied).isZero();
	}

}

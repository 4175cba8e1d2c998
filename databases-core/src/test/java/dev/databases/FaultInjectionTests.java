package dev.databases;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static dev.databases.ReliabilitySupport.awaitAllReleased;
import static dev.databases.ReliabilitySupport.awaitClosedByDriver;
import static dev.databases.ReliabilitySupport.awaitRunning;
import static dev.databases.ReliabilitySupport.kill;
import static dev.databases.ReliabilitySupport.sessionId;
import static dev.databases.ReliabilitySupport.sleep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions killed by the server (PostgreSQL's {@code pg_terminate_backend}, MariaDB's
 * {@code KILL}) while idle in the pool, during a query, during a stream and inside a
 * transaction, and every session of a pool killed at once as a server restart would: the
 * caller gets a {@link ConnectionException} without a hang, nothing is half-applied, and the
 * pool recovers without a new {@link Database}.
 */
class FaultInjectionTests {

	private static final String TX_TABLE = "rel_fault_tx";

	private static final String NUMBERS_TABLE = "rel_fault_numbers";

	/** A million rows from a thousand: longer than any buffer between the server and the caller. */
	private static final String MILLION_ROWS = "SELECT a.n * 1000 + b.n AS n FROM " + NUMBERS_TABLE + " a CROSS JOIN "
			+ NUMBERS_TABLE + " b";

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void sessionKilledWhileIdleInThePoolShouldBeReplacedForTheNextQuery(String url) {
		TestDatabases.assumeAvailable(url);
		Database admin = ReliabilitySupport.admin(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1));
		try {
			// Several rounds, since a pool that only sometimes notices a dead connection is the usual failure.
			for (int round = 0; round < 5; round++) {
				ReliabilitySupport.Session session = ReliabilitySupport.session(db, url).block(NO_HANG);
				long killed = session.id();
				kill(admin, url, killed).then(awaitClosedByDriver(session)).block(NO_HANG);
				StepVerifier.create(sessionId(db, url))
					.assertNext((id) -> assertThat(id).as("a fresh session after killing %d", killed)
						.isNotEqualTo(killed))
					.expectComplete()
					.verify(NO_HANG);
			}
			assertThat(db.poolMetrics().get().acquiredSize()).isZero();
		}
		finally {
			ReliabilitySupport.disconnect(db, admin);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void sessionKilledDuringAQueryShouldFailItWithConnectionExceptionAndRecover(String url) {
		TestDatabases.assumeAvailable(url);
		Database admin = ReliabilitySupport.admin(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1));
		AtomicLong killed = new AtomicLong();
		try {
			String sleep = sleep(url, 60);
			Flux<Void> work = db.connection((connection) -> sessionId(connection, url).flatMap((id) -> {
				killed.set(id);
				return Mono.when(connection.fetchAll(sleep), awaitRunning(admin, url, id, "leep(60").then(kill(admin,
						url, id)));
			}));
			StepVerifier.create(work).expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(ConnectionException.class);
				assertThat(((DatabaseException) error).sql()).isEqualTo(sleep);
			}).verify(NO_HANG);
			assertThat(db.poolMetrics().get().acquiredSize()).isZero();
			StepVerifier.create(sessionId(db, url))
				.assertNext((id) -> assertThat(id).isNotEqualTo(killed.get()))
				.expectComplete()
				.verify(NO_HANG);
		}
		finally {
			ReliabilitySupport.disconnect(db, admin);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void sessionKilledDuringIterateShouldEndTheStreamWithConnectionExceptionAndRecover(String url) {
		TestDatabases.assumeAvailable(url);
		Database admin = ReliabilitySupport.admin(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1));
		AtomicLong received = new AtomicLong();
		try {
			createNumbers(db);
			Flux<Long> work = db.connection((connection) -> sessionId(connection, url)
				.flatMapMany((id) -> connection.iterate(MILLION_ROWS).index().concatMap((row) -> {
					received.incrementAndGet();
					// Kill once the stream is flowing; the rows already in flight may still arrive.
					return (row.getT1() == 1000) ? kill(admin, url, id).thenReturn(row.getT1())
							: Mono.just(row.getT1());
				})));
			StepVerifier.create(work.then())
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ConnectionException.class))
				.verify(NO_HANG);
			assertThat(received.get()).isGreaterThan(1000).isLessThan(1_000_000);
			awaitAllReleased(db).block(NO_HANG);
			StepVerifier.create(db.fetchVal("SELECT COUNT(*) FROM " + NUMBERS_TABLE, Map.of(), Number.class))
				.assertNext((count) -> assertThat(count.longValue()).isEqualTo(1000))
				.expectComplete()
				.verify(NO_HANG);
		}
		finally {
			dropQuietly(db, NUMBERS_TABLE);
			ReliabilitySupport.disconnect(db, admin);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void sessionKilledInsideATransactionShouldFailTheNextStatementAndApplyNothing(String url) {
		TestDatabases.assumeAvailable(url);
		Database admin = ReliabilitySupport.admin(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1));
		try {
			createTxTable(db);
			Mono<Object> work = db.transaction((tx) -> insert(db, 1).then(insert(db, 2))
				.then(sessionId(db, url))
				.flatMap((id) -> kill(admin, url, id))
				.then(insert(db, 3))
				.thenReturn("committed"));
			StepVerifier.create(work)
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ConnectionException.class))
				.verify(NO_HANG);
			assertThat(db.poolMetrics().get().acquiredSize()).isZero();
			assertRowCount(db, 0);
		}
		finally {
			dropQuietly(db, TX_TABLE);
			ReliabilitySupport.disconnect(db, admin);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void sessionKilledBeforeCommitShouldFailTheCommitAndApplyNothing(String url) {
		TestDatabases.assumeAvailable(url);
		Database admin = ReliabilitySupport.admin(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1));
		try {
			createTxTable(db);
			// The inner savepoint has been released; the kill leaves COMMIT as the next thing sent.
			Mono<Object> work = db.transaction((tx) -> insert(db, 1)
				.then(db.transaction((inner) -> insert(db, 2)))
				.then(sessionId(db, url))
				.flatMap((id) -> kill(admin, url, id))
				.thenReturn("committed"));
			Signal<Object> outcome = work.materialize().block(NO_HANG);
			// Nothing applied, whatever the error looks like.
			assertRowCount(db, 0);
			assertThat(db.poolMetrics().get().acquiredSize()).isZero();
			assertThat(outcome.getThrowable()).as("the error of a commit on a killed session")
				.isInstanceOf(ConnectionException.class)
				.hasMessageContaining("COMMIT");
		}
		finally {
			dropQuietly(db, TX_TABLE);
			ReliabilitySupport.disconnect(db, admin);
		}
	}

	/**
	 * A transaction begun by raw SQL whose session dies before the lease ends: the rollback
	 * that the release runs fails, the dead session is dropped rather than lent again, and
	 * the next lease gets a live one in auto-commit.
	 */
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void sessionKilledInsideARawTransactionShouldBeDroppedOnRelease(String url) {
		TestDatabases.assumeAvailable(url);
		Database admin = ReliabilitySupport.admin(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1));
		try {
			String begin = TestDatabases.isMySql(url) ? "START TRANSACTION" : "BEGIN";
			long killed = db.connection((connection) -> connection.execute(begin)
				.then(sessionId(connection, url))
				.flatMap((id) -> kill(admin, url, id)
					.then(awaitClosedByDriver(new ReliabilitySupport.Session(id, ConnectionLease.physical(connection.raw()))))
					.thenReturn(id)))
				.single()
				.block(NO_HANG);
			StepVerifier.create(sessionId(db, url))
				.assertNext((id) -> assertThat(id).as("a fresh session after killing %d", killed).isNotEqualTo(killed))
				.expectComplete()
				.verify(NO_HANG);
			assertThat(db.connection((connection) -> Mono.fromSupplier(() -> connection.raw().isAutoCommit()))
				.blockLast(NO_HANG)).isTrue();
			awaitAllReleased(db).block(NO_HANG);
		}
		finally {
			ReliabilitySupport.disconnect(db, admin);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void everySessionKilledAtOnceShouldLeaveNoDeadConnectionInThePool(String url) {
		TestDatabases.assumeAvailable(url);
		int size = 4;
		Database admin = ReliabilitySupport.admin(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", size, "max_size", size));
		try {
			Set<ReliabilitySupport.Session> sessions = holdEveryConnection(db, url, size);
			Set<Long> killed = sessions.stream().map(ReliabilitySupport.Session::id).collect(Collectors.toSet());
			assertThat(killed).hasSize(size);
			// A server restart as the pool sees it: every session it holds is gone at once.
			Flux.fromIterable(sessions)
				.flatMap((session) -> kill(admin, url, session.id()).then(awaitClosedByDriver(session)))
				.then()
				.block(NO_HANG);
			StepVerifier.create(sessionId(db, url))
				.assertNext((id) -> assertThat(killed).doesNotContain(id))
				.expectComplete()
				.verify(NO_HANG);
			// Then a burst that needs every connection: none of them may be a dead one.
			StepVerifier.create(Flux.range(0, size * 4).flatMap((i) -> sessionId(db, url), size * 4).collectList())
				.assertNext((ids) -> assertThat(ids).hasSize(size * 4).doesNotContainAnyElementsOf(killed))
				.expectComplete()
				.verify(NO_HANG);
			assertThat(db.poolMetrics().get().acquiredSize()).isZero();
		}
		finally {
			ReliabilitySupport.disconnect(db, admin);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void statementTimeoutShouldStopALongStatementWithAClearErrorAndKeepTheConnectionUsable(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1, "statement_timeout", "1s"));
		try {
			long before = sessionId(db, url).block(NO_HANG);
			long started = System.nanoTime();
			StepVerifier.create(db.fetchAll(sleep(url, 5))).expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(DatabaseException.class).isNotInstanceOf(ConnectionException.class);
				// PostgreSQL: "canceling statement due to statement timeout" (57014); MariaDB: "Query execution
				// was interrupted (max_statement_time exceeded)" (1969).
				assertThat(error.getMessage()).containsAnyOf("statement timeout", "max_statement_time")
					.contains(sleep(url, 5));
			}).verify(NO_HANG);
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(took).isLessThan(Duration.ofMillis(4500));
			// The same session, still usable: the timeout cancelled the statement, not the connection.
			StepVerifier.create(sessionId(db, url))
				.assertNext((id) -> assertThat(id).isEqualTo(before))
				.expectComplete()
				.verify(NO_HANG);
		}
		finally {
			ReliabilitySupport.disconnect(db);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void serverErrorThatLeavesTheConnectionAliveShouldNotBeAConnectionException(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1));
		try {
			long before = sessionId(db, url).block(NO_HANG);
			// An error raised by SQL itself: PL/pgSQL's RAISE (SQLSTATE P0001) or SIGNAL (45000).
			String raise = TestDatabases.isPostgres(url) ? "DO $$ BEGIN RAISE EXCEPTION 'rel_boom'; END $$"
					: "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'rel_boom'";
			StepVerifier.create(db.execute(raise)).expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(DatabaseException.class).isNotInstanceOf(ConnectionException.class);
				assertThat(error.getMessage()).contains("rel_boom");
			}).verify(NO_HANG);
			StepVerifier.create(sessionId(db, url))
				.assertNext((id) -> assertThat(id).isEqualTo(before))
				.expectComplete()
				.verify(NO_HANG);
		}
		finally {
			ReliabilitySupport.disconnect(db);
		}
	}

	/** Hold {@code size} connections at once and return their session ids. */
	static Set<ReliabilitySupport.Session> holdEveryConnection(Database db, String url, int size) {
		Set<ReliabilitySupport.Session> sessions = ConcurrentHashMap.newKeySet();
		Sinks.Empty<Void> allHeld = Sinks.empty();
		Flux.range(0, size)
			.flatMap((i) -> db.connection((connection) -> sessionId(connection, url).flatMap((id) -> {
				sessions.add(new ReliabilitySupport.Session(id, ConnectionLease.physical(connection.raw())));
				if (sessions.size() == size) {
					allHeld.tryEmitEmpty();
				}
				return allHeld.asMono().thenReturn(id);
			})), size)
			.then()
			.block(NO_HANG);
		return new HashSet<>(sessions);
	}

	private static Mono<ExecuteResult> insert(Database db, int id) {
		return db.execute("INSERT INTO " + TX_TABLE + " (id, note) VALUES (:id, :note)",
				Map.of("id", id, "note", "row " + id));
	}

	private static void assertRowCount(Database db, long expected) {
		StepVerifier.create(db.fetchVal("SELECT COUNT(*) FROM " + TX_TABLE, Map.of(), Number.class))
			.assertNext((count) -> assertThat(count.longValue()).as("rows left by the failed transaction")
				.isEqualTo(expected))
			.expectComplete()
			.verify(NO_HANG);
	}

	private static void createTxTable(Database db) {
		db.execute("DROP TABLE IF EXISTS " + TX_TABLE)
			.then(db.execute("CREATE TABLE " + TX_TABLE + " (id INTEGER PRIMARY KEY, note VARCHAR(50))"))
			.block(NO_HANG);
	}

	static void createNumbers(Database db) {
		db.execute("DROP TABLE IF EXISTS " + NUMBERS_TABLE)
			.then(db.execute("CREATE TABLE " + NUMBERS_TABLE + " (n INTEGER)"))
			.then(db.executeMany("INSERT INTO " + NUMBERS_TABLE + " (n) VALUES (:n)", ReliabilitySupport.numbered(1000)))
			.block(NO_HANG);
	}

	static void dropQuietly(Database db, String table) {
		if (db.isConnected()) {
			db.execute("DROP TABLE IF EXISTS " + table).onErrorResume((error) -> Mono.empty()).block(NO_HANG);
		}
	}

}

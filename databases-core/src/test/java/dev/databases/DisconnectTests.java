package dev.databases;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Database#disconnect()} with work still running: it waits at most
 * {@code disconnect_timeout}, then ends that work with an error, which the work's
 * subscriber has received by the time {@code disconnect()} completes, whether or not the
 * work was using its connection; and the database connects again afterwards.
 */
class DisconnectTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String DISCONNECT_TIMEOUT = "300ms";

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void connectionBlockWaitingOnSomethingElseShouldGetAnErrorByTheTimeDisconnectCompletes(String url) {
		assertEndedByDisconnect(url, false, (db, waiting) -> db.connection((connection) -> waiting));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionWaitingOnSomethingElseShouldGetAnErrorAndApplyNothing(String url) {
		TestDatabases.assumeAvailable(url);
		Database setup = new Database(url);
		boolean sqliteMemory = url.equals("sqlite://");
		if (!sqliteMemory) {
			setup.connect().then(setup.execute("DROP TABLE IF EXISTS disconnect_tx"))
				.then(setup.execute("CREATE TABLE disconnect_tx (id INTEGER PRIMARY KEY)"))
				.block(TIMEOUT);
		}
		try {
			assertEndedByDisconnect(url, false, (db, waiting) -> (sqliteMemory ? Mono.<Void>empty()
					: db.execute("INSERT INTO disconnect_tx(id) VALUES (1)").then())
				.thenMany(db.transactionMany((tx) -> (sqliteMemory ? Mono.<Void>empty()
						: db.execute("INSERT INTO disconnect_tx(id) VALUES (2)").then())
					.thenMany(waiting))));
			if (!sqliteMemory) {
				assertThat(setup.fetchVal("SELECT COUNT(*) FROM disconnect_tx WHERE id = 2", Map.of(), Long.class)
					.block(TIMEOUT)).as("rows of the ended transaction").isZero();
				assertThat(setup.fetchVal("SELECT COUNT(*) FROM disconnect_tx WHERE id = 1", Map.of(), Long.class)
					.block(TIMEOUT)).as("rows committed before it").isOne();
			}
		}
		finally {
			if (!sqliteMemory) {
				setup.execute("DROP TABLE IF EXISTS disconnect_tx").onErrorResume((error) -> Mono.empty()).block(TIMEOUT);
				setup.disconnect().block(TIMEOUT);
			}
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void monoTransactionWaitingOnSomethingElseShouldGetAnError(String url) {
		assertEndedByDisconnect(url, false,
				(db, waiting) -> db.transaction((tx) -> db.fetchVal("SELECT 1", Map.of(), Integer.class)
					.then(waiting.then())).flux());
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#sharedUrls")
	void forceRollbackWorkWaitingOnSomethingElseShouldGetAnError(String url) {
		assertEndedByDisconnect(url, true, (db, waiting) -> db.connection((connection) -> waiting));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#sharedUrls")
	void forceRollbackWorkQueuedBehindStuckWorkShouldGetAnErrorToo(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = Database.builder(url).forceRollback(true).option("disconnect_timeout", DISCONNECT_TIMEOUT)
			.build();
		db.connect().block(TIMEOUT);
		AtomicReference<Throwable> stuck = new AtomicReference<>();
		AtomicReference<Throwable> queued = new AtomicReference<>();
		Sinks.Empty<Void> started = Sinks.empty();
		Disposable first = db.connection((connection) -> Mono.fromRunnable(started::tryEmitEmpty)
			.then(Mono.never())).subscribe(null, stuck::set);
		started.asMono().block(TIMEOUT);
		Disposable second = db.fetchAll("SELECT 1").subscribe(null, queued::set);
		try {
			db.disconnect().block(TIMEOUT);
			assertThat(stuck.get()).isInstanceOf(DatabaseException.class).hasMessageContaining("disconnect");
			assertThat(queued.get()).isInstanceOf(DatabaseException.class);
			assertReconnects(db, true);
		}
		finally {
			first.dispose();
			second.dispose();
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void iterateConsumerWaitingOnSomethingElseShouldGetAnError(String url) {
		// More rows than the drivers read ahead, so the stream is still open when the consumer waits.
		assertEndedByDisconnect(url, false, (db, waiting) -> db
			.iterate("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i FROM n")
			.concatMap((row) -> waiting));
	}

	/**
	 * Subscribe {@code work}, given a publisher that never ends (the "something else"),
	 * disconnect, and check that the work's subscriber got a {@link DatabaseException}
	 * naming the disconnect before {@code disconnect()} completed, and that the database
	 * then connects and answers again.
	 */
	private static void assertEndedByDisconnect(String url, boolean forceRollback,
			java.util.function.BiFunction<Database, Flux<Object>, Flux<?>> work) {
		TestDatabases.assumeAvailable(url);
		Database db = Database.builder(url).forceRollback(forceRollback)
			.option("disconnect_timeout", DISCONNECT_TIMEOUT)
			.build();
		db.connect().block(TIMEOUT);
		AtomicReference<Throwable> received = new AtomicReference<>();
		Sinks.Empty<Void> waiting = Sinks.empty();
		Flux<Object> somethingElse = Flux.<Object>never().doOnSubscribe((subscription) -> waiting.tryEmitEmpty());
		Disposable subscription = work.apply(db, somethingElse).subscribe(null, received::set);
		try {
			waiting.asMono().block(TIMEOUT);
			long start = System.nanoTime();
			db.disconnect().block(TIMEOUT);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(received.get()).as("the error the work got by the time disconnect() completed")
				.isInstanceOf(DatabaseException.class)
				.hasMessageContaining("disconnect");
			assertThat(took).as("disconnect() with work running").isLessThan(Duration.ofSeconds(10));
			assertReconnects(db, forceRollback);
		}
		finally {
			subscription.dispose();
		}
	}

	private static void assertReconnects(Database db, boolean forceRollback) {
		try {
			db.connect().block(TIMEOUT);
			assertThat(db.fetchVal("SELECT 1", Map.of(), Integer.class).block(TIMEOUT)).isEqualTo(1);
			// With force-rollback the one connection stays acquired for the database's life.
			assertThat(db.poolMetrics().map((metrics) -> metrics.acquiredSize()).orElse(-1))
				.isEqualTo(forceRollback ? 1 : 0);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

}

package dev.databases;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Work cancelled outside any transaction gives its connection back to the pool open when
 * the connection can be made clean within {@link Lender#CLEAN_AFTER_CANCEL} (on PostgreSQL
 * by stopping a statement still running with a cancel request), and closed when it cannot,
 * on the real servers. Physical connections are counted by the client ports of a
 * {@link LoopbackProxy} between the pool and the server.
 */
class CancelledWorkCleanupTests {

	private static final int MAX_SIZE = 2;

	private static final int CANCELS = 200;

	/** 10,000 rows, far more than the driver sends before the cancel reaches it. */
	private static final String MANY_ROWS = "SELECT a.n * 100 + b.n AS n FROM cleanup_numbers a CROSS JOIN cleanup_numbers b";

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void cancelledReadsGiveTheirConnectionsBackOpenAndTheNextQueriesGetTheirOwnAnswers(String url) {
		TestDatabases.assumeAvailable(url);
		LoopbackProxy proxy = ReliabilitySupport.proxyFor(url);
		Database db = connectThrough(proxy, url, MAX_SIZE);
		try {
			db.execute("DROP TABLE IF EXISTS cleanup_numbers")
				.then(db.execute("CREATE TABLE cleanup_numbers (n INTEGER)"))
				.then(db.executeMany("INSERT INTO cleanup_numbers (n) VALUES (:n)", ReliabilitySupport.numbered(100)))
				.block(NO_HANG);
			int before = proxy.upstreamPorts().size();
			String shortSleep = ReliabilitySupport.sleep(url, 0.02);
			for (int i = 0; i < CANCELS; i++) {
				// Cut short mid-result, and cancelled before the server answered, in turn.
				Mono<?> cancelled = (i % 2 == 0) ? db.iterate(MANY_ROWS).take(3).then()
						: db.fetchAll(shortSleep).timeout(Duration.ofMillis(2), Mono.empty());
				cancelled.block(NO_HANG);
				// Whichever connection it gets, the answer is this query's own.
				assertThat(db.fetchVal("SELECT " + i + " AS n", Number.class).block(NO_HANG).intValue()).isEqualTo(i);
			}
			ReliabilitySupport.awaitAllReleased(db).block(NO_HANG);
			int opened = proxy.upstreamPorts().size() - before;
			// Closing every cancelled connection would open about one per cancel.
			assertThat(opened).as("physical connections opened for %d cancelled reads", CANCELS)
				.isLessThanOrEqualTo(MAX_SIZE);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM cleanup_numbers", Number.class).block(NO_HANG).intValue())
				.isEqualTo(100);
		}
		finally {
			FaultInjectionTests.dropQuietly(db, "cleanup_numbers");
			ReliabilitySupport.disconnect(db);
			proxy.close();
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void aCancelledStatementStillRunningOnTheServerIsStoppedOrItsConnectionClosed(String url) {
		TestDatabases.assumeAvailable(url);
		LoopbackProxy proxy = ReliabilitySupport.proxyFor(url);
		Database db = connectThrough(proxy, url, 1);
		try {
			long session = ReliabilitySupport.sessionId(db, url).block(NO_HANG);
			int before = proxy.upstreamPorts().size();
			double seconds = Lender.CLEAN_AFTER_CANCEL.toMillis() / 1000.0 * 3;
			db.fetchAll(ReliabilitySupport.sleep(url, seconds)).timeout(Duration.ofMillis(50), Mono.empty()).block(NO_HANG);
			// The one connection is still asleep on the server: the pool neither waits for the
			// sleep nor lends the connection out busy.
			long started = System.nanoTime();
			assertThat(db.fetchVal("SELECT 2", Number.class).block(NO_HANG).intValue()).isEqualTo(2);
			Duration waited = Duration.ofNanos(System.nanoTime() - started);
			assertThat(waited).isLessThan(Duration.ofMillis((long) (seconds * 1000)));
			long next = ReliabilitySupport.sessionId(db, url).block(NO_HANG);
			if (TestDatabases.isPostgres(url)) {
				// A cancel request stopped the sleep, on a connection of its own, and the session
				// was lent again once it had answered a round trip.
				assertThat(next).as("session after the cancel").isEqualTo(session);
				assertThat(waited).isLessThan(Lender.CLEAN_AFTER_CANCEL);
			}
			else {
				// r2dbc-mysql cannot stop a statement: past the bound the connection is closed.
				assertThat(next).as("session after the cancel").isNotEqualTo(session);
			}
			assertThat(proxy.upstreamPorts().size() - before).isEqualTo(1);
		}
		finally {
			ReliabilitySupport.disconnect(db);
			proxy.close();
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void aStatementEndingAsItIsStoppedNeverCutsTheNextBorrowersStatementShort(String url) {
		TestDatabases.assumeAvailable(url);
		LoopbackProxy proxy = ReliabilitySupport.proxyFor(url);
		Database db = connectThrough(proxy, url, 1);
		try {
			for (int i = 0; i < 12; i++) {
				// Sleeps that end around the moment PostgreSQL's cleanup sends its cancel request, so
				// that the request races the sleep's own end and the round trip after it.
				double seconds = 0.44 + 0.01 * i;
				db.fetchAll(ReliabilitySupport.sleep(url, seconds)).timeout(Duration.ofMillis(20), Mono.empty()).block(NO_HANG);
				// The next borrower's statement runs long enough for a late cancel to reach it.
				Record answer = db.fetchOne(ReliabilitySupport.sleep(url, 0.05) + ", " + i + " AS n").block(NO_HANG);
				assertThat(answer.get("n", Number.class).intValue()).as("answer after cancel %d", i).isEqualTo(i);
			}
		}
		finally {
			ReliabilitySupport.disconnect(db);
			proxy.close();
		}
	}

	private static Database connectThrough(LoopbackProxy proxy, String url, int maxSize) {
		return ReliabilitySupport.connect(ReliabilitySupport.through(url, proxy).toUnmaskedString(),
				Map.of("min_size", 1, "max_size", maxSize));
	}

}

package dev.databases;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static dev.databases.ReliabilitySupport.await;
import static dev.databases.ReliabilitySupport.kill;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement whose session an operator kills while it runs ({@code pg_terminate_backend},
 * MariaDB's {@code KILL}) stays killed: the caller gets a {@link ConnectionException} at
 * once, the statement is never sent again on another connection, and the next query works.
 * Each run of the statement takes a number from a server-side sequence, which survives the
 * kill, so a second run would show as a second number taken.
 */
class FaultKilledStatementTests {

	private static final String SEQUENCE = "rel_killed_runs";

	/** How soon after the kill the caller must know: "within a second or two". */
	private static final Duration FAILS_WITHIN = Duration.ofSeconds(2);

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void statementKilledWhileRunningShouldFailOnceAndNeverRunAgain(String url) {
		assertKilledStatementIsNotResent(url, (db, sql) -> db.fetchAll(sql).then());
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void executeKilledWhileRunningShouldFailOnceAndNeverRunAgain(String url) {
		assertKilledStatementIsNotResent(url, (db, sql) -> db.execute(sql).then());
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void iterateKilledWhileRunningShouldFailOnceAndNeverRunAgain(String url) {
		assertKilledStatementIsNotResent(url, (db, sql) -> db.iterate(sql).then());
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void transactionKilledWhileRunningShouldFailOnceAndNeverRunAgain(String url) {
		assertKilledStatementIsNotResent(url, (db, sql) -> db.transaction((tx) -> db.fetchAll(sql)).then());
	}

	private static void assertKilledStatementIsNotResent(String url,
			java.util.function.BiFunction<Database, String, Mono<Void>> work) {
		TestDatabases.assumeAvailable(url);
		Database admin = ReliabilitySupport.admin(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 2));
		String marker = "killed_" + Long.toHexString(System.nanoTime());
		boolean postgres = TestDatabases.isPostgres(url);
		String sql = postgres ? "SELECT nextval('" + SEQUENCE + "'), pg_sleep(20) /* " + marker + " */"
				: "SELECT NEXTVAL(" + SEQUENCE + "), SLEEP(20) /* " + marker + " */";
		try {
			admin.execute("DROP SEQUENCE IF EXISTS " + SEQUENCE)
				.then(admin.execute("CREATE SEQUENCE " + SEQUENCE + (postgres ? "" : " NOCACHE")))
				.block(NO_HANG);
			long[] killedAt = new long[1];
			Mono<Void> killer = runningSession(admin, url, marker)
				.flatMap((id) -> Mono.fromRunnable(() -> killedAt[0] = System.nanoTime()).then(kill(admin, url, id)));
			Throwable failure = work.apply(db, sql)
				.then(Mono.<Throwable>empty())
				.onErrorResume(Mono::just)
				.zipWith(killer.subscribeOn(Schedulers.boundedElastic()).then(Mono.just(true)), (error, killed) -> error)
				.block(Duration.ofSeconds(30));
			long failedAfter = System.nanoTime() - killedAt[0];
			assertThat(failure).as("what the caller got").isInstanceOf(ConnectionException.class);
			assertThat(Duration.ofNanos(failedAfter)).as("time from the kill to the caller's error")
				.isLessThan(FAILS_WITHIN);
			Number runs = db.fetchVal(postgres
					? "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + SEQUENCE
					: "SELECT next_not_cached_value - 1 FROM " + SEQUENCE, Map.of(), Number.class).block(NO_HANG);
			assertThat(runs.longValue()).as("times the statement ran").isEqualTo(1);
			ReliabilitySupport.awaitAllReleased(db).block(NO_HANG);
		}
		finally {
			admin.execute("DROP SEQUENCE IF EXISTS " + SEQUENCE).onErrorResume((error) -> Mono.empty()).block(NO_HANG);
			ReliabilitySupport.disconnect(db, admin);
		}
	}

	/** The id of the session running the statement marked {@code marker}, once it runs. */
	private static Mono<Long> runningSession(Database admin, String url, String marker) {
		String sql = TestDatabases.isPostgres(url)
				? "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE :marker "
						+ "AND pid <> pg_backend_pid()"
				: "SELECT ID FROM information_schema.processlist WHERE COMMAND = 'Query' AND INFO LIKE :marker "
						+ "AND ID <> CONNECTION_ID()";
		Long[] found = new Long[1];
		return await(() -> admin.fetchVal(sql, Map.of("marker", "%* " + marker + " *%"), Number.class)
			.doOnNext((id) -> found[0] = id.longValue())
			.hasElement(), "a session to run " + marker).then(Mono.fromSupplier(() -> found[0]));
	}

}

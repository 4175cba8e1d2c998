package dev.databases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Failover on a real pair of PostgreSQL servers ({@code servers/pg-failover-pair}: a primary
 * on 5434 and a standby streaming from it on 5435, in {@code DATABASES_TEST_PG_FAILOVER_URLS}):
 * one {@link Database} on both hosts with {@code target_server_type=primary} keeps working,
 * without a restart, after the primary stops and the standby is promoted.
 * <p>
 * One failover per run, in one test, because making the pair again takes about ten
 * seconds; the pair is made again in {@code finally}, so the next run starts clean.
 */
class FailoverTests {

	private static final String URLS = "DATABASES_TEST_PG_FAILOVER_URLS";

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** The server a connection reached, and whether it takes writes. */
	private static final String WHICH_SERVER = "SELECT inet_server_port() AS port, pg_is_in_recovery() AS in_recovery";

	@Test
	void newWorkShouldReachThePromotedStandbyWithoutANewDatabase() throws Exception {
		String pair = pairUrl();
		runPairScript();
		String table = "failover_" + UUID.randomUUID().toString().replace("-", "");
		Database db = new Database(pair + "?target_server_type=primary&min_size=2&max_size=4&connect_timeout=5s");
		try {
			db.connect().block(WAIT);
			db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)").block(WAIT);
			db.execute("INSERT INTO " + table + " VALUES (1, 'before')").block(WAIT);
			assertServer(db, 5434);
			// Replication is asynchronous: what was written is on the standby before the primary goes.
			awaitOnStandby(pair, db.fetchVal("SELECT pg_current_wal_lsn()::text", String.class).block(WAIT));

			// A statement running on the primary when it stops.
			CompletableFuture<ExecuteResult> inFlight = db
				.execute("INSERT INTO " + table + " SELECT 99, 'in flight' FROM pg_sleep(60)")
				.toFuture();
			awaitTrue("the statement in flight to run on the primary",
					() -> db.fetchVal("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'", Long.class)
						.block(WAIT) == 1);

			runPairScript("stop-primary");
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(ConnectionException.class);
			// With the standby still read-only no server is a primary: new work fails, it does not
			// hang or write elsewhere.
			assertThatExceptionOfType(ConnectionException.class)
				.isThrownBy(() -> db.execute("INSERT INTO " + table + " VALUES (2, 'no primary')").block(WAIT))
				.withMessageStartingWith("Cannot connect to " + pair);

			runPairScript("promote");
			// The very first write after the promotion succeeds: the dead connections to 5434 are
			// dropped by the pool, and new ones go through the list of hosts to 5435.
			assertThat(db.execute("INSERT INTO " + table + " VALUES (3, 'after')").block(WAIT).rowsAffected())
				.isEqualTo(1);
			assertServer(db, 5435);
			// Every connection the pool now lends, several at once, is to the new primary.
			List<Integer> ports = Flux.range(10, 20)
				.flatMap((id) -> db.transaction((tx) -> tx.connection()
					.execute("INSERT INTO " + table + " VALUES (:id, 'after')", Map.of("id", id))
					.then(tx.connection().fetchVal("SELECT inet_server_port()", Integer.class))), 4)
				.collectList()
				.block(WAIT);
			assertThat(ports).hasSize(20).containsOnly(5435);
			// The rows written before the failover are there; the statement in flight was never sent
			// again, nor was the write refused while there was no primary.
			assertThat(db.fetchAll("SELECT id FROM " + table + " WHERE id < 10 ORDER BY id").block(WAIT))
				.extracting((row) -> row.get("id", Integer.class))
				.containsExactly(1, 3);
		}
		finally {
			db.disconnect().block(WAIT);
			// The promoted 5435 is made a standby of 5434 again; what was written on it is gone.
			runPairScript();
			Database.using(pair, (cleanup) -> cleanup.execute("DROP TABLE IF EXISTS " + table)).block(WAIT);
		}
	}

	private static void assertServer(Database db, int port) {
		Record server = db.fetchOne(WHICH_SERVER).block(WAIT);
		assertThat(server).isNotNull();
		assertThat(server.get("port", Integer.class)).isEqualTo(port);
		assertThat(server.get("in_recovery", Boolean.class)).isFalse();
	}

	/** Poll the standby (the second host, alone) until it has replayed the primary's WAL up to {@code lsn}. */
	private static void awaitOnStandby(String pair, String lsn) {
		DatabaseURL url = DatabaseURL.parse(pair);
		Database standby = new Database(url.withHosts(List.of(url.hosts().get(1))));
		try {
			standby.connect().block(WAIT);
			assertThat(standby.fetchVal("SELECT pg_is_in_recovery()", Boolean.class).block(WAIT)).as("5435 is a standby")
				.isTrue();
			awaitTrue("the standby to replay the WAL up to " + lsn,
					() -> standby.fetchVal("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)",
							Map.of("lsn", lsn), Boolean.class).block(WAIT));
		}
		finally {
			standby.disconnect().block(WAIT);
		}
	}

	private static void awaitTrue(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Waited " + WAIT.toSeconds() + " s for " + what);
			}
			Thread.onSpinWait();
		}
	}

	/** The pair's URL; without the variable the test is skipped, visibly. */
	private static String pairUrl() {
		String urls = System.getenv(URLS);
		if (urls == null || urls.isBlank()) {
			throw new TestAbortedException(URLS + " is not set: run servers/start-all, then source servers/env");
		}
		return urls.strip();
	}

	/** {@code servers/pg-failover-pair} with a verb, or without one to make the pair again; done when it returns. */
	private static void runPairScript(String... verb) throws IOException, InterruptedException {
		Path script = repositoryRoot().resolve("servers/pg-failover-pair");
		List<String> command = new ArrayList<>(List.of("bash", script.toString()));
		command.addAll(List.of(verb));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail(String.join(" ", command) + " did not end within 120 s");
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.exitValue() != 0) {
			fail(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
		}
	}

	private static Path repositoryRoot() {
		for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("servers/pg-failover-pair"))) {
				return dir;
			}
		}
		throw new IllegalStateException("No servers/pg-failover-pair above " + Paths.get("").toAbsolutePath());
	}

}

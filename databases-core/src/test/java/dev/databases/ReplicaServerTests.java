package dev.databases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Read replicas on real replicated servers, the ones {@code servers/start-all} starts: the
 * PostgreSQL hot standby on 5433 of the main cluster, and the MariaDB replica on 3308 of the
 * primary on 3307 ({@code . servers/env} exports their URLs). Without those variables the
 * tests are skipped, visibly; with {@code DATABASES_TEST_REQUIRE=all} (as in CI) they fail.
 * Replication is waited for by polling with a deadline, never by sleeping.
 */
class ReplicaServerTests {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	private Database db;

	private Database primaryAlone;

	private Database replicaAlone;

	/** A primary and its replica, and how to ask a server which of the two it is. */
	record Servers(String name, String primaryVariable, String replicaVariable) {

		@Override
		public String toString() {
			return this.name;
		}

		boolean isPostgres() {
			return this.name.startsWith("PostgreSQL");
		}

		DatabaseURL primary() {
			return DatabaseURL.parse(System.getenv(this.primaryVariable));
		}

		/** The replica's URL, on the primary's database (a standby has every database of its primary). */
		DatabaseURL replica() {
			return DatabaseURL.parse(System.getenv(this.replicaVariable)).withDatabase(primary().database());
		}

		String[] stopReplica() {
			return isPostgres() ? new String[] { "pg-standby", "stop" }
					: new String[] { "mariadb-replica", "stop-replica" };
		}

		String[] startReplica() {
			return isPostgres() ? new String[] { "pg-standby" } : new String[] { "mariadb-replica" };
		}

		/** Stops applying what the primary sends, so the replica falls behind. */
		String pauseReplay() {
			return isPostgres() ? "SELECT pg_wal_replay_pause()" : "STOP SLAVE SQL_THREAD";
		}

		String resumeReplay() {
			return isPostgres() ? "SELECT pg_wal_replay_resume()" : "START SLAVE SQL_THREAD";
		}

	}

	static Stream<Servers> servers() {
		return Stream.of(new Servers("PostgreSQL hot standby", "DATABASES_TEST_PG_PRIMARY_URL",
				"DATABASES_TEST_PG_STANDBY_URL"),
				new Servers("MariaDB replica", "DATABASES_TEST_MARIADB_PRIMARY_URL", "DATABASES_TEST_MARIADB_REPLICA_URL"));
	}

	@AfterEach
	void disconnect() {
		if (this.primaryAlone != null) {
			// Other suites share the primary's database, and Flyway's tests want its schema empty.
			this.primaryAlone.execute("DROP TABLE IF EXISTS replica_notes").onErrorResume((error) -> Mono.empty())
				.block(DEADLINE);
		}
		for (Database database : new Database[] { this.db, this.primaryAlone, this.replicaAlone }) {
			if (database != null) {
				database.disconnect().block(DEADLINE);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("servers")
	void aWriteOnThePrimaryIsReadBackFromTheReplica(Servers servers) {
		this.db = connect(servers, Map.of());
		String who = whoQuery(servers);
		assertThat(this.db.fetchVal(who, String.class).block(DEADLINE)).isEqualTo("replica");
		createTable();
		String text = UUID.randomUUID().toString();
		// Written through db: a write goes to the primary (the replica would refuse it).
		this.db.execute("INSERT INTO replica_notes (text) VALUES (:text)", Map.of("text", text)).block(DEADLINE);
		String seen = "SELECT (SELECT count(*) FROM replica_notes WHERE text = :text) AS n, (" + who + ") AS server";
		Record row = pollUntil(() -> this.db.fetchOne(seen, Map.of("text", text)),
				(found) -> found.get("n", Long.class) == 1);
		assertThat(row.get("server")).isEqualTo("replica");
		assertThat(this.db.connection((connection) -> connection.fetchVal(who, String.class)).blockLast(DEADLINE))
			.isEqualTo("primary");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("servers")
	void aReadOnlyTransactionGoesToTheReplicaAndAReadWriteOneToThePrimary(Servers servers) {
		this.db = connect(servers, Map.of());
		String who = whoQuery(servers);
		assertThat(this.db.transaction(TransactionOptions.defaults().readOnly(true),
				(tx) -> this.db.fetchVal(who, String.class)).block(DEADLINE)).isEqualTo("replica");
		assertThat(this.db.transaction((tx) -> this.db.fetchVal(who, String.class)).block(DEADLINE))
			.isEqualTo("primary");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("servers")
	void aReplicaThatCannotBeReachedDoesNotFailConnectAndReadsGoToThePrimary(Servers servers) {
		assumeServers(servers);
		// Port 1: nothing listens, the connection is refused at once.
		this.db = Database.builder(servers.primary()).replica(servers.replica().withPort(1)).build();
		this.db.connect().block(DEADLINE);
		this.primaryAlone = new Database(servers.primary());
		this.primaryAlone.connect().block(DEADLINE);
		assertThat(this.db.fetchVal(whoQuery(servers), String.class).block(DEADLINE)).isEqualTo("primary");
		assertThat(this.db.iterate(whoQuery(servers)).map((row) -> row.get(0)).blockLast(DEADLINE))
			.isEqualTo("primary");
		assertThat(this.db.replicas().get(0).state()).startsWith("out: ").contains("Cannot connect");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("servers")
	void killingTheReplicaUnderLoadLosesNoRead(Servers servers) throws Exception {
		this.db = connect(servers, Map.of("replica_retry_interval", "300ms", "max_size", 4));
		String who = whoQuery(servers);
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger issued = new AtomicInteger();
		AtomicInteger fromReplica = new AtomicInteger();
		AtomicInteger fromPrimary = new AtomicInteger();
		CompletableFuture<Long> load = Flux.range(0, Integer.MAX_VALUE)
			.takeWhile((i) -> !done.get())
			.flatMap((i) -> {
				issued.incrementAndGet();
				return this.db.fetchVal(who, String.class).switchIfEmpty(Mono.error(new AssertionError("no answer")));
			}, 8)
			.doOnNext((server) -> (server.equals("replica") ? fromReplica : fromPrimary).incrementAndGet())
			.count()
			.toFuture();
		boolean stopped = false;
		try {
			await("reads on the replica", () -> fromReplica.get() >= 50 || load.isDone());
			run(servers.stopReplica());
			stopped = true;
			int primaryBefore = fromPrimary.get();
			await("reads on the primary while the replica is down",
					() -> fromPrimary.get() >= primaryBefore + 50 || load.isDone());
		}
		finally {
			if (stopped) {
				run(servers.startReplica());
			}
		}
		int replicaAfterRestart = fromReplica.get();
		await("reads on the replica again", () -> fromReplica.get() >= replicaAfterRestart + 50 || load.isDone());
		done.set(true);
		long answered = load.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		assertThat(answered).isEqualTo(issued.get());
		assertThat(fromPrimary.get()).isGreaterThanOrEqualTo(50);
		assertThat(fromReplica.get()).isGreaterThanOrEqualTo(replicaAfterRestart + 50);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("servers")
	void aReplicaLaggingPastMaxReplicaLagIsSkippedUntilItCatchesUp(Servers servers) {
		this.db = connect(servers, Map.of("max_replica_lag", "1s", "replica_retry_interval", "200ms"));
		this.replicaAlone = new Database(servers.replica());
		this.replicaAlone.connect().block(DEADLINE);
		String who = whoQuery(servers);
		createTable();
		pollUntil(() -> this.db.fetchVal(who, String.class), "replica"::equals);
		String text = UUID.randomUUID().toString();
		String count = "SELECT count(*) FROM replica_notes WHERE text = :text";
		this.replicaAlone.execute(servers.pauseReplay()).block(DEADLINE);
		try {
			this.db.execute("INSERT INTO replica_notes (text) VALUES (:text)", Map.of("text", text)).block(DEADLINE);
			pollUntil(() -> this.db.fetchVal(who, String.class), "primary"::equals);
			// Really behind: the replica has not applied the write that the reads now get from the primary.
			assertThat(this.replicaAlone.fetchVal(count, Map.of("text", text), Long.class).block(DEADLINE)).isZero();
			assertThat(this.db.fetchVal(count, Map.of("text", text), Long.class).block(DEADLINE)).isOne();
			assertThat(this.db.replicas().get(0).state()).startsWith("out: ");
		}
		finally {
			this.replicaAlone.execute(servers.resumeReplay()).block(DEADLINE);
		}
		pollUntil(() -> this.db.fetchVal(who, String.class), "replica"::equals);
		assertThat(this.db.fetchVal(count, Map.of("text", text), Long.class).block(DEADLINE)).isOne();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("servers")
	void inAReadYourWritesContextAReadAfterAWriteSeesIt(Servers servers) {
		this.db = connect(servers, Map.of("read_your_writes", "10s"));
		createTable();
		String who = whoQuery(servers);
		for (int i = 0; i < 20; i++) {
			String text = UUID.randomUUID().toString();
			Record row = this.db.readYourWrites(this.db
				.execute("INSERT INTO replica_notes (text) VALUES (:text)", Map.of("text", text))
				.then(this.db.fetchOne("SELECT (SELECT count(*) FROM replica_notes WHERE text = :text) AS n, (" + who
						+ ") AS server", Map.of("text", text))))
				.block(DEADLINE);
			assertThat(row.get("n", Long.class)).isOne();
			assertThat(row.get("server")).isEqualTo("primary");
		}
		assertThat(this.db.readYourWrites(this.db.fetchVal(who, String.class)).block(DEADLINE)).isEqualTo("replica");
	}

	private Database connect(Servers servers, Map<String, ?> options) {
		assumeServers(servers);
		Database database = Database.builder(servers.primary()).options(options).replica(servers.replica()).build();
		database.connect().block(DEADLINE);
		this.primaryAlone = new Database(servers.primary());
		this.primaryAlone.connect().block(DEADLINE);
		return database;
	}

	/** A new table on the primary; reads of it on the replica fail until it has been replicated. */
	private void createTable() {
		// Not CREATE TABLE IF NOT EXISTS: PostgreSQL's notice that it exists comes as SQLSTATE 42P07,
		// which execute() takes for an error.
		this.primaryAlone.execute("DROP TABLE IF EXISTS replica_notes")
			.then(this.primaryAlone.execute("CREATE TABLE replica_notes (text VARCHAR(100))"))
			.block(DEADLINE);
	}

	/** Which server answers: by recovery on PostgreSQL, by {@code @@server_id} on MariaDB. */
	private String whoQuery(Servers servers) {
		if (servers.isPostgres()) {
			return "SELECT CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END";
		}
		Database replica = new Database(servers.replica());
		try {
			long replicaId = replica.connect().then(replica.fetchVal("SELECT @@server_id", Long.class)).block(DEADLINE);
			long primaryId = this.primaryAlone.fetchVal("SELECT @@server_id", Long.class).block(DEADLINE);
			assertThat(replicaId).isNotEqualTo(primaryId);
			return "SELECT CASE @@server_id WHEN " + replicaId + " THEN 'replica' WHEN " + primaryId
					+ " THEN 'primary' END";
		}
		finally {
			replica.disconnect().block(DEADLINE);
		}
	}

	private static void assumeServers(Servers servers) {
		if (System.getenv(servers.primaryVariable()) != null && System.getenv(servers.replicaVariable()) != null) {
			return;
		}
		String reason = servers + " tests need " + servers.primaryVariable() + " and " + servers.replicaVariable()
				+ ": run servers/start-all, then . servers/env";
		if (TestDatabases.requireAll()) {
			fail(reason + " (DATABASES_TEST_REQUIRE=all)");
		}
		Assumptions.abort(reason);
	}

	/** Poll {@code query} until its answer matches; a read that fails (a table not yet replicated) is tried again. */
	private static <T> T pollUntil(java.util.function.Supplier<Mono<T>> query, java.util.function.Predicate<T> done) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		T last = null;
		Throwable lastError = null;
		while (System.nanoTime() < deadline) {
			try {
				last = query.get().block(DEADLINE);
				if (last != null && done.test(last)) {
					return last;
				}
			}
			catch (DatabaseException ex) {
				lastError = ex;
			}
			pause();
		}
		throw new AssertionError("Not within " + DEADLINE + "; last answer " + last, lastError);
	}

	private static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(what + ": not within " + DEADLINE);
			}
			pause();
		}
	}

	/** Between two looks at a condition polled with a deadline, so the poll does not take a core. */
	private static void pause() {
		LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
	}

	/** Run a script of servers/ (which stops or starts one server) and check that it succeeded. */
	private static void run(String... script) {
		Path servers = repositoryRoot().resolve("servers");
		String[] command = new String[script.length + 1];
		command[0] = "bash";
		command[1] = servers.resolve(script[0]).toString();
		System.arraycopy(script, 1, command, 2, script.length - 1);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", script)).isTrue();
			assertThat(process.exitValue()).as(String.join(" ", script) + ": " + output).isZero();
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot run " + String.join(" ", script), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static Path repositoryRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(dir.resolve("servers")) && Files.exists(dir.resolve("servers/lib.sh"))) {
				return dir;
			}
		}
		throw new AssertionError("No servers/ directory above " + Path.of("").toAbsolutePath());
	}

}

package dev.databases;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.params.provider.Arguments;
import reactor.core.publisher.Mono;

/**
 * What the fault suite needs from a server besides the library under test: a second,
 * administrative pool to find and kill sessions, session ids, sleeps, and polling for
 * a condition the server decides.
 */
final class ReliabilitySupport {

	/** How long any single fault may take to surface before the test calls it a hang. */
	static final Duration NO_HANG = Duration.ofSeconds(20);

	private static final Duration POLL = Duration.ofMillis(20);

	private ReliabilitySupport() {
	}

	/**
	 * H2 and the servers, for the long-running storm and load tests: the suite must stay
	 * under four minutes, and SQLite's own driver suite covers its cancellation and load.
	 */
	static Stream<Arguments> h2AndServerUrls() {
		return TestDatabases.targets()
			.stream()
			.filter((url) -> !url.startsWith("sqlite:"))
			.map((url) -> Arguments.of(url));
	}

	/** A small separate pool on the same server, for killing and inspecting the sessions of the pool under test. */
	static Database admin(String url) {
		Database admin = Database.builder(url).option("min_size", 1).option("max_size", 2).build();
		admin.connect().block(NO_HANG);
		return admin;
	}

	/** Connect a database built from {@code url} with the given options. */
	static Database connect(String url, Map<String, ?> options) {
		Database db = Database.builder(url).options(options).build();
		db.connect().block(NO_HANG);
		return db;
	}

	static void disconnect(Database... databases) {
		for (Database db : databases) {
			if (db != null) {
				db.disconnect().onErrorResume((error) -> Mono.empty()).block(NO_HANG);
			}
		}
	}

	/** The server's id for the session behind {@code on}: a PostgreSQL backend pid or a MySQL connection id. */
	static Mono<Long> sessionId(QueryMethods on, String url) {
		String sql = TestDatabases.isPostgres(url) ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
		return on.fetchVal(sql, Map.of(), Number.class).map(Number::longValue);
	}

	/** A server session as the test sees it: its id and the driver's connection behind it. */
	record Session(long id, io.r2dbc.spi.Connection physical) {
	}

	/** The session of the connection {@code db} lends for a query, which then goes back to the pool. */
	static Mono<Session> session(Database db, String url) {
		return db.connection((connection) -> sessionId(connection, url)
			.map((id) -> new Session(id, ConnectionLease.physical(connection.raw())))).single();
	}

	/**
	 * Wait until the driver has read the close of a session the server killed. PostgreSQL
	 * says goodbye (57P01) and the pool retries on it at once; MariaDB closes the socket
	 * without a word, and a statement written in the instant before the driver reads that
	 * close fails with {@link ConnectionException}. It is not retried, because the driver
	 * cannot tell it from a statement the server ran. Tests of what the pool does with a
	 * dead idle connection therefore start once the driver knows it is dead.
	 */
	static Mono<Void> awaitClosedByDriver(Session session) {
		return await(() -> Mono.from(session.physical().validate(ValidationDepth.LOCAL)).map((valid) -> !valid),
				"the driver to see session " + session.id() + " closed");
	}

	/** A statement that sleeps on the server for {@code seconds}. */
	static String sleep(String url, double seconds) {
		return TestDatabases.isPostgres(url) ? "SELECT pg_sleep(" + seconds + ")" : "SELECT SLEEP(" + seconds + ")";
	}

	/** Kill the session {@code id} from the admin pool and wait until the server no longer lists it. */
	static Mono<Void> kill(Database admin, String url, long id) {
		Mono<?> kill = TestDatabases.isPostgres(url)
				? admin.fetchVal("SELECT pg_terminate_backend(:id)", Map.of("id", (int) id), Boolean.class)
				: admin.execute("KILL " + id);
		return kill.then(awaitGone(admin, url, id));
	}

	/** Wait until the server no longer lists session {@code id}. */
	static Mono<Void> awaitGone(Database admin, String url, long id) {
		String sql = TestDatabases.isPostgres(url) ? "SELECT count(*) FROM pg_stat_activity WHERE pid = :id"
				: "SELECT COUNT(*) FROM information_schema.processlist WHERE ID = :id";
		return await(() -> admin.fetchVal(sql, Map.of("id", id), Number.class).map((n) -> n.longValue() == 0),
				"session " + id + " to end");
	}

	/** Wait until session {@code id} is running a statement containing {@code fragment}. */
	static Mono<Void> awaitRunning(Database admin, String url, long id, String fragment) {
		String sql = TestDatabases.isPostgres(url)
				? "SELECT count(*) FROM pg_stat_activity WHERE pid = :id AND state = 'active' AND query LIKE :fragment"
				: "SELECT COUNT(*) FROM information_schema.processlist WHERE ID = :id AND COMMAND = 'Query' "
						+ "AND INFO LIKE :fragment";
		return await(() -> admin.fetchVal(sql, Map.of("id", id, "fragment", "%" + fragment + "%"), Number.class)
			.map((n) -> n.longValue() > 0), "session " + id + " to run " + fragment);
	}

	/**
	 * Sessions the server holds for connections made through {@code proxy}, optionally
	 * only those with a transaction open: PostgreSQL's {@code idle in transaction} state,
	 * or a row in MariaDB's {@code information_schema.innodb_trx}.
	 */
	static Mono<Long> sessionsThrough(Database admin, String url, LoopbackProxy proxy, boolean inTransaction) {
		List<Integer> ports = new ArrayList<>(proxy.upstreamPorts());
		if (ports.isEmpty()) {
			return Mono.just(0L);
		}
		String sql;
		Map<String, Object> values;
		if (TestDatabases.isPostgres(url)) {
			sql = "SELECT count(*) FROM pg_stat_activity WHERE client_addr = '127.0.0.1' AND client_port IN (:ports)"
					+ (inTransaction ? " AND state LIKE 'idle in transaction%'" : "");
			values = Map.of("ports", ports);
		}
		else {
			List<String> hosts = ports.stream().map((port) -> "127.0.0.1:" + port).toList();
			sql = inTransaction
					? "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p "
							+ "ON p.ID = t.trx_mysql_thread_id WHERE p.HOST IN (:hosts)"
					: "SELECT COUNT(*) FROM information_schema.processlist WHERE HOST IN (:hosts)";
			values = Map.of("hosts", hosts);
		}
		return admin.fetchVal(sql, values, Number.class).map(Number::longValue);
	}

	/** A URL that reaches the server of {@code url} through {@code proxy}. */
	static DatabaseURL through(String url, LoopbackProxy proxy) {
		return DatabaseURL.parse(url).withHostname(proxy.host()).withPort(proxy.port());
	}

	/** A proxy in front of the server of {@code url}. */
	static LoopbackProxy proxyFor(String url) {
		DatabaseURL parsed = DatabaseURL.parse(url);
		String host = (parsed.hostname() != null) ? parsed.hostname() : "127.0.0.1";
		Integer port = parsed.port();
		return LoopbackProxy.start(host, (port != null) ? port : (TestDatabases.isPostgres(url) ? 5432 : 3306));
	}

	/** Wait until every connection lent out has come back to the pool. */
	static Mono<Void> awaitAllReleased(Database db) {
		return await(() -> Mono.just(db.poolMetrics().map(PoolMetrics::acquiredSize).orElse(0) == 0),
				"the pool to have no connection acquired, " + describe(db));
	}

	static String describe(Database db) {
		return db.poolMetrics()
			.map((m) -> String.format(Locale.ROOT, "acquired=%d idle=%d pending=%d allocated=%d max=%d",
					m.acquiredSize(), m.idleSize(), m.pendingAcquireSize(), m.allocatedSize(), m.getMaxAllocatedSize()))
			.orElse("not connected");
	}

	/** Poll {@code condition} until it holds; fails after {@link #NO_HANG} naming what it waited for. */
	static Mono<Void> await(Supplier<Mono<Boolean>> condition, String what) {
		return Mono.defer(condition)
			.filter(Boolean::booleanValue)
			.repeatWhenEmpty((attempts) -> attempts.delayElements(POLL))
			.timeout(NO_HANG, Mono.error(() -> new AssertionError("Timed out after " + NO_HANG + " waiting for "
					+ what)))
			.then();
	}

	/** The text column type that holds 10 kB of any Unicode on the backend. */
	static String textType(String url) {
		if (TestDatabases.isMySql(url)) {
			return "MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
		}
		if (TestDatabases.isH2(url)) {
			return "VARCHAR(1000000)";
		}
		return "TEXT";
	}

	/** Rows {@code 0..count-1} as parameter maps for executeMany. */
	static List<Map<String, Object>> numbered(int count) {
		List<Map<String, Object>> rows = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			rows.add(Map.of("n", i));
		}
		return rows;
	}

	/** A percentile (0..100) of sorted values, nearest rank. */
	static long percentile(long[] sorted, double percentile) {
		if (sorted.length == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	static String join(Collection<?> items) {
		return String.join(",", items.stream().map(String::valueOf).toList());
	}

}

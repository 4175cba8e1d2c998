package dev.databases;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storm of 10,000 operations (fetchAll, iterate, transactions with savepoints,
 * connection blocks, low-level transactions) each cancelled at a random point by a
 * timeout, a {@code take}, or a dispose after a random small delay. Afterwards the pool
 * has nothing acquired, the server holds no session of ours in a transaction, no
 * transaction is half-applied, and the pool still serves queries.
 * <p>
 * Deterministic per operation: operation {@code i} draws from {@code Random(seed + i)}, so
 * a failure names a seed that replays the same plan ({@code -Ddatabases.storm.seed}).
 * Server sessions are found by the client ports of a {@link LoopbackProxy} between the
 * pool and the server, which catches a connection the pool forgot without closing.
 */
class CancellationStormTests {

	private static final long SEED = Long.getLong("databases.storm.seed", 20_250_901L);

	private static final int OPERATIONS = Integer.getInteger("databases.storm.operations", 10_000);

	/** How long the storm may take before it fails naming what is still running: a lost signal shows up as a stall. */
	private static final Duration STALL = Duration.ofSeconds(Long.getLong("databases.storm.stall", 120));

	private static final int MAX_SIZE = 10;

	private static final String TABLE = "rel_storm";

	private static final String NUMBERS = "rel_storm_numbers";

	/** 10,000 rows: far more than Reactor's prefetch of 256 and the driver's fetch size. */
	private static final String MANY_ROWS = "SELECT a.n * 1000 + b.n AS n FROM " + NUMBERS + " a CROSS JOIN " + NUMBERS
			+ " b WHERE a.n < 10";

	private static final String[] KINDS = { "fetchAll", "iterate-take", "iterate-time", "transaction", "connection",
			"beginTransaction" };

	@ParameterizedTest
	@MethodSource("dev.databases.ReliabilitySupport#h2AndServerUrls")
	void cancelledOperationsShouldLeaveNothingAcquiredNoTransactionOpenAndNothingHalfApplied(String url) {
		TestDatabases.assumeAvailable(url);
		boolean server = !TestDatabases.isH2(url);
		LoopbackProxy proxy = server ? ReliabilitySupport.proxyFor(url) : null;
		Database admin = server ? ReliabilitySupport.admin(url) : null;
		String target = (proxy != null) ? ReliabilitySupport.through(url, proxy).toUnmaskedString() : url;
		Database db = ReliabilitySupport.connect(target, Map.of("min_size", 2, "max_size", MAX_SIZE,
				"acquire_timeout", "20s", "disconnect_timeout", "5s"));
		Stats stats = new Stats();
		try {
			create(db);
			String pause = TestDatabases.isPostgres(url) ? "SELECT pg_sleep(0.002)"
					: TestDatabases.isMySql(url) ? "SELECT SLEEP(0.002)" : "SELECT 1";
			long started = System.nanoTime();
			Flux.range(0, OPERATIONS)
				.flatMap((i) -> operation(db, i, pause, stats), 32)
				.then()
				// The report is made before the storm is cancelled, so it shows what was still running.
				.or(Mono.delay(STALL).then(Mono.error(() -> new AssertionError(String.format(Locale.ROOT,
						"[storm] %s stalled for %d s (seed %d): operations still running %s; pool %s; %s",
						TestDatabases.dialect(url), STALL.toSeconds(), SEED, stats.stillRunning(),
						ReliabilitySupport.describe(db), stats)))))
				.block();
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			ReliabilitySupport.awaitAllReleased(db).block(NO_HANG);
			var metrics = db.poolMetrics().orElseThrow();
			String report = String.format(Locale.ROOT, "[storm] %s: %d operations in %d ms (seed %d), %s; pool %s",
					TestDatabases.dialect(url), OPERATIONS, took.toMillis(), SEED, stats, ReliabilitySupport.describe(db));
			System.out.println(report);
			assertThat(stats.errors).as("unexpected errors, %s", report).isEmpty();
			assertThat(metrics.pendingAcquireSize()).isZero();
			assertThat(metrics.allocatedSize()).isLessThanOrEqualTo(MAX_SIZE);
			if (server) {
				ReliabilitySupport.await(() -> ReliabilitySupport.sessionsThrough(admin, url, proxy, true)
					.map((open) -> open == 0), "no session of the pool left in a transaction").block(NO_HANG);
				ReliabilitySupport.await(() -> ReliabilitySupport.sessionsThrough(admin, url, proxy, false)
					.map((open) -> open <= MAX_SIZE), "at most max_size sessions on the server").block(NO_HANG);
			}
			// Every transaction is all or nothing: parts {1,2} for the outer one, {3,4} for its savepoint.
			StepVerifier.create(db.fetchAll("SELECT k, COUNT(*) AS c, SUM(part) AS s FROM " + TABLE + " GROUP BY k"))
				.assertNext((groups) -> {
					Map<Integer, Long> rows = new HashMap<>();
					for (Record group : groups) {
						long count = group.get("c", Number.class).longValue();
						long sum = group.get("s", Number.class).longValue();
						assertThat((count == 2 && sum == 3) || (count == 4 && sum == 10))
							.as("transaction %s half-applied: %d rows, parts summing to %d", group.get("k"), count, sum)
							.isTrue();
						rows.put(group.get("k", Number.class).intValue(), count);
					}
					// Every transaction that reported success is there, whole.
					stats.committed.forEach((key, expected) -> assertThat(rows.get(key))
						.as("rows of transaction %d, which reported success", key)
						.isNotNull()
						.satisfies((count) -> assertThat(expected == 0 || count == expected.longValue()).isTrue()));
					stats.committedTransactions = groups.size();
				})
				.expectComplete()
				.verify(NO_HANG);
			// And the pool still serves a burst that needs every connection.
			StepVerifier.create(Flux.range(0, MAX_SIZE * 3)
				.flatMap((i) -> db.fetchVal("SELECT COUNT(*) FROM " + NUMBERS, Map.of(), Number.class), MAX_SIZE * 3)
				.map(Number::longValue)
				.collectList())
				.assertNext((counts) -> assertThat(counts).hasSize(MAX_SIZE * 3).containsOnly(1000L))
				.expectComplete()
				.verify(NO_HANG);
			assertThat(db.poolMetrics().orElseThrow().acquiredSize()).isZero();
			System.out.println("[storm] " + TestDatabases.dialect(url) + ": " + stats.committedTransactions
					+ " transactions committed whole (" + stats.committed.size() + " reported success), none half-applied"
					+ ((proxy != null) ? "; physical connections opened: " + proxy.upstreamPorts().size() : ""));
		}
		finally {
			FaultInjectionTests.dropQuietly(db, TABLE);
			FaultInjectionTests.dropQuietly(db, NUMBERS);
			ReliabilitySupport.disconnect(db, admin);
			if (proxy != null) {
				proxy.close();
			}
		}
	}

	/** Operation {@code i}: its kind, cancellation point and delay all come from {@code Random(seed + i)}. */
	private static Mono<Void> operation(Database db, int i, String pause, Stats stats) {
		Random random = new Random(SEED + i);
		int kind = random.nextInt(KINDS.length);
		// A quarter cancel at once or nearly (before or during acquire), half within 25 ms (during BEGIN, a
		// statement, a stream or COMMIT), a quarter within 150 ms, so that enough work also completes.
		int band = random.nextInt(4);
		Duration delay = (band == 0) ? Duration.ofNanos(random.nextInt(500_000))
				: (band == 3) ? Duration.ofMillis(25 + random.nextInt(125)) : Duration.ofMillis(random.nextInt(25));
		int key = i;
		Progress trace = stats.started(key, KINDS[kind]);
		Mono<Boolean> work = switch (kind) {
			case 0 -> trace
				.of("main", db.fetchAll("SELECT n FROM " + NUMBERS + " WHERE n < :limit",
						Map.of("limit", random.nextInt(1000))))
				.thenReturn(true)
				.timeout(delay, Mono.just(false));
			case 1 -> {
				// Always cancelled mid-stream, after up to 3,000 of the 10,000 rows.
				int rows = random.nextInt(3000);
				yield trace.ofMany("main", db.iterate(MANY_ROWS)).take(rows).count().map((count) -> false);
			}
			case 2 -> trace.ofMany("main", db.iterate(MANY_ROWS)).take(delay).count().map((count) -> count == 10_000);
			case 3 -> trace.of("main", db.transaction((tx) -> insert(db, key, 1).then(db.fetchAll(pause))
				.then(insert(db, key, 2))
				.then(random.nextBoolean() ? db.transaction((inner) -> insert(db, key, 3).then(insert(db, key, 4)))
						: Mono.empty())
				.thenReturn(true))).timeout(delay, Mono.just(false));
			case 4 -> trace.ofMany("main", db.connection((connection) -> trace.of("fetch", connection.fetchAll(pause))
				.then(trace.of("tx",
						connection.transaction((tx) -> insert(connection, key, 1).then(insert(connection, key, 2)))))
				.thenReturn(true)))
				.takeUntilOther(trace.of("delay", Mono.delay(delay)))
				.last(false);
			default -> Mono.usingWhen(trace.of("begin", db.beginTransaction()),
					(tx) -> insert(tx.connection(), key, 1).then(tx.connection().fetchAll(pause))
						.then(insert(tx.connection(), key, 2)),
					Transaction::commit, (tx, error) -> tx.rollback(), Transaction::rollback)
				.thenReturn(true)
				.timeout(delay, Mono.just(false));
		};
		String name = KINDS[kind];
		return work.doOnSuccess((completed) -> stats.ended(key)).doOnError((error) -> stats.ended(key)).doOnNext((completed) -> {
			stats.count(name, completed);
			if (completed && kind >= 3) {
				stats.committed.put(key, (kind == 3) ? 0 : 2);
			}
		}).onErrorResume((error) -> {
			stats.errors.add(name + " #" + i + ": " + error);
			return Mono.empty();
		}).then();
	}

	private static Mono<ExecuteResult> insert(QueryMethods on, int key, int part) {
		return on.execute("INSERT INTO " + TABLE + " (k, part) VALUES (:k, :part)", Map.of("k", key, "part", part));
	}

	private static void create(Database db) {
		db.execute("DROP TABLE IF EXISTS " + TABLE)
			.then(db.execute("DROP TABLE IF EXISTS " + NUMBERS))
			.then(db.execute("CREATE TABLE " + TABLE + " (k INTEGER, part INTEGER)"))
			.then(db.execute("CREATE TABLE " + NUMBERS + " (n INTEGER)"))
			.then(db.executeMany("INSERT INTO " + NUMBERS + " (n) VALUES (:n)", ReliabilitySupport.numbered(1000)))
			.block(NO_HANG);
	}

	/** Outcomes per kind: completed before its cancellation point, or cancelled. */
	private static final class Stats {

		final Map<String, AtomicLong[]> outcomes = new ConcurrentHashMap<>();

		final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

		/** Operations not yet ended, by number, with what each has done so far: what a stall names. */
		final Map<Integer, Progress> running = new ConcurrentSkipListMap<>();

		Progress started(int key, String kind) {
			Progress progress = new Progress(kind);
			this.running.put(key, progress);
			return progress;
		}

		void ended(int key) {
			this.running.remove(key);
		}

		Map<Integer, String> stillRunning() {
			Map<Integer, String> left = new LinkedHashMap<>();
			this.running.forEach((key, progress) -> left.put(key, progress.toString()));
			return left;
		}

		/** Transactions that reported success, by key, with the rows they must have left (0: 2 or 4). */
		final Map<Integer, Integer> committed = new ConcurrentHashMap<>();

		volatile long committedTransactions;

		void count(String kind, boolean completed) {
			this.outcomes.computeIfAbsent(kind, (k) -> new AtomicLong[] { new AtomicLong(), new AtomicLong() })[completed
					? 0 : 1].incrementAndGet();
		}

		@Override
		public String toString() {
			Map<String, String> shown = new LinkedHashMap<>();
			for (String kind : KINDS) {
				AtomicLong[] counts = this.outcomes.get(kind);
				if (counts != null) {
					shown.put(kind, counts[0] + " completed/" + counts[1] + " cancelled");
				}
			}
			List<String> firstErrors = new ArrayList<>(this.errors).subList(0, Math.min(5, this.errors.size()));
			return shown + ", errors " + this.errors.size() + (firstErrors.isEmpty() ? "" : " e.g. " + firstErrors);
		}

	}

	/** The signals one operation's parts have seen, with their threads; a stream's rows count once. */
	private static final class Progress {

		private final String kind;

		private final ConcurrentLinkedQueue<String> signals = new ConcurrentLinkedQueue<>();

		Progress(String kind) {
			this.kind = kind;
		}

		<T> Mono<T> of(String part, Mono<T> work) {
			// Mono's own operators: nothing here holds a value back (a Transaction must reach usingWhen).
			return work.doOnSubscribe((subscription) -> note(part, "subscribed"))
				.doOnSuccess((value) -> note(part, (value != null) ? "value" : "empty"))
				.doOnError((error) -> note(part, "error " + error))
				.doOnCancel(() -> note(part, "cancel"));
		}

		<T> Flux<T> ofMany(String part, Flux<T> work) {
			AtomicLong values = new AtomicLong();
			return work.doOnSubscribe((subscription) -> note(part, "subscribed"))
				.doOnNext((value) -> {
					if (values.getAndIncrement() == 0) {
						note(part, "first value");
					}
				})
				.doOnError((error) -> note(part, "error " + error))
				.doOnComplete(() -> note(part, "complete after " + values + " values"))
				.doOnCancel(() -> note(part, "cancel after " + values + " values"));
		}

		private void note(String part, String signal) {
			this.signals.add(part + " " + signal + " on " + Thread.currentThread().getName());
		}

		@Override
		public String toString() {
			return this.kind + " " + this.signals;
		}

	}

}

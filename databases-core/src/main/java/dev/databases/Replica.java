package dev.databases;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.databases.internal.backend.ReplicaLagQuery;
import io.r2dbc.pool.PoolMetrics;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One read replica of a connected {@link Database}: its pool, and whether it may serve
 * reads now. It is taken out when it cannot be reached, when a read on it loses its
 * connection, or when it is more than {@code max_replica_lag} behind; it is checked again,
 * in the background, once {@code replica_retry_interval} has passed, and serves again when
 * that check passes. Its lag is measured at most once per interval, never per query.
 */
final class Replica {

	/** A query every backend answers, to prove a replica taken out is back. */
	private static final Query PROBE = Query.of("SELECT 1");

	/** The lag of a replica that cannot tell its own: more than any limit. */
	private static final Duration UNKNOWN_LAG = Duration.ofSeconds(Long.MAX_VALUE);

	private final String name;

	private final DatabaseRuntime runtime;

	private final long intervalNanos;

	private final @Nullable Duration maxLag;

	private final AtomicReference<@Nullable Pool> pool = new AtomicReference<>();

	/** Whether a check runs now: one at a time, started by whichever read finds it due. */
	private final AtomicBoolean checking = new AtomicBoolean();

	private volatile boolean serving;

	/** {@link System#nanoTime()} from which the next check is due. */
	private volatile long nextCheck;

	private volatile String state = "not started";

	private volatile boolean stopped;

	private volatile @Nullable Disposable check;

	/**
	 * @param name how health and metrics name it ({@code replica-0})
	 * @param runtime its URL and options, with the database's caches and Context keys
	 * @param interval how long it stays out, and how often its lag is measured
	 * @param maxLag how far behind it may be, or {@code null} to not measure
	 */
	Replica(String name, DatabaseRuntime runtime, Duration interval, @Nullable Duration maxLag) {
		this.name = name;
		this.runtime = runtime;
		this.intervalNanos = interval.toNanos();
		this.maxLag = maxLag;
	}

	String name() {
		return this.name;
	}

	DatabaseURL url() {
		return this.runtime.url();
	}

	/** Whether it serves reads now, and if not, why: {@code serving} or the reason it is out. */
	String state() {
		return this.state;
	}

	boolean isServing() {
		return this.serving;
	}

	Optional<PoolMetrics> metrics() {
		Pool current = this.pool.get();
		return (current != null) ? current.metrics() : Optional.empty();
	}

	/**
	 * Start its pool and check it (its lag too, with {@code max_replica_lag}). Never fails: a
	 * replica that cannot start is out, and tried again later.
	 */
	Mono<Void> start() {
		this.nextCheck = System.nanoTime() + this.intervalNanos;
		return check();
	}

	/**
	 * The pool to read from, or {@code null} when it is out. Starts a background check when
	 * one is due: of a replica out, whether it is back; of one serving, its lag.
	 */
	@Nullable Pool serving() {
		long now = System.nanoTime();
		if (now - this.nextCheck >= 0 && (!this.serving || this.maxLag != null) && !this.stopped
				&& this.checking.compareAndSet(false, true)) {
			this.nextCheck = now + this.intervalNanos;
			// In the background, so that no read waits for it (an unreachable host takes
			// connect_timeout to fail); stop() disposes it.
			this.check = check().subscribe();
		}
		return this.serving ? this.pool.get() : null;
	}

	/** Take it out after a read on it lost its connection; it is checked again after the interval. */
	void failed(Throwable error) {
		out("a read failed: " + error.getMessage());
	}

	Mono<Void> stop() {
		return Mono.defer(() -> {
			this.stopped = true;
			this.serving = false;
			this.state = "stopped";
			Disposable running = this.check;
			if (running != null) {
				running.dispose();
			}
			Pool current = this.pool.getAndSet(null);
			return (current != null) ? current.stop() : Mono.empty();
		});
	}

	private Mono<Void> check() {
		return Mono.defer(() -> {
			if (this.stopped) {
				return Mono.<Void>empty();
			}
			Pool current = this.pool.get();
			Mono<Pool> ready;
			if (current != null) {
				ready = Mono.just(current);
			}
			else {
				// A pool that failed to start disposed itself: each try makes a new one.
				Pool created = Pool.of(this.runtime, false);
				this.pool.set(created);
				ready = created.start()
					.doOnError((error) -> this.pool.compareAndSet(created, null))
					.then(Mono.fromCallable(() -> {
						if (this.stopped && this.pool.compareAndSet(created, null)) {
							created.dispose();
						}
						return created;
					}));
			}
			return ready.flatMap(this::lag).doOnNext(this::judge).then();
		})
			.onErrorResume((error) -> {
				out(String.valueOf(error.getMessage()));
				return Mono.empty();
			})
			.doFinally((signal) -> this.checking.set(false));
	}

	/** How far behind it is; zero when not measured. */
	private Mono<Duration> lag(Pool ready) {
		ReplicaLagQuery query = this.runtime.backend().replicaLagQuery();
		if (this.maxLag == null || query == null) {
			return ready.run((connection) -> connection.fetchOneNow(PROBE)).thenReturn(Duration.ZERO);
		}
		return ready.run((connection) -> connection.fetchOneNow(Query.of(query.sql())))
			.map((row) -> lagIn(row, query))
			// No row: the server replicates from nothing, so it is behind nothing.
			.defaultIfEmpty(Duration.ZERO);
	}

	private static Duration lagIn(Record row, ReplicaLagQuery query) {
		for (String column : query.columns()) {
			if (row.containsKey(column)) {
				Object value = row.get(column);
				double seconds = (value instanceof Number number) ? number.doubleValue()
						: (value != null) ? Double.parseDouble(value.toString()) : Double.NaN;
				// NULL: replication stopped, the replica cannot say how far behind it is.
				return Double.isNaN(seconds) ? UNKNOWN_LAG : Duration.ofNanos((long) (seconds * 1e9));
			}
		}
		throw new IllegalStateException("The replica's status has none of the columns " + query.columns());
	}

	private void judge(Duration lag) {
		if (this.maxLag != null && lag.compareTo(this.maxLag) > 0) {
			out((lag == UNKNOWN_LAG) ? "replication stopped (its lag is unknown)"
					: "lagging " + lag.toMillis() + " ms behind the primary, more than max_replica_lag "
							+ this.maxLag.toMillis() + " ms");
			return;
		}
		if (!this.stopped) {
			this.state = "serving";
			this.serving = true;
		}
	}

	private void out(String reason) {
		this.serving = false;
		this.state = "out: " + reason;
		this.nextCheck = System.nanoTime() + this.intervalNanos;
	}

	@Override
	public String toString() {
		return this.name + "[" + this.runtime.url() + ", " + this.state + "]";
	}

}

package dev.databases;

import dev.databases.internal.reactor.AcquireTimeout;
import dev.databases.internal.reactor.Handover;
import dev.databases.internal.reactor.WorkInFlight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Lifecycle;
import io.r2dbc.spi.ValidationDepth;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What both ways of lending ({@link PooledLending}, {@link SharedLending}) share: the
 * r2dbc-pool, borrowing from it, the connections lent out of it and their release, and
 * stopping it all.
 */
final class Lender {

	/** How long a connection may take to be made clean after a cancel before it is closed instead. */
	static final Duration CLEAN_AFTER_CANCEL = Duration.ofSeconds(1);

	/**
	 * A connection idle for longer than this is checked with a round trip before it is lent,
	 * as HikariCP does: a server restart or a killed session leaves sockets that look open locally.
	 */
	private static final long ALIVE_BYPASS_NANOS = Duration.ofMillis(500).toNanos();

	private final DatabaseRuntime runtime;

	private final ConnectOptions options;

	private final ConnectionFactory driver;

	private final ConnectionPool pool;

	private final Set<Connection> lent = ConcurrentHashMap.newKeySet();

	/** The units of work running on this pool, for disconnect() to end when they outlast its timeout. */
	private final WorkInFlight inFlight = new WorkInFlight();

	/** When each physical connection was last given back; see {@link #ALIVE_BYPASS_NANOS}. */
	private final Map<Object, Long> lastReturned = Collections.synchronizedMap(new WeakHashMap<>());

	private final Sinks.Empty<Void> drained = Sinks.empty();

	private volatile boolean stopping;

	private @Nullable Mono<Void> ready;

	/** Keeps an in-memory SQLite database alive while connected: it vanishes with its last connection. */
	private volatile io.r2dbc.spi.@Nullable Connection anchor;

	/** {@link #borrow(long)}, assembled once. */
	private final Mono<io.r2dbc.spi.Connection> borrowed;

	/** {@link #acquire()} without a listener, assembled once: each subscription then only makes its subscribers. */
	private final Mono<Connection> acquired;

	/**
	 * @param runtime what the internals of the database share
	 * @param initialSize the connections opened by {@link #start(Mono)}
	 * @param minIdle the idle connections r2dbc-pool keeps
	 */
	Lender(DatabaseRuntime runtime, int initialSize, int minIdle) {
		this.runtime = runtime;
		this.options = runtime.options();
		this.driver = PoolSetup.driver(runtime);
		this.pool = new ConnectionPool(PoolSetup.configuration(runtime, this.driver,
				"databases-" + Integer.toHexString(System.identityHashCode(this)), initialSize, minIdle));
		this.borrowed = borrow(this.options.maxSize() + 1L);
		this.acquired = Handover.of(this.borrowed)
			.map(this::lendOut)
			.onErrorMap((error) -> PoolSetup.acquireFailure(this.runtime, error));
	}

	/**
	 * Open the first connections, then {@code then}; on failure the pool is disposed.
	 * @param then what else starting takes (the force-rollback transaction)
	 * @return completion, cached
	 */
	Mono<Void> start(Mono<Void> then) {
		Mono<Void> anchor = (this.runtime.backend().anchorsInMemory() && this.runtime.url().isInMemory())
				? Mono.from(this.driver.create()).doOnNext((connection) -> this.anchor = connection).then()
				: Mono.empty();
		Mono<Void> start = anchor.then(this.pool.warmup().then())
			.onErrorMap((error) -> PoolSetup.connectFailure(this.runtime, error))
			.then(then)
			.doOnError((error) -> dispose())
			.cache();
		this.ready = start;
		return start;
	}

	Mono<Void> ready() {
		Mono<Void> ready = this.ready;
		return (ready != null) ? ready : Mono.empty();
	}

	WorkInFlight inFlight() {
		return this.inFlight;
	}

	Optional<PoolMetrics> metrics() {
		return this.pool.getMetrics();
	}

	ConnectionPool connectionPool() {
		return this.pool;
	}

	// Borrowing

	/** r2dbc-pool's acquisition, limited by the acquire timeout. */
	Mono<io.r2dbc.spi.Connection> acquisition() {
		return AcquireTimeout.of(Mono.from(this.pool.create()), this.options.acquireTimeout());
	}

	/**
	 * A pooled connection, checked with a round trip when it has been idle for a while,
	 * trying again past up to {@code retries} connections found dead (after a
	 * server restart every idle connection is dead: try past all of them). r2dbc-pool's own
	 * acquireRetry would also restart the acquire timeout, stretching it for every caller.
	 */
	private Mono<io.r2dbc.spi.Connection> borrow(long retries) {
		Mono<io.r2dbc.spi.Connection> borrowed = acquisition().flatMap((raw) -> {
			Long returned = this.lastReturned.get(ConnectionLease.physical(raw));
			if (returned == null || System.nanoTime() - returned < ALIVE_BYPASS_NANOS) {
				return Mono.just(raw);
			}
			return Mono.from(raw.validate(ValidationDepth.REMOTE))
				.timeout(this.options.connectTimeout())
				.onErrorReturn(false)
				.defaultIfEmpty(false)
				// A cancel while checking leaves the connection with nobody to give it back.
				.doOnCancel(() -> Mono.from(raw.close()).onErrorResume((error) -> Mono.empty()).subscribe())
				.flatMap((alive) -> alive ? Mono.just(raw)
						: ConnectionLease.closePhysical(raw)
							.then(Mono.from(raw.close()).onErrorResume((error) -> Mono.empty()))
							.then(Mono.error(new StaleConnection())));
		});
		if (retries <= 0) {
			return borrowed;
		}
		// As retryWhen(Retry.max(retries).filter(...)), without its per-subscription machinery.
		return borrowed.onErrorResume(Lender::isStale, (error) -> borrow(retries - 1));
	}

	private static boolean isStale(Throwable error) {
		return error instanceof StaleConnection || (error instanceof io.r2dbc.spi.R2dbcException
				&& String.valueOf(error.getMessage()).contains("validation failed"));
	}

	/** A pooled connection found dead before use; the borrow is retried. */
	private static final class StaleConnection extends RuntimeException {

		private static final long serialVersionUID = 1L;

		StaleConnection() {
			super("stale pooled connection", null, false, false);
		}

	}

	/** A connection borrowed and lent out as ours, its lease told to the listener if there is one. */
	Mono<Connection> acquire() {
		DatabaseListener listener = this.runtime.listener();
		if (listener == null) {
			return this.acquired;
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return Handover.of(this.borrowed)
				.map((raw) -> lendOut(raw, listener, start))
				.onErrorMap((error) -> PoolSetup.acquireFailure(this.runtime, error))
				.doOnError((error) -> Listeners.acquireFailed(listener, Duration.ofNanos(System.nanoTime() - start),
						error));
		});
	}

	private Connection lendOut(io.r2dbc.spi.Connection raw) {
		return lendOut(raw, null, 0);
	}

	/** A pooled connection lent out, its lease told to {@code listener} (acquire begun at {@code start}). */
	private Connection lendOut(io.r2dbc.spi.Connection raw, @Nullable DatabaseListener listener, long start) {
		Connection connection = new Connection(this.runtime, raw);
		if (listener != null) {
			long acquired = System.nanoTime();
			connection.leased(acquired, Listeners.acquired(listener, Duration.ofNanos(acquired - start)));
		}
		this.lent.add(connection);
		return connection;
	}

	// Giving back

	Mono<Void> release(Connection connection) {
		// Bookkeeping runs before completion is signalled, so whoever waited for the release
		// sees the listener told and the connection no longer lent.
		return new Released(this, connection, Mono.defer(() -> {
			io.r2dbc.spi.Connection physical = ConnectionLease.physical(connection.raw());
			this.lastReturned.put(physical, System.nanoTime());
			this.runtime.backend().releasing(connection.raw(), connection.answeredInFull());
			// A driver whose cleanup can stall (r2dbc-mysql) has its backend's wrapper bound it.
			Mono<Void> returned = Mono.from(connection.raw().close());
			return !leftInTransaction(physical) ? returned
					// A transaction left open by raw SQL (BEGIN through execute): r2dbc-pool has the
					// driver clean up only through Lifecycle, which r2dbc-postgresql and r2dbc-h2 do
					// not implement, so the next borrower would have run inside it. A rollback that
					// fails ends the session instead, and the pool drops the connection.
					: Mono.from(physical.rollbackTransaction())
						.onErrorResume((error) -> ConnectionLease.closePhysical(physical))
						.then(returned);
		}));
	}

	/**
	 * Whether a connection about to go back is still in a transaction that nothing will end:
	 * only drivers without {@link Lifecycle} are asked, since r2dbc-pool has the others roll
	 * back themselves. A driver that cannot tell (it throws) is left to the pool's checks.
	 */
	private static boolean leftInTransaction(io.r2dbc.spi.Connection physical) {
		if (physical instanceof Lifecycle) {
			return false;
		}
		try {
			return !physical.isAutoCommit();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** The bookkeeping of a release, done once per lease: the listener told, the connection no longer lent. */
	void returned(Connection connection) {
		if (!connection.markReturned()) {
			return;
		}
		DatabaseListener listener = this.runtime.listener();
		if (listener != null) {
			Listeners.released(listener, connection.leaseContext(),
					Duration.ofNanos(System.nanoTime() - connection.leasedAt()));
		}
		this.lent.remove(connection);
		if (this.stopping && this.lent.isEmpty()) {
			this.drained.tryEmitEmpty();
		}
	}

	/** A connection whose work lost the server goes back closed, so it is not lent again. */
	Mono<Void> releaseAfterError(Connection connection, Throwable error) {
		return (Errors.untranslated(error) instanceof ConnectionException || connection.isDirty() || connection.inTransaction())
				? discard(connection) : release(connection);
	}

	/**
	 * After a cancel, a connection whose work ran outside any transaction goes back to the
	 * pool when its backend can make it clean within {@link #CLEAN_AFTER_CANCEL} (a round
	 * trip queued behind whatever the driver still had for the cancelled work, on PostgreSQL
	 * and MariaDB); no statement of that work reaches the driver from the moment
	 * the cancel arrives. Otherwise, and always inside a transaction, it goes back closed:
	 * reusing a connection in the middle of a cancelled transaction has been seen to commit
	 * part of it (SQLite, MariaDB), and a new connection is cheap next to that.
	 */
	Mono<Void> releaseAfterCancel(Connection connection) {
		ConnectionLease lease = connection.lease();
		if (connection.inTransaction() || lease.isShared()) {
			return discard(connection);
		}
		lease.seal();
		io.r2dbc.spi.Connection physical = ConnectionLease.physical(connection.raw());
		return lease.settled()
			.then(Mono.defer(() -> connection.inTransaction() ? Mono.just(false)
					: this.runtime.backend().cleanAfterCancel(physical)))
			.timeout(CLEAN_AFTER_CANCEL, Mono.just(false))
			.onErrorReturn(false)
			.defaultIfEmpty(false)
			.flatMap((clean) -> {
				if (!clean) {
					return discard(connection);
				}
				lease.recovered();
				return release(connection);
			});
	}

	/**
	 * Release after a cancel that cut a statement short: the connection is closed, not reused. A cancel can cut a
	 * driver's exchange short and leave its idea of the transaction state different from the
	 * server's (r2dbc-postgresql then skips a BEGIN and runs the next unit in auto-commit);
	 * a new connection is cheap next to work committed half.
	 */
	Mono<Void> discard(Connection connection) {
		return connection.settled().then(connection.abort()).then(release(connection));
	}

	// Stopping

	/**
	 * Stop: {@code first} (the force-rollback transaction's end) and the return of every lent
	 * connection, within {@code disconnect_timeout}; past it, {@code ending} is told and the
	 * work still running ended. Then the pool is closed.
	 * @param first what ends before the lent connections are waited for
	 * @param ending told first when the work outlasts the timeout, with the error it ends with
	 * @return completion; never an error
	 */
	Mono<Void> stop(Mono<Void> first, Consumer<ConnectionException> ending) {
		this.stopping = true;
		Mono<Void> drain = Mono.defer(() -> this.lent.isEmpty() ? Mono.empty() : this.drained.asMono());
		Duration timeout = this.options.disconnectTimeout();
		return ready().onErrorResume((error) -> Mono.empty())
			.then(first.then(drain).timeout(timeout, endLentConnections(ending)))
			.then(shutdownEmbedded().timeout(timeout, Mono.empty()))
			.then(this.pool.disposeLater().timeout(timeout, Mono.empty()))
			.then(Mono.defer(() -> {
				io.r2dbc.spi.Connection anchor = this.anchor;
				return (anchor != null) ? Mono.from(anchor.close()) : Mono.empty();
			}))
			.onErrorResume((error) -> Mono.empty());
	}

	/**
	 * After the disconnect timeout: close the physical connections still lent out, so the
	 * work on them ends with an error instead of holding the disconnect forever.
	 */
	private Mono<Void> endLentConnections(Consumer<ConnectionException> ending) {
		return Mono.defer(() -> {
			// Work still running gets its error now, whether or not it is using its connection, and
			// work waiting for the force-rollback connection does not get a turn on it first.
			ConnectionException ended = new ConnectionException("Database.disconnect() ended this work: the "
					+ "database was disconnected while it was still running after disconnect_timeout ("
					+ this.options.disconnectTimeout().toMillis() + " ms)", null, 0, null, null);
			ending.accept(ended);
			this.inFlight.endAll(ended);
			List<Mono<Void>> closing = new ArrayList<>();
			for (Connection connection : this.lent) {
				connection.endedByDisconnect(this.options.disconnectTimeout());
				closing.add(connection.abort().then(release(connection)));
			}
			return Mono.when(closing).timeout(Duration.ofSeconds(5)).onErrorResume((error) -> Mono.empty());
		});
	}

	/** The backend's statement for the end of an in-memory database's pool (H2's close delay), if any. */
	private Mono<Void> shutdownEmbedded() {
		String stop = this.runtime.backend().stopStatement(this.runtime.url().isInMemory(),
				this.runtime.url().options());
		if (stop == null) {
			return Mono.empty();
		}
		return Mono.usingWhen(acquisition(),
				(connection) -> Flux.from(connection.createStatement(stop).execute())
					.concatMap(io.r2dbc.spi.Result::getRowsUpdated)
					.then(),
				(connection) -> Mono.from(connection.close()).onErrorResume((error) -> Mono.empty()))
			.onErrorResume((error) -> Mono.empty());
	}

	void dispose() {
		this.pool.disposeLater().onErrorResume((error) -> Mono.empty()).subscribe();
	}

}

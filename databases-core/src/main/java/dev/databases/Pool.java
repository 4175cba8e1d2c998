package dev.databases;

import dev.databases.internal.backend.Backend;
import dev.databases.internal.reactor.AcquireTimeout;
import dev.databases.internal.reactor.Gate;
import dev.databases.internal.reactor.GraceTimeout;
import dev.databases.internal.reactor.Handover;
import dev.databases.internal.reactor.PassThroughSubscriber;
import dev.databases.internal.reactor.WorkInFlight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Lifecycle;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.ValidationDepth;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A connected {@link Database}: the r2dbc-pool, the connections lent out of it, and with
 * force-rollback the one connection and its outer transaction. A new one is made by each
 * {@code connect()}, so a database can be connected again after {@code disconnect()}.
 */
final class Pool {

	private final DatabaseRuntime runtime;

	private final ConnectOptions options;

	private final boolean forceRollback;

	private final ConnectionPool pool;

	private final Set<Connection> lent = ConcurrentHashMap.newKeySet();

	/** The units of work running on this pool, for disconnect() to end when they outlast its timeout. */
	private final WorkInFlight inFlight = new WorkInFlight();

	/**
	 * When each physical connection was last given back. A connection idle for longer than
	 * {@link #ALIVE_BYPASS_NANOS} is checked with a round trip before it is lent, as HikariCP
	 * does: a server restart or a killed session leaves sockets that look open locally.
	 */
	private final Map<Object, Long> lastReturned = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

	private static final long ALIVE_BYPASS_NANOS = Duration.ofMillis(500).toNanos();

	private final Sinks.Empty<Void> drained = Sinks.empty();

	private volatile boolean stopping;

	private @Nullable Mono<Void> ready;

	private volatile @Nullable Connection global;

	/** Keeps an in-memory SQLite database alive while connected: it vanishes with its last connection. */
	private volatile io.r2dbc.spi.@Nullable Connection anchor;

	private final ConnectionFactory driver;

	private volatile @Nullable Transaction globalTransaction;

	Pool(DatabaseRuntime runtime, boolean forceRollback) {
		this.runtime = runtime;
		this.options = runtime.options();
		this.forceRollback = forceRollback;
		this.driver = driverFactory();
		this.pool = new ConnectionPool(configuration(this.driver));
		// Assembled once: each subscription then only makes its subscribers.
		this.borrowed = borrow(this.options.maxSize() + 1L);
		this.acquired = Handover.of(this.borrowed).map(this::lendOut).onErrorMap(this::acquireFailure);
	}

	/** {@link #borrow(long)}, assembled once. */
	private final Mono<io.r2dbc.spi.Connection> borrowed;

	/** {@link #acquire()} without a listener, assembled once. */
	private final Mono<Connection> acquired;

	private ConnectionFactory driverFactory() {
		Backend backend = this.runtime.backend();
		ConnectionFactoryOptions parsed = ConnectionFactoryOptions.parse(this.runtime.url().toR2dbcUrl());
		ConnectionFactoryOptions.Builder builder = parsed.mutate();
		// A driver option the user gave as it is (connectTimeout, statementTimeout) wins over our default.
		if (!parsed.hasOption(ConnectionFactoryOptions.CONNECT_TIMEOUT)) {
			builder.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, this.options.connectTimeout());
		}
		Duration statementTimeout = this.options.statementTimeout();
		if (statementTimeout != null && !parsed.hasOption(ConnectionFactoryOptions.STATEMENT_TIMEOUT)) {
			builder.option(ConnectionFactoryOptions.STATEMENT_TIMEOUT, statementTimeout);
		}
		ConnectionFactory factory;
		try {
			factory = ConnectionFactories.find(builder.build());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("The " + backend + " driver rejected the options of "
					+ this.runtime.url() + ": " + ex.getMessage(), ex);
		}
		if (factory == null) {
			throw new DatabaseException("No R2DBC driver for " + backend + " on the classpath: add the dependency "
					+ backend.artifact() + " to use " + this.runtime.url(), null);
		}
		return backend.decorate(factory);
	}

	private ConnectionPoolConfiguration configuration(ConnectionFactory factory) {
		// Unlike r2dbc-pool's defaults: a finite acquire timeout, a maximum lifetime, and
		// validation on every acquire, so a connection left dead by a server restart is
		// dropped instead of handed out. LOCAL validation costs no round trip.
		return ConnectionPoolConfiguration.builder(factory)
			.name("databases-" + Integer.toHexString(System.identityHashCode(this)))
			.initialSize(this.forceRollback ? 1 : this.options.minSize())
			.minIdle(this.forceRollback ? 0 : this.options.minSize())
			.maxSize(this.options.maxSize())
			.maxIdleTime(this.options.maxIdleTime())
			.maxLifeTime(this.options.maxLifeTime())
			// The acquire timeout is applied by acquisition() instead: r2dbc-pool's arms a timer for
			// every acquire, even one served at once.
			.maxCreateConnectionTime(this.options.connectTimeout())
			.validationDepth(ValidationDepth.LOCAL)
			// r2dbc-pool retries a failed acquire once by default, which doubles acquire_timeout;
			// dead connections are retried past in borrow(long) instead.
			.acquireRetry(0)
			.metricsRecorder(new CreationRecorder(this.runtime.listener()))
			.build();
	}

	Mono<Void> start() {
		Mono<Void> anchor = (this.runtime.backend().anchorsInMemory() && this.runtime.url().isInMemory())
				? Mono.from(this.driver.create()).doOnNext((connection) -> this.anchor = connection).then()
				: Mono.empty();
		Mono<Void> start = anchor.then(this.pool.warmup().then())
			.onErrorMap((error) -> connectFailure(error))
			.then(this.forceRollback ? openGlobal() : Mono.empty())
			.doOnError((error) -> dispose())
			.cache();
		this.ready = start;
		return start;
	}

	Mono<Void> ready() {
		Mono<Void> ready = this.ready;
		return (ready != null) ? ready : Mono.empty();
	}

	private Mono<Void> openGlobal() {
		return acquire().flatMap((connection) -> connection.begin(null, TransactionOptions.defaults(), Mono.empty())
			.doOnNext((transaction) -> {
				connection.share();
				this.global = connection;
				this.globalTransaction = transaction;
			})
			.onErrorResume((error) -> release(connection).then(Mono.error(error)))).then();
	}

	Optional<PoolMetrics> metrics() {
		return this.pool.getMetrics();
	}

	ConnectionPool connectionPool() {
		return this.pool;
	}

	// Lending connections

	/** A connection for Spring's DatabaseClient and transaction manager. */
	Mono<io.r2dbc.spi.Connection> lend() {
		if (!this.forceRollback) {
			return acquisition();
		}
		return Mono.defer(() -> {
			Connection connection = globalConnection();
			return connection.rootGate()
				.acquire()
				.map((grant) -> new SharedConnection(connection.raw(), grant));
		});
	}

	<T> Mono<T> run(Function<Connection, Mono<T>> operation) {
		if (this.forceRollback) {
			return this.inFlight.track(ready().then(Mono.defer(() -> {
				Connection connection = globalConnection();
				return connection.rootGate().run(Mono.defer(() -> operation.apply(connection)));
			})));
		}
		// Never sent again on another connection when it fails: a statement that may have run
		// (a session killed while it ran) must not run twice. Connections found dead before use
		// are replaced in borrow(long), before anything is sent.
		return this.inFlight.track(Mono.usingWhen(acquire(), operation, this.release, this.releaseAfterError,
				this.releaseAfterCancel));
	}

	// Made once: a method reference is a new object at each evaluation.
	private final Function<Connection, Mono<Void>> release = this::release;

	private final java.util.function.BiFunction<Connection, Throwable, Mono<Void>> releaseAfterError = this::releaseAfterError;

	private final Function<Connection, Mono<Void>> releaseAfterCancel = this::releaseAfterCancel;

	<T> Flux<T> runMany(Function<Connection, Flux<T>> operation) {
		if (this.forceRollback) {
			// The stream's turn goes with it in the Context: it ends its turn early once the driver
			// has read its result, so that statements sent from its loop need not wait for its end.
			return this.inFlight.track(ready().thenMany(Flux.defer(() -> {
				Connection connection = globalConnection();
				return Flux.usingWhen(connection.rootGate().acquire(),
						(turn) -> Flux.defer(() -> operation.apply(connection))
							.contextWrite((context) -> context.put(Gate.Grant.class, turn)),
						Gate.Grant::release, (turn, error) -> turn.release(), Gate.Grant::release);
			})));
		}
		// Lent for this one stream: nothing else can send a statement on it while it is open.
		return this.inFlight.track(Flux.usingWhen(acquire(), (connection) -> operation.apply(connection.alone()),
				this.release, this.releaseAfterError, this.releaseAfterCancel));
	}

	/** Run {@code work} with a connection bound to the Reactor Context as its scope. */
	<T> Flux<T> withScope(Function<Scope, Flux<T>> work) {
		return this.inFlight.track(scoped(work));
	}

	private <T> Flux<T> scoped(Function<Scope, Flux<T>> work) {
		if (this.forceRollback) {
			return ready().thenMany(Flux.defer(() -> {
				Connection connection = globalConnection();
				return connection.rootGate().run(Flux.defer(() -> {
					Scope scope = Scope.of(connection, this.globalTransaction);
					return work.apply(scope).contextWrite((context) -> context.put(this.runtime.scopeKey(), scope));
				}));
			}));
		}
		return Flux.usingWhen(acquire(), (connection) -> {
			Scope scope = new Scope(connection, null, connection.rootGate());
			return work.apply(scope).contextWrite((context) -> context.put(this.runtime.scopeKey(), scope));
		}, this::release, this::releaseAfterError, this::releaseAfterCancel);
	}

	/** {@link #withScope(Function)} for one value, without the detour through a Flux. */
	<T> Mono<T> withScopeOne(Function<Scope, Mono<T>> work) {
		if (this.forceRollback) {
			return withScope((scope) -> work.apply(scope).flux()).singleOrEmpty();
		}
		return this.inFlight.track(Mono.usingWhen(acquire(), (connection) -> {
			Scope scope = new Scope(connection, null, connection.rootGate());
			return work.apply(scope).contextWrite((context) -> context.put(this.runtime.scopeKey(), scope));
		}, this::release, this::releaseAfterError, this::releaseAfterCancel));
	}

	/** A low-level transaction, pinning its connection (or the gate of the global one) until it ends. */
	Mono<Transaction> beginPinned(TransactionOptions options) {
		if (this.forceRollback) {
			return ready().then(Mono.defer(() -> {
				Connection connection = globalConnection();
				return Mono.usingWhen(connection.rootGate().acquire(),
						(grant) -> connection.begin(this.globalTransaction, options, grant.release()),
						(grant) -> Mono.empty(), (grant, error) -> grant.release(), Gate.Grant::release);
			}));
		}
		return Mono.usingWhen(acquire(),
				(connection) -> connection.begin(null, options,
						Mono.defer(() -> connection.isDirty() ? discard(connection) : release(connection))),
				(connection) -> Mono.empty(), this::releaseAfterError, this::releaseAfterCancel);
	}

	private Connection globalConnection() {
		Connection connection = this.global;
		if (connection == null) {
			throw this.runtime.notConnected("query");
		}
		return connection;
	}

	/** r2dbc-pool's acquisition, limited by the acquire timeout. */
	private Mono<io.r2dbc.spi.Connection> acquisition() {
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
						: ConnectionLease.closePhysical(raw, this.runtime.backend()).then(Mono.from(raw.close()).onErrorResume((error) -> Mono.empty()))
							.then(Mono.error(new StaleConnection())));
		});
		if (retries <= 0) {
			return borrowed;
		}
		// As retryWhen(Retry.max(retries).filter(...)), without its per-subscription machinery.
		return borrowed.onErrorResume(Pool::isStale, (error) -> borrow(retries - 1));
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

	Mono<Connection> acquire() {
		DatabaseListener listener = this.runtime.listener();
		if (listener == null) {
			return this.acquired;
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return Handover.of(this.borrowed).map((raw) -> lendOut(raw, listener, start)).onErrorMap(this::acquireFailure).doOnError((error) -> Listeners.acquireFailed(listener,
					Duration.ofNanos(System.nanoTime() - start), error));
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

	Mono<Void> release(Connection connection) {
		// Bookkeeping runs before completion is signalled, so whoever waited for the release
		// sees the listener told and the connection no longer lent.
		return new Released(this, connection, Mono.defer(() -> {
			io.r2dbc.spi.Connection physical = ConnectionLease.physical(connection.raw());
			this.lastReturned.put(physical, System.nanoTime());
			Backend backend = this.runtime.backend();
			backend.releasing(connection.raw(), connection.answeredInFull());
			Mono<Void> returned = Mono.from(connection.raw().close());
			Mono<Void> close = !leftInTransaction(physical) ? returned
					// A transaction left open by raw SQL (BEGIN through execute): r2dbc-pool has the
					// driver clean up only through Lifecycle, which r2dbc-postgresql and r2dbc-h2 do
					// not implement, so the next borrower would have run inside it. A rollback that
					// fails ends the session instead, and the pool drops the connection.
					: Mono.from(physical.rollbackTransaction())
						.onErrorResume((error) -> ConnectionLease.closePhysical(physical, backend))
						.then(returned);
			// r2dbc-pool's release runs the driver's cleanup, which waits forever on a driver
			// whose exchange queue stalled (see Backend#forceClose). The permit would never come
			// back; closed at the socket, the connection fails that cleanup, and a second pass
			// of the same release invalidates it in the pool.
			return backend.canForceClose(physical) ? GraceTimeout.of(close, Backend.STALL_GRACE,
					Mono.defer(() -> backend.forceClose(physical).then(close))) : close;
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

	/**
	 * A release: {@code connection.settled().then(close)}, without the wait when no cleanup
	 * is pending as it is subscribed, and its end in one operator instead of {@code onErrorResume(empty)},
	 * {@code then(fromRunnable(returned))} and {@code doOnCancel(returned)}: an error of
	 * the close is dropped, the bookkeeping runs before completion is signalled, and a
	 * cancel does the bookkeeping before it travels up.
	 */
	private static final class Released extends Mono<Void> {

		private final Pool pool;

		private final Connection connection;

		private final Mono<Void> close;

		Released(Pool pool, Connection connection, Mono<Void> close) {
			this.pool = pool;
			this.connection = connection;
			this.close = close;
		}

		@Override
		public void subscribe(reactor.core.CoreSubscriber<? super Void> actual) {
			// As connection.settled().then(close): the pending cleanup is read at subscription.
			Mono<Void> settling = this.connection.settling();
			Mono<Void> source = (settling == ConnectionLease.NOTHING_TO_SETTLE) ? this.close : settling.then(this.close);
			source.subscribe(new ReleasedSubscriber(actual, this.pool, this.connection));
		}

	}

	private static final class ReleasedSubscriber extends PassThroughSubscriber<Void, Void> {

		private final Pool pool;

		private final Connection connection;

		ReleasedSubscriber(reactor.core.CoreSubscriber<? super Void> actual, Pool pool, Connection connection) {
			super(actual);
			this.pool = pool;
			this.connection = connection;
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			onComplete();
		}

		@Override
		public void onComplete() {
			try {
				this.pool.returned(this.connection);
			}
			catch (Throwable ex) {
				this.actual.onError(reactor.core.publisher.Operators.onOperatorError(ex, currentContext()));
				return;
			}
			this.actual.onComplete();
		}

		@Override
		public void cancel() {
			this.pool.returned(this.connection);
			cancelUpstream();
		}

	}

	private void returned(Connection connection) {
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
	 * After a cancel the connection goes back closed: what a driver still had queued for the
	 * cancelled work is unknown, and reusing it has been seen to commit part of a
	 * transaction (SQLite, MariaDB) or to leave a connection acquired.
	 */
	Mono<Void> releaseAfterCancel(Connection connection) {
		return discard(connection);
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

	private Throwable acquireFailure(Throwable error) {
		if (error instanceof R2dbcTimeoutException && String.valueOf(error.getMessage()).contains("acquisition")) {
			return new AcquireTimeoutException(this.options.maxSize(), this.options.acquireTimeout(), error);
		}
		return connectFailure(error);
	}

	private Throwable connectFailure(Throwable error) {
		if (error instanceof DatabaseException) {
			return error;
		}
		if (error instanceof TimeoutException) {
			return new ConnectionException("Cannot connect to " + this.runtime.url() + ": no connection within "
					+ "connect_timeout " + this.options.connectTimeout().toMillis() + " ms", null, 0, null, error);
		}
		Throwable translated = Errors.translate(error, null);
		String reason = (translated.getMessage() != null) ? translated.getMessage() : error.toString();
		if (translated instanceof DatabaseException database && !(translated instanceof ConnectionException)) {
			return new ConnectionException("Cannot connect to " + this.runtime.url() + ": " + reason,
					database.sqlState(), database.vendorCode(), null, error);
		}
		return new ConnectionException("Cannot connect to " + this.runtime.url() + ": " + reason, null, 0, null,
				error);
	}

	// Stopping

	Mono<Void> stop() {
		this.stopping = true;
		Mono<Void> endGlobal = Mono.defer(() -> {
			Connection connection = this.global;
			Transaction transaction = this.globalTransaction;
			if (connection == null || transaction == null) {
				return Mono.empty();
			}
			return connection.rootGate()
				.run(transaction.rollback().onErrorResume((error) -> Mono.empty()).then(release(connection)));
		});
		Mono<Void> drain = Mono.defer(() -> this.lent.isEmpty() ? Mono.empty() : this.drained.asMono());
		return ready().onErrorResume((error) -> Mono.empty())
			.then(endGlobal.then(drain).timeout(this.options.disconnectTimeout(), endLentConnections()))
			.then(shutdownEmbedded().timeout(this.options.disconnectTimeout(), Mono.empty()))
			.then(this.pool.disposeLater().timeout(this.options.disconnectTimeout(), Mono.empty()))
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
	private Mono<Void> endLentConnections() {
		return Mono.defer(() -> {
			// Work still running gets its error now, whether or not it is using its connection, and
			// work waiting for the force-rollback connection does not get a turn on it first.
			ConnectionException ended = new ConnectionException("Database.disconnect() ended this work: the "
					+ "database was disconnected while it was still running after disconnect_timeout ("
					+ this.options.disconnectTimeout().toMillis() + " ms)", null, 0, null, null);
			Connection global = this.global;
			if (global != null) {
				global.rootGate().close(ended);
			}
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

	/** Tells the listener how long opening each new connection took, from r2dbc-pool's allocation figures. */
	private static final class CreationRecorder implements reactor.pool.PoolMetricsRecorder {

		private final @Nullable DatabaseListener listener;

		CreationRecorder(@Nullable DatabaseListener listener) {
			this.listener = listener;
		}

		@Override
		public void recordAllocationSuccessAndLatency(long latencyMs) {
			if (this.listener != null) {
				Listeners.created(this.listener, Duration.ofMillis(latencyMs));
			}
		}

		@Override
		public void recordAllocationFailureAndLatency(long latencyMs) {
		}

		@Override
		public void recordResetLatency(long latencyMs) {
		}

		@Override
		public void recordDestroyLatency(long latencyMs) {
		}

		@Override
		public void recordRecycled() {
		}

		@Override
		public void recordLifetimeDuration(long millisecondsSinceAllocation) {
		}

		@Override
		public void recordIdleTime(long millisecondsIdle) {
		}

		@Override
		public void recordSlowPath() {
		}

		@Override
		public void recordFastPath() {
		}

	}

	void dispose() {
		this.pool.disposeLater().onErrorResume((error) -> Mono.empty()).subscribe();
	}

}

package dev.databases;

import dev.databases.internal.r2dbc.PhysicalConnection;
import dev.databases.internal.reactor.OpenStreamSlot;
import dev.databases.internal.reactor.PassThroughSubscriber;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * What one lent {@link Connection} knows about its lease: when and where it was lent, whether
 * a cancel left the driver with unanswered statements, the cleanup a cancel started, and how
 * the physical connection is closed when it cannot be handed on clean. Every statement goes
 * to the driver through {@link #tracked}, which keeps that record.
 */
final class ConnectionLease {

	/** What {@link #settling} is until a cancel starts a cleanup. */
	static final Mono<Void> NOTHING_TO_SETTLE = Mono.empty();

	private static final AtomicIntegerFieldUpdater<ConnectionLease> RETURNED = AtomicIntegerFieldUpdater
		.newUpdater(ConnectionLease.class, "returned");

	private final DatabaseRuntime runtime;

	private final io.r2dbc.spi.Connection raw;

	/** The stream whose result the driver is still reading, when the driver cannot interleave another statement. */
	private final OpenStreamSlot openStream = new OpenStreamSlot();

	/** Guards statements entering the driver against a rollback of the transaction they run in. */
	private final Object admission = new Object();

	private volatile @Nullable Transaction current;

	private volatile int returned;

	private volatile boolean shared;

	/** A statement was cancelled before the server answered: what the driver still has queued is unknown. */
	private volatile boolean dirty;

	/**
	 * A statement was cancelled after its first answer and before its end: the driver may
	 * still be reading the rest of its answer.
	 */
	private volatile boolean cutShort;

	/** No statement may reach the driver any more: the lease's work was cancelled and its connection is being made clean. */
	private volatile boolean sealed;

	/** Lent for one stream outside any block: nothing else can send a statement on it meanwhile. */
	private boolean alone;

	private volatile @Nullable Duration endedByDisconnect;

	/**
	 * Cleanup started by a cancel (a rollback in flight). A cancel reaches every layer at
	 * once, so whoever hands this connection on next, the pool or a gate, waits for it first.
	 */
	private volatile Mono<Void> settling = NOTHING_TO_SETTLE;

	private long leasedAt;

	private @Nullable Object leaseContext;

	ConnectionLease(DatabaseRuntime runtime, io.r2dbc.spi.Connection raw) {
		this.runtime = runtime;
		this.raw = raw;
	}

	OpenStreamSlot openStream() {
		return this.openStream;
	}

	// The transaction statements run in

	@Nullable Transaction current() {
		return this.current;
	}

	void current(@Nullable Transaction transaction) {
		this.current = transaction;
	}

	/**
	 * Mark {@code transaction} as rolling back. From here on, statements in it are refused
	 * before they reach the driver, so none can be queued behind the ROLLBACK (or the close)
	 * and run in auto-commit.
	 */
	void rollingBack(Transaction transaction) {
		synchronized (this.admission) {
			transaction.markRollingBack();
		}
	}

	// Bookkeeping

	/** Whether this is the first time the connection is given back to the pool. */
	boolean markReturned() {
		return RETURNED.compareAndSet(this, 0, 1);
	}

	/** Marks the one force-rollback connection, which is never closed to end a cancelled unit. */
	void share() {
		this.shared = true;
	}

	boolean isShared() {
		return this.shared;
	}

	boolean isDirty() {
		return this.dirty;
	}

	void markDirty() {
		this.dirty = true;
	}

	/** Whether every statement of this lease has been answered to its end (or failed). */
	boolean answeredInFull() {
		return !this.dirty && !this.cutShort;
	}

	void markCutShort() {
		this.cutShort = true;
	}

	/**
	 * Refuse every statement from here on: the lease's work was cancelled, and a statement it
	 * subscribes to late must not reach the driver behind the check that makes the connection
	 * clean for its next borrower, nor after it.
	 */
	void seal() {
		synchronized (this.admission) {
			this.sealed = true;
		}
	}

	/** The connection answered a round trip after the cancel: nothing of the lease is left in the driver. */
	void recovered() {
		this.dirty = false;
		this.cutShort = false;
	}

	void alone() {
		this.alone = true;
	}

	boolean isAlone() {
		return this.alone;
	}

	void leased(long at, @Nullable Object context) {
		this.leasedAt = at;
		this.leaseContext = context;
	}

	long leasedAt() {
		return this.leasedAt;
	}

	@Nullable Object leaseContext() {
		return this.leaseContext;
	}

	void endedByDisconnect(Duration timeout) {
		this.endedByDisconnect = timeout;
	}

	/** Translate a driver error, naming disconnect() when that is what closed the connection. */
	Throwable translate(Throwable error, @Nullable String sql) {
		Duration timeout = this.endedByDisconnect;
		if (timeout != null && !(error instanceof DatabaseException)) {
			return new ConnectionException("Database.disconnect() ended this work: it was still running after "
					+ "disconnect_timeout (" + timeout.toMillis() + " ms)" + ((sql != null) ? " in SQL: " + sql : ""),
					null, 0, sql, error);
		}
		return Errors.translate(error, sql, this.runtime.backend()::errorHint);
	}

	// Cleanup after a cancel

	/**
	 * Cleanup after a cancel: remembered so that releasing the connection waits for it. A
	 * driver whose exchange can stall bounds the cleanup in its backend's wrapper.
	 */
	Mono<Void> settle(Mono<Void> cleanup) {
		Mono<Void> cached = cleanup.onErrorResume((error) -> Mono.empty()).cache();
		this.settling = cached;
		return cached;
	}

	/** Completes once any cleanup started by a cancel has finished. */
	Mono<Void> settled() {
		return Mono.defer(() -> this.settling);
	}

	/** The cleanup a cancel started, or {@link #NOTHING_TO_SETTLE}, as of now. */
	Mono<Void> settling() {
		return this.settling;
	}

	/**
	 * End a cancelled root transaction by closing the physical connection instead of
	 * rolling back. A cancel can leave part of a statement still queued in the driver
	 * (r2dbc-postgresql parses and executes in two exchanges), and a ROLLBACK sent now
	 * could overtake it, so that the statement then runs in auto-commit; closing makes the
	 * server abort the transaction whatever is still queued.
	 */
	Mono<Void> abort() {
		return closePhysical(this.raw);
	}

	/**
	 * The driver's connection under r2dbc-pool's wrapper (the wrapper's close only returns
	 * it), or the backend's wrapper that stands for it and bounds its close.
	 */
	static io.r2dbc.spi.Connection physical(io.r2dbc.spi.Connection raw) {
		io.r2dbc.spi.Connection connection = raw;
		for (int depth = 0; depth < 4 && !(connection instanceof PhysicalConnection)
				&& connection instanceof io.r2dbc.spi.Wrapped<?> wrapped
				&& wrapped.unwrap() instanceof io.r2dbc.spi.Connection target && target != connection; depth++) {
			connection = target;
		}
		return connection;
	}

	/** Close the driver's connection itself, ignoring errors: the server ends its session. */
	static Mono<Void> closePhysical(io.r2dbc.spi.Connection raw) {
		io.r2dbc.spi.Connection physical = physical(raw);
		return Mono.defer(() -> Mono.from(physical.close())).onErrorResume((error) -> Mono.empty());
	}

	// Statements on their way to the driver

	/**
	 * Marks this connection dirty when a statement is cancelled before any answer. Its
	 * transaction is then ended by closing the connection, and the pool gets it back closed:
	 * a ROLLBACK could overtake the statement's queued remainder (r2dbc-postgresql parses
	 * and executes in two exchanges). A cancel after the first row (fetchOne) is harmless.
	 */
	<T> Flux<T> tracked(Flux<T> work) {
		return tracked(work, false);
	}

	/** {@link #tracked(Flux)}; transaction control statements are sent even while rolling back. */
	<T> Flux<T> tracked(Flux<T> work, boolean transactionControl) {
		boolean queues = this.runtime.backend().queuesStatements();
		return new Tracked<>(work, this, queues, !transactionControl && queues, true);
	}

	/** {@link #tracked(Flux)} for the statement of an open stream, which waits for other streams itself. */
	<T> Flux<T> trackedStream(Flux<T> work) {
		boolean queues = this.runtime.backend().queuesStatements();
		return new Tracked<>(work, this, queues, queues, false);
	}

	/**
	 * The operator of {@link #tracked}: any signal (a row, an error, the end) counts as an
	 * answer, and a cancel before one marks the connection dirty.
	 * <p>
	 * On a driver that queues statements, a statement is refused once the lease is
	 * {@link #seal sealed}; when {@code admitted}, it also enters the driver's queue only while its
	 * transaction is not rolling back. Work cancelled in the instant its transaction is rolled
	 * back can still subscribe to its next statement; the drivers queue a statement when it
	 * is subscribed, so checking and subscribing under one lock with {@link #rollingBack}
	 * orders the two.
	 */
	private static final class Tracked<T> extends Flux<T> {

		private final Flux<T> statement;

		private final ConnectionLease lease;

		/** Subscribed under the lease's lock, so that {@link #seal} and {@link #rollingBack} order against it. */
		private final boolean guarded;

		private final boolean admitted;

		private final boolean afterOpenStream;

		Tracked(Flux<T> statement, ConnectionLease lease, boolean guarded, boolean admitted, boolean afterOpenStream) {
			this.statement = statement;
			this.lease = lease;
			this.guarded = guarded;
			this.admitted = admitted;
			this.afterOpenStream = afterOpenStream;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			Mono<Void> open = this.afterOpenStream ? this.lease.openStream.pending() : null;
			if (open != null) {
				// The driver would queue this statement behind a result whose reader waits for it.
				open.thenMany(this).subscribe(actual);
				return;
			}
			if (!this.guarded) {
				this.statement.subscribe(new TrackedSubscriber<>(actual, this.lease));
				return;
			}
			synchronized (this.lease.admission) {
				if (this.lease.sealed) {
					Operators.error(actual, new IllegalStateException(
							"The work of this statement was cancelled; the statement was not sent"));
					return;
				}
				Transaction transaction = this.lease.current;
				if (this.admitted && transaction != null && transaction.isRollingBack()) {
					Operators.error(actual, new IllegalStateException(
							"The transaction of this statement is being rolled back; the statement was not sent"));
					return;
				}
				this.statement.subscribe(new TrackedSubscriber<>(actual, this.lease));
			}
		}

	}

	private static final class TrackedSubscriber<T> extends PassThroughSubscriber<T, T> {

		private final ConnectionLease lease;

		private boolean answered;

		private boolean ended;

		TrackedSubscriber(CoreSubscriber<? super T> actual, ConnectionLease lease) {
			super(actual);
			this.lease = lease;
		}

		@Override
		public void onNext(T value) {
			this.answered = true;
			this.actual.onNext(value);
		}

		@Override
		public void onError(Throwable error) {
			this.answered = true;
			this.ended = true;
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			this.answered = true;
			this.ended = true;
			this.actual.onComplete();
		}

		@Override
		public void cancel() {
			if (!this.answered) {
				this.lease.dirty = true;
			}
			else if (!this.ended) {
				this.lease.cutShort = true;
			}
			cancelUpstream();
		}

	}

}

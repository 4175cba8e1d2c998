package dev.databases;

import dev.databases.internal.backend.Backend;
import dev.databases.internal.reactor.Gate;
import dev.databases.internal.reactor.OpenStreamSlot;
import dev.databases.internal.reactor.PassThroughSubscriber;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.databases.internal.parsing.BoundSql;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * One connection to the database, with the query methods of {@link Database}.
 * <p>
 * Inside {@link Database#connection}, {@link Database#transaction} and their relatives,
 * every call, whether made through this object or through the {@code Database}, runs on
 * this connection: it is found through the Reactor Context. Transactions begun on a
 * connection that is already in one are savepoints.
 *
 * @since 0.1.0
 */
public final class Connection extends QueryMethods {

	/** Rows per round trip when streaming; small enough for constant memory, large enough to amortise. */
	private static final int ITERATE_FETCH_SIZE = 500;

	private final DatabaseRuntime runtime;

	private final io.r2dbc.spi.Connection raw;

	/** Made on first use: most connections run single statements and never need it. */
	private volatile @Nullable Gate rootGate;

	private static final java.util.concurrent.atomic.AtomicReferenceFieldUpdater<Connection, Gate> ROOT_GATE = java.util.concurrent.atomic.AtomicReferenceFieldUpdater
		.newUpdater(Connection.class, Gate.class, "rootGate");

	private volatile int savepoints;

	private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Connection> SAVEPOINTS = java.util.concurrent.atomic.AtomicIntegerFieldUpdater
		.newUpdater(Connection.class, "savepoints");

	private volatile @Nullable Transaction current;

	private volatile @Nullable Duration endedByDisconnect;

	/**
	 * Cleanup started by a cancel (a rollback in flight). A cancel reaches every layer at
	 * once, so whoever hands this connection on next, the pool or a gate, waits for it first.
	 */
	private volatile Mono<Void> settling = NOTHING_TO_SETTLE;

	/** What {@link #settling} is until a cancel starts a cleanup. */
	static final Mono<Void> NOTHING_TO_SETTLE = Mono.empty();

	private long leasedAt;

	private @Nullable Object leaseContext;

	/** The stream whose result the driver is still reading, when the driver cannot interleave another statement. */
	private final OpenStreamSlot openStream = new OpenStreamSlot();

	private volatile int cursors;

	private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Connection> CURSORS = java.util.concurrent.atomic.AtomicIntegerFieldUpdater
		.newUpdater(Connection.class, "cursors");

	/** Lent for one stream outside any block: nothing else can send a statement on it meanwhile. */
	private boolean alone;

	Connection(DatabaseRuntime runtime, io.r2dbc.spi.Connection raw) {
		this.runtime = runtime;
		this.raw = raw;
	}

	/**
	 * The R2DBC connection underneath, for what this library does not cover. Do not close it
	 * or end its transactions directly.
	 * @return the R2DBC connection
	 */
	public io.r2dbc.spi.Connection raw() {
		return this.raw;
	}

	@Override
	<T> Mono<T> withConnection(Function<Connection, Mono<T>> operation) {
		return Mono.defer(() -> operation.apply(this));
	}

	@Override
	<T> Flux<T> withConnectionMany(Function<Connection, Flux<T>> operation) {
		return Flux.defer(() -> operation.apply(this));
	}

	/**
	 * Run {@code work} in a transaction on this connection (a savepoint if one is open):
	 * commit when it completes, roll back when it errors or is cancelled.
	 * @param <T> the result type
	 * @param work the work, given the transaction
	 * @return the work's result, emitted after the commit
	 */
	public <T> Mono<T> transaction(Function<Transaction, Mono<T>> work) {
		return transaction(TransactionOptions.defaults(), work);
	}

	/**
	 * Run {@code work} in a transaction with the given options; see {@link #transaction(Function)}.
	 * @param <T> the result type
	 * @param options isolation, read-only and force-rollback
	 * @param work the work, given the transaction
	 * @return the work's result, emitted after the commit
	 */
	public <T> Mono<T> transaction(TransactionOptions options, Function<Transaction, Mono<T>> work) {
		return Mono.deferContextual((context) -> transactionIn(scopeIn(context), options, work));
	}

	/**
	 * Run streaming {@code work} in a transaction on this connection; the Flux completes
	 * after the commit.
	 * @param <T> the element type
	 * @param work the work, given the transaction
	 * @return the work's elements
	 */
	public <T> Flux<T> transactionMany(Function<Transaction, ? extends Publisher<T>> work) {
		return Flux.deferContextual(
				(context) -> transactionManyIn(scopeIn(context), TransactionOptions.defaults(), work));
	}

	/**
	 * Begin a transaction (a savepoint if one is open) that the caller ends with
	 * {@link Transaction#commit()} or {@link Transaction#rollback()}.
	 * @return the open transaction
	 */
	public Mono<Transaction> beginTransaction() {
		return beginTransaction(TransactionOptions.defaults());
	}

	/**
	 * Begin a transaction with the given options; see {@link #beginTransaction()}.
	 * @param options isolation, read-only and force-rollback
	 * @return the open transaction
	 */
	public Mono<Transaction> beginTransaction(TransactionOptions options) {
		return Mono.deferContextual((context) -> begin(scopeIn(context).transaction(), options, Mono.empty()));
	}

	// Scopes and transactions

	private Scope scopeIn(ContextView context) {
		Scope scope = context.getOrDefault(this.runtime.scopeKey(), null);
		if (scope != null && scope.connection() == this) {
			return scope;
		}
		return new Scope(this, this.current, rootGate());
	}

	private volatile int returned;

	private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Connection> RETURNED = java.util.concurrent.atomic.AtomicIntegerFieldUpdater
		.newUpdater(Connection.class, "returned");

	/** Whether this is the first time the connection is given back to the pool. */
	boolean markReturned() {
		return RETURNED.compareAndSet(this, 0, 1);
	}

	private volatile boolean shared;

	/** A statement was cancelled before the server answered: what the driver still has queued is unknown. */
	private volatile boolean dirty;

	boolean isDirty() {
		return this.dirty;
	}

	/**
	 * A statement was cancelled after its first answer and before its end: the driver may
	 * still be reading the rest of its answer.
	 */
	private volatile boolean cutShort;

	/** Whether every statement of this lease has been answered to its end (or failed). */
	boolean answeredInFull() {
		return !this.dirty && !this.cutShort;
	}

	void markDirty() {
		this.dirty = true;
	}

	/**
	 * Marks this connection dirty when a statement is cancelled before any answer. Its
	 * transaction is then ended by closing the connection, and the pool gets it back closed:
	 * a ROLLBACK could overtake the statement's queued remainder (r2dbc-postgresql parses
	 * and executes in two exchanges). A cancel after the first row (fetchOne) is harmless.
	 */
	private <T> Flux<T> tracked(Flux<T> work) {
		return tracked(work, false);
	}

	private <T> Flux<T> tracked(Flux<T> work, boolean transactionControl) {
		return new Tracked<>(work, this, !transactionControl && this.runtime.backend().queuesStatements(), true);
	}

	/** {@link #tracked(Flux)} for the statement of an {@link OpenStream}, which waits for other streams itself. */
	private <T> Flux<T> trackedStream(Flux<T> work) {
		return new Tracked<>(work, this, this.runtime.backend().queuesStatements(), false);
	}

	/**
	 * The operator of {@link #tracked}: any signal (a row, an error, the end) counts as an
	 * answer, and a cancel before one marks the connection dirty.
	 * <p>
	 * When {@code admitted}, the statement also enters the driver's queue only while its
	 * transaction is not rolling back. Work cancelled in the instant its transaction is rolled
	 * back can still subscribe to its next statement; the drivers queue a statement when it
	 * is subscribed, so checking and subscribing under one lock with {@link #rollingBack}
	 * orders the two.
	 */
	private static final class Tracked<T> extends Flux<T> {

		private final Flux<T> statement;

		private final Connection connection;

		private final boolean admitted;

		private final boolean afterOpenStream;

		Tracked(Flux<T> statement, Connection connection, boolean admitted, boolean afterOpenStream) {
			this.statement = statement;
			this.connection = connection;
			this.admitted = admitted;
			this.afterOpenStream = afterOpenStream;
		}

		@Override
		public void subscribe(reactor.core.CoreSubscriber<? super T> actual) {
			Mono<Void> open = this.afterOpenStream ? this.connection.openStream.pending() : null;
			if (open != null) {
				// The driver would queue this statement behind a result whose reader waits for it.
				open.thenMany(this).subscribe(actual);
				return;
			}
			if (!this.admitted) {
				this.statement.subscribe(new TrackedSubscriber<>(actual, this.connection));
				return;
			}
			synchronized (this.connection.admission) {
				Transaction transaction = this.connection.current;
				if (transaction != null && transaction.isRollingBack()) {
					reactor.core.publisher.Operators.error(actual, new IllegalStateException(
							"The transaction of this statement is being rolled back; the statement was not sent"));
					return;
				}
				this.statement.subscribe(new TrackedSubscriber<>(actual, this.connection));
			}
		}

	}

	private static final class TrackedSubscriber<T> extends PassThroughSubscriber<T, T> {

		private final Connection connection;

		private boolean answered;

		private boolean ended;

		TrackedSubscriber(reactor.core.CoreSubscriber<? super T> actual, Connection connection) {
			super(actual);
			this.connection = connection;
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
				this.connection.dirty = true;
			}
			else if (!this.ended) {
				this.connection.cutShort = true;
			}
			cancelUpstream();
		}

	}

	/** Marks this connection as lent for one stream outside any block. */
	Connection alone() {
		this.alone = true;
		return this;
	}

	/** Guards statements entering the driver against a rollback of the transaction they run in. */
	private final Object admission = new Object();

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

	/** Marks the one force-rollback connection, which is never closed to end a cancelled unit. */
	void share() {
		this.shared = true;
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
		for (int depth = 0; depth < 4 && !(connection instanceof dev.databases.internal.r2dbc.PhysicalConnection)
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

	/** Whether ending {@code transaction} must close the connection rather than send ROLLBACK. */
	boolean mustAbort(Transaction transaction) {
		// H2 runs each statement on the caller's thread, so nothing can be queued behind a
		// ROLLBACK; and it does not promise a rollback when a connection closes.
		return !transaction.isNested() && !this.shared && this.runtime.backend().queuesStatements();
	}

	/**
	 * End a transaction whose work was cancelled. A statement the work subscribed to in the
	 * instant of the cancel can still reach the driver's queue after a ROLLBACK sent now, and
	 * would then run in auto-commit: seen on r2dbc-postgresql, r2dbc-mysql and our SQLite
	 * driver as the second half of a cancelled transaction committed. Closing the connection
	 * instead makes the server (or SQLite) roll back whatever comes first; the pool discards a
	 * connection after a cancel anyway.
	 */
	private Mono<Void> cancelled(Transaction transaction) {
		if (!mustAbort(transaction)) {
			// A rollback that fails (SQLite refuses one while a statement is still running) leaves
			// the transaction open: the connection must then not be lent again.
			return settle(transaction.rollback().onErrorResume((error) -> {
				this.dirty = true;
				return Mono.empty();
			}));
		}
		return settle(transaction.abort());
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

	/** Report each statement to the listener, when there is one; free otherwise. */
	/**
	 * A client-side limit for when the server cannot enforce statement_timeout itself (the
	 * network is gone): the statement is cancelled, which closes the connection.
	 */
	private <T> Mono<T> limited(String sql, Mono<T> work) {
		Duration timeout = this.runtime.answerTimeout();
		return (timeout != null) ? work.timeout(timeout).onErrorMap(TimeoutException.class, (error) -> noAnswer(sql, timeout, error))
				: work;
	}

	private <T> Flux<T> limited(String sql, Flux<T> work) {
		Duration timeout = this.runtime.answerTimeout();
		return (timeout != null) ? work.timeout(timeout).onErrorMap(TimeoutException.class, (error) -> noAnswer(sql, timeout, error))
				: work;
	}

	private static ConnectionException noAnswer(String sql, Duration timeout, Throwable error) {
		return new ConnectionException("No answer from the server within " + timeout.toMillis()
				+ " ms (statement_timeout plus connect_timeout); the connection was closed, in SQL: " + sql, null, 0,
				sql, error);
	}

	private <T> Mono<T> observed(String sql, Mono<T> work) {
		DatabaseListener listener = this.runtime.listener();
		if (listener == null) {
			return work;
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return work.doOnSuccess((value) -> Listeners.query(listener, sql, start, null))
				.doOnError((error) -> Listeners.query(listener, sql, start, error));
		});
	}

	private <T> Flux<T> observed(String sql, Flux<T> work) {
		DatabaseListener listener = this.runtime.listener();
		if (listener == null) {
			return work;
		}
		return Flux.defer(() -> {
			long start = System.nanoTime();
			// fetchOne cancels the rows after the first: a cancel is a success here.
			return work.doOnError((error) -> Listeners.query(listener, sql, start, error))
				.doFinally((signal) -> {
					if (signal != reactor.core.publisher.SignalType.ON_ERROR) {
						Listeners.query(listener, sql, start, null);
					}
				});
		});
	}

	/** Cleanup after a cancel: remembered so that releasing the connection waits for it. */
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

	void endedByDisconnect(Duration timeout) {
		this.endedByDisconnect = timeout;
	}

	/** Translate a driver error, naming disconnect() when that is what closed the connection. */
	private Throwable translate(Throwable error, @Nullable String sql) {
		Duration timeout = this.endedByDisconnect;
		if (timeout != null && !(error instanceof DatabaseException)) {
			return new ConnectionException("Database.disconnect() ended this work: it was still running after "
					+ "disconnect_timeout (" + timeout.toMillis() + " ms)" + ((sql != null) ? " in SQL: " + sql : ""),
					null, 0, sql, error);
		}
		return Errors.translate(error, sql);
	}

	/** A transaction begun and ended by someone else (Spring): ours inside it are savepoints. */
	Transaction external() {
		Transaction transaction = new Transaction(this, null, null, TransactionOptions.defaults(), Mono.empty(),
				true);
		this.current = transaction;
		return transaction;
	}

	Gate rootGate() {
		Gate gate = this.rootGate;
		if (gate == null) {
			// A unit waiting for the connection gets it sooner if an open stream reads ahead.
			gate = new Gate(this.openStream::readAhead);
			if (!ROOT_GATE.compareAndSet(this, null, gate)) {
				gate = java.util.Objects.requireNonNull(this.rootGate);
			}
		}
		return gate;
	}

	<T> Mono<T> transactionIn(Scope scope, TransactionOptions options, Function<Transaction, Mono<T>> work) {
		return scope.gate().run(Mono.defer(() -> {
			// The value is held back until the commit has completed, so a caller that reads it
			// can rely on the data being committed.
			Object[] result = new Object[1];
			return Mono
				.usingWhen(begin(scope.transaction(), options, Mono.empty()),
						(transaction) -> work.apply(transaction)
							.doOnNext((value) -> result[0] = value)
							.then()
							.contextWrite((context) -> context.put(this.runtime.scopeKey(),
									Scope.of(this, transaction))),
						Transaction::commit, Connection::rollbackAfter,
						this::cancelled)
				.onErrorMap(Connection::unwrapCleanupFailure)
				.then(Mono.fromSupplier(() -> cast(result[0])));
		}), this::settled);
	}

	<T> Flux<T> transactionManyIn(Scope scope, TransactionOptions options,
			Function<Transaction, ? extends Publisher<T>> work) {
		return scope.gate()
			.run(Flux.usingWhen(begin(scope.transaction(), options, Mono.empty()),
					(transaction) -> Flux.from(work.apply(transaction))
						.contextWrite((context) -> context.put(this.runtime.scopeKey(), Scope.of(this, transaction))),
					Transaction::commit, Connection::rollbackAfter, this::cancelled)
				.onErrorMap(Connection::unwrapCleanupFailure),
					this::settled);
	}

	/**
	 * Reactor reports a failed commit (usingWhen's completion hook) as "Async resource cleanup
	 * failed after onComplete" around the real error; the caller should see the commit's
	 * own error, as Spring's TransactionalOperator unwraps it too.
	 */
	private static Throwable unwrapCleanupFailure(Throwable error) {
		if (error.getClass() == RuntimeException.class && error.getCause() != null
				&& String.valueOf(error.getMessage()).startsWith("Async resource cleanup failed")) {
			return error.getCause();
		}
		return error;
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(@Nullable Object value) {
		return (T) value;
	}

	/** Roll back after an error, keeping the caller's error and adding a failed rollback to it. */
	private static Mono<Void> rollbackAfter(Transaction transaction, Throwable error) {
		return transaction.rollback().onErrorResume((rollbackError) -> {
			if (rollbackError != error) {
				error.addSuppressed(rollbackError);
			}
			return Mono.empty();
		});
	}

	Mono<Transaction> begin(@Nullable Transaction parent, TransactionOptions options, Mono<Void> afterEnd) {
		return Mono.defer(() -> {
			Transaction open = (parent != null && !parent.isEnded()) ? parent : null;
			if (open == null) {
				Transaction transaction = new Transaction(this, null, null, options, afterEnd, false);
				return Mono.from(beginRaw(options))
					.onErrorMap((error) -> translate(error, "BEGIN"))
					.then(Mono.fromSupplier(() -> started(transaction)));
			}
			String savepoint = "databases_sp_" + SAVEPOINTS.incrementAndGet(this);
			Transaction transaction = new Transaction(this, open, savepoint, options, afterEnd, false);
			return this.openStream.after(() -> this.raw.createSavepoint(savepoint))
				.onErrorMap((error) -> translate(error, "SAVEPOINT " + savepoint))
				.then(Mono.fromSupplier(() -> started(transaction)));
		});
	}

	/**
	 * Whether BEGIN, COMMIT and ROLLBACK go to the server as statements. r2dbc-postgresql and
	 * r2dbc-mysql skip them when their cached transaction status says they are not needed;
	 * after a cancelled exchange that status can be stale, and a skipped BEGIN runs the
	 * transaction's work in auto-commit (seen as a half-applied transaction on both). Sent as
	 * statements, they always reach the server.
	 */
	private boolean sendsTransactionStatements() {
		return !this.runtime.backend().beginStatements(null, false).isEmpty();
	}

	private Publisher<Void> beginRaw(TransactionOptions options) {
		List<String> begin = this.runtime.backend().beginStatements(options.isolation(), options.isReadOnly());
		if (!begin.isEmpty()) {
			Mono<Void> sent = Mono.empty();
			for (String statement : begin) {
				sent = sent.then(run(statement));
			}
			return sent;
		}
		if (options.isolation() == null && !options.isReadOnly()) {
			return this.openStream.after(() -> this.raw.beginTransaction());
		}
		return this.openStream.after(() -> this.raw.beginTransaction(new Definition(options)));
	}

	private Mono<Void> run(String sql) {
		return tracked(Flux.from(this.raw.createStatement(sql).execute()), true).concatMap(Result::getRowsUpdated)
			.then();
	}

	private Transaction started(Transaction transaction) {
		this.current = transaction;
		return transaction;
	}

	void ended(Transaction transaction) {
		if (this.current == transaction) {
			this.current = transaction.parent();
		}
	}

	boolean inTransaction() {
		return this.current != null;
	}

	Mono<Void> commitNow(@Nullable String savepoint) {
		Mono<Void> end = (savepoint != null) ? this.openStream.after(() -> this.raw.releaseSavepoint(savepoint))
				: sendsTransactionStatements() ? run("COMMIT") : this.openStream.after(() -> this.raw.commitTransaction());
		return end
			.onErrorMap((error) -> translate(error, (savepoint != null) ? "RELEASE SAVEPOINT " + savepoint
					: "COMMIT"));
	}

	Mono<Void> rollbackNow(@Nullable String savepoint) {
		Mono<Void> end = (savepoint != null)
				? this.openStream.after(() -> this.raw.rollbackTransactionToSavepoint(savepoint))
				: sendsTransactionStatements() ? run("ROLLBACK") : this.openStream.after(() -> this.raw.rollbackTransaction());
		return end
			.onErrorMap((error) -> translate(error, (savepoint != null)
					? "ROLLBACK TO SAVEPOINT " + savepoint : "ROLLBACK"));
	}

	// Statements

	Mono<ExecuteResult> executeNow(Query query) {
		return Mono.defer(() -> {
			Query rendered = query.renderFor(this.runtime.url());
			String sql = rendered.sql();
			BoundSql bound = this.runtime.bind(rendered);
			Statement statement = statement(bound);
			Backend backend = this.runtime.backend();
			boolean insert = isInsert(sql);
			if (insert && !(backend.keyFromReturning() && containsReturning(sql))) {
				statement.returnGeneratedValues();
			}
			// [0] rows counted by the server, [1] whether it counted, [2] rows returned
			long[] counts = new long[3];
			Long[] key = new Long[1];
			return observed(sql, limited(sql, tracked(Flux.from(statement.execute()))
				.concatMap((result) -> result.flatMap((segment) -> {
					if (segment instanceof Result.UpdateCount count) {
						counts[0] += count.value();
						counts[1] = 1;
					}
					else if (segment instanceof Result.RowSegment row) {
						counts[2]++;
						if (key[0] == null) {
							key[0] = generatedKey(row.row(), backend);
						}
					}
					else if (segment instanceof Result.Message message && isError(message)) {
						// Result.flatMap hands errors over as segments instead of signalling them.
						return Mono.<Void>error(message.exception());
					}
					return Mono.<Void>empty();
				}))
				// r2dbc-h2 answers a statement with generated keys by the keys alone: one row per row inserted.
				.then(Mono.fromSupplier(() -> new ExecuteResult((counts[1] == 1) ? counts[0] : counts[2], key[0])))
				.onErrorMap((error) -> translate(error, sql))));
		});
	}

	Mono<List<Record>> fetchAllNow(Query query) {
		return rows(query, false).collectList();
	}

	Mono<Record> fetchOneNow(Query query) {
		Flux<Record> rows = rows(query, false);
		// r2dbc-mysql reads a cancelled answer to its end all the same (the protocol cannot stop
		// a result), and a connection released before that end was seen handing the next
		// statement the wrong rows (7 % of 530,000 fetches once its release no longer pinged,
		// see the MySQL backend). Reading the rest here costs nothing on the wire.
		return this.runtime.backend().readsCancelledResultToEnd() ? rows.reduce((first, rest) -> first) : rows.next();
	}

	Flux<Record> iterateNow(Query query) {
		return rows(query, true);
	}

	private Flux<Record> rows(Query query, boolean stream) {
		return Flux.deferContextual((context) -> {
			Query rendered = query.renderFor(this.runtime.url());
			Backend backend = this.runtime.backend();
			// Inside a block other statements may be sent while the stream is open.
			boolean shared = stream && !this.alone;
			// With force-rollback, outside a block: the stream's turn on the one connection.
			Gate.Grant turn = shared ? context.getOrDefault(Gate.Grant.class, null) : null;
			if (shared && turn == null && backend.streamBeside() == Backend.StreamBeside.CURSOR) {
				return observed(rendered.sql(), limited(rendered.sql(), cursor(rendered)));
			}
			Statement statement = statement(this.runtime.bind(rendered));
			if (stream && backend.fetchSizeHelps()) {
				statement.fetchSize(ITERATE_FETCH_SIZE);
			}
			boolean readAhead = shared && (turn != null || backend.streamBeside() == Backend.StreamBeside.READ_AHEAD);
			Flux<? extends Result> results = Flux.from(statement.execute());
			Flux<Record> rows = (readAhead ? trackedStream(results) : tracked(results))
				.concatMap((result) -> result.map(new RecordReader(this.runtime, rendered.sql())), 1);
			if (backend.readsCancelledResultToEnd()) {
				// Rows cut short (iterate then take) are still arriving: see the MySQL backend.
				rows = rows.doOnCancel(() -> this.cutShort = true);
			}
			if (readAhead) {
				// The turn ends when the driver is done: the rows read ahead need no connection.
				rows = this.openStream.open(rows, (turn != null) ? turn::end : null);
			}
			return observed(rendered.sql(),
					limited(rendered.sql(), rows.onErrorMap((error) -> translate(error, rendered.sql()))));
		});
	}

	/**
	 * The rows of a PostgreSQL query through a server-side cursor, {@link #ITERATE_FETCH_SIZE}
	 * rows per {@code FETCH}: each fetch is a whole exchange, so the statements sent while the
	 * stream is open go between two fetches instead of waiting behind a result that waits for
	 * them. In a transaction the cursor ends with it; outside one it is declared
	 * {@code WITH HOLD}, which has the server keep the result until {@code CLOSE}.
	 */
	private Flux<Record> cursor(Query rendered) {
		BoundSql bound = this.runtime.bind(rendered);
		String name = "databases_cursor_" + CURSORS.incrementAndGet(this);
		String declare = "DECLARE " + name + " NO SCROLL CURSOR " + (inTransaction() ? "" : "WITH HOLD ") + "FOR "
				+ bound.sql();
		RecordReader reader = new RecordReader(this.runtime, rendered.sql());
		String fetchSql = "FETCH FORWARD " + ITERATE_FETCH_SIZE + " FROM " + name;
		// Each fetch is read to its end as soon as it is sent, wanted yet or not (cache() asks for
		// everything at once): a fetch left waiting for demand would hold up the driver's queue,
		// and the statement a row's consumer sends next would wait behind it. One fetch is read
		// ahead while the consumer works through the last.
		Mono<List<Record>> fetch = Mono.defer(() -> tracked(Flux.from(this.raw.createStatement(fetchSql).execute()))
			.concatMap((result) -> result.map(reader))
			.collectList()
			.cache());
		Mono<Void> close = Mono.defer(() -> run("CLOSE " + name)).onErrorResume((error) -> Mono.empty());
		Flux<Record> rows = fetch.repeat()
			.takeUntil((batch) -> batch.size() < ITERATE_FETCH_SIZE)
			.concatMapIterable(Function.identity(), 1);
		return Flux
			.usingWhen(tracked(Flux.from(statement(new BoundSql(declare, bound.values())).execute())).concatMap(Result::getRowsUpdated)
				.then(Mono.just(name)), (cursor) -> rows, (cursor) -> close, (cursor, error) -> close,
					(cursor) -> close)
			.onErrorMap((error) -> translate(error, rendered.sql()));
	}

	Mono<Long> executeManyNow(Query query, List<? extends Map<String, ?>> rows) {
		if (rows.isEmpty()) {
			return Mono.just(0L);
		}
		Mono<Long> work = Mono.defer(() -> {
			Query rendered = query.renderFor(this.runtime.url());
			MultiRowInsert insert = this.runtime.multiRowInsert(rendered.sql());
			return observed(rendered.sql(), limited(rendered.sql(),
					(insert != null) ? executeMultiRow(rendered, insert, rows) : executeBatch(rendered, rows)));
		});
		if (inTransaction()) {
			return work;
		}
		// All or nothing: outside a transaction, the rows are written in one of their own.
		return transactionIn(new Scope(this, null, rootGate()), TransactionOptions.defaults(),
				(transaction) -> work);
	}

	private Mono<Long> executeMultiRow(Query query, MultiRowInsert insert, List<? extends Map<String, ?>> rows) {
		int perStatement = insert.rowsPerStatement(this.runtime.backend().maxParameters());
		int statements = (rows.size() + perStatement - 1) / perStatement;
		return Flux.range(0, statements).concatMap((index) -> {
			int from = index * perStatement;
			int to = Math.min(rows.size(), from + perStatement);
			String sql = insert.sql(to - from);
			Map<String, @Nullable Object> values = insert.values(rows, query.values(), from, to, query.sql());
			BoundSql bound = this.runtime.bind(Query.of(sql, values));
			return tracked(Flux.from(statement(bound).execute())).concatMap(Result::getRowsUpdated);
		}).reduce(0L, Long::sum).onErrorMap((error) -> translate(error, query.sql()));
	}

	private Mono<Long> executeBatch(Query query, List<? extends Map<String, ?>> rows) {
		List<BoundSql> bound = new ArrayList<>(rows.size());
		for (Map<String, ?> row : rows) {
			Map<String, Object> values = new HashMap<>(query.values());
			values.putAll(row);
			bound.add(this.runtime.bind(Query.of(query.sql(), values)));
		}
		String sql = bound.get(0).sql();
		boolean sameSql = bound.stream().allMatch((b) -> b.sql().equals(sql));
		Flux<? extends Result> results;
		if (sameSql) {
			Statement statement = this.raw.createStatement(sql);
			for (int i = 0; i < bound.size(); i++) {
				if (i > 0) {
					statement.add();
				}
				bind(statement, bound.get(i).values());
			}
			results = tracked(Flux.from(statement.execute()));
		}
		else {
			// Collections expanded to different lengths: each row has its own SQL.
			results = tracked(Flux.fromIterable(bound).concatMap((b) -> statement(b).execute()));
		}
		return results.concatMap(Result::getRowsUpdated)
			.reduce(0L, Long::sum)
			.onErrorMap((error) -> translate(error, query.sql()));
	}

	private Statement statement(BoundSql bound) {
		Statement statement = this.raw.createStatement(bound.sql());
		bind(statement, bound.values());
		return statement;
	}

	private void bind(Statement statement, List<@Nullable Object> values) {
		for (int i = 0; i < values.size(); i++) {
			Object value = values.get(i);
			if (value == null) {
				statement.bindNull(i, this.runtime.backend().nullType());
			}
			else if (value instanceof Enum<?> constant) {
				statement.bind(i, constant.name());
			}
			else {
				statement.bind(i, value);
			}
		}
	}

	private static @Nullable Long generatedKey(Row row, Backend backend) {
		Object value;
		try {
			value = row.get("id");
		}
		catch (RuntimeException ex) {
			value = null;
		}
		if (value == null) {
			value = row.get(0);
		}
		if (!(value instanceof Number number)) {
			return null;
		}
		long key = number.longValue();
		// MySQL reports 0 when the table has no auto-increment column.
		return backend.generatedKey(key);
	}

	/** Notices (SQLSTATE class 00) and warnings (01, 02) are messages too, but not errors. */
	private static boolean isError(Result.Message message) {
		String state = message.sqlState();
		return state == null || !(state.startsWith("00") || state.startsWith("01") || state.startsWith("02"));
	}

	private static boolean isInsert(String sql) {
		int i = 0;
		while (i < sql.length() && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == '(')) {
			i++;
		}
		return sql.regionMatches(true, i, "insert", 0, 6) || sql.regionMatches(true, i, "replace", 0, 7);
	}

	private static boolean containsReturning(String sql) {
		return sql.toLowerCase(java.util.Locale.ROOT).contains("returning");
	}

	@Override
	public String toString() {
		return "Connection[" + this.runtime.url() + "]";
	}

	/** Reads rows into {@link Record}s; the column names are read once per result. */
	private static final class RecordReader implements BiFunction<Row, RowMetadata, Record> {

		private final DatabaseRuntime runtime;

		private final String sql;

		private @Nullable Columns columns;

		RecordReader(DatabaseRuntime runtime, String sql) {
			this.runtime = runtime;
			this.sql = sql;
		}

		@Override
		public Record apply(Row row, RowMetadata metadata) {
			Columns columns = this.columns;
			if (columns == null) {
				columns = this.runtime.columns(this.sql, metadata);
				this.columns = columns;
			}
			Object[] values = new Object[columns.size()];
			for (int i = 0; i < values.length; i++) {
				try {
					values[i] = row.get(i);
				}
				catch (StackOverflowError ex) {
					// r2dbc-h2 1.1 recurses without end decoding a ROW value. Reactor treats a
					// StackOverflowError as fatal and throws it at the caller, leaving the
					// connection held; as an ordinary error the query fails and the connection
					// goes back to the pool.
					throw new DatabaseException("The driver cannot read column " + (i + 1) + " ("
							+ columns.name(i) + "): it overflowed the stack decoding its value", null, 0, null,
							null);
				}
			}
			return new Record(columns, values);
		}

	}

	private record Definition(TransactionOptions options) implements TransactionDefinition {

		@Override
		@SuppressWarnings("unchecked")
		public <T> @Nullable T getAttribute(Option<T> option) {
			if (option.equals(TransactionDefinition.ISOLATION_LEVEL)) {
				IsolationLevel isolation = this.options.isolation();
				return (T) isolation;
			}
			if (option.equals(TransactionDefinition.READ_ONLY)) {
				return (T) Boolean.valueOf(this.options.isReadOnly());
			}
			return null;
		}

	}

}

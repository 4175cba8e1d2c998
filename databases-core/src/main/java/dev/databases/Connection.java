package dev.databases;

import dev.databases.internal.reactor.Gate;
import dev.databases.internal.reactor.OpenStreamSlot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Function;

import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Option;
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

	private final DatabaseRuntime runtime;

	private final io.r2dbc.spi.Connection raw;

	private final ConnectionLease lease;

	private final StatementRunner statements;

	private final OpenStreamSlot openStream;

	/** Made on first use: most connections run single statements and never need it. */
	private volatile @Nullable Gate rootGate;

	private static final AtomicReferenceFieldUpdater<Connection, Gate> ROOT_GATE = AtomicReferenceFieldUpdater
		.newUpdater(Connection.class, Gate.class, "rootGate");

	private volatile int savepoints;

	private static final AtomicIntegerFieldUpdater<Connection> SAVEPOINTS = AtomicIntegerFieldUpdater
		.newUpdater(Connection.class, "savepoints");

	Connection(DatabaseRuntime runtime, io.r2dbc.spi.Connection raw) {
		this.runtime = runtime;
		this.raw = raw;
		this.lease = new ConnectionLease(runtime, raw);
		this.statements = new StatementRunner(runtime, raw, this.lease);
		this.openStream = this.lease.openStream();
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
	DatabaseRuntime runtime() {
		return this.runtime;
	}

	@Override
	<T> Mono<T> withConnection(Function<Connection, Mono<T>> operation) {
		return Mono.defer(() -> operation.apply(this));
	}

	@Override
	<T> Flux<T> withConnectionMany(Function<Connection, Flux<T>> operation) {
		return Flux.defer(() -> operation.apply(this));
	}

	@Override
	public <T> Mono<T> transaction(TransactionOptions options, Function<Transaction, Mono<T>> work) {
		return Mono.deferContextual((context) -> transactionIn(scopeIn(context), options, work));
	}

	@Override
	public <T> Flux<T> transactionMany(Function<Transaction, ? extends Publisher<T>> work) {
		return Flux.deferContextual(
				(context) -> transactionManyIn(scopeIn(context), TransactionOptions.defaults(), work));
	}

	@Override
	public Mono<Transaction> beginTransaction(TransactionOptions options) {
		return Mono.deferContextual((context) -> begin(scopeIn(context).transaction(), options, Mono.empty()));
	}

	// Scopes and transactions

	private Scope scopeIn(ContextView context) {
		Scope scope = context.getOrDefault(this.runtime.scopeKey(), null);
		if (scope != null && scope.connection() == this) {
			return scope;
		}
		return new Scope(this, this.lease.current(), rootGate());
	}

	// The lease, for the pool and the transactions

	/** The lease's bookkeeping: dirty after a cancel, cleanup in flight, how to close it. */
	ConnectionLease lease() {
		return this.lease;
	}

	/** Marks this connection as lent for one stream outside any block. */
	Connection alone() {
		this.lease.alone();
		return this;
	}

	boolean markReturned() {
		return this.lease.markReturned();
	}

	boolean isDirty() {
		return this.lease.isDirty();
	}

	boolean answeredInFull() {
		return this.lease.answeredInFull();
	}

	void share() {
		this.lease.share();
	}

	Mono<Void> abort() {
		return this.lease.abort();
	}

	void leased(long at, @Nullable Object context) {
		this.lease.leased(at, context);
	}

	long leasedAt() {
		return this.lease.leasedAt();
	}

	@Nullable Object leaseContext() {
		return this.lease.leaseContext();
	}

	Mono<Void> settle(Mono<Void> cleanup) {
		return this.lease.settle(cleanup);
	}

	Mono<Void> settled() {
		return this.lease.settled();
	}

	Mono<Void> settling() {
		return this.lease.settling();
	}

	void endedByDisconnect(Duration timeout) {
		this.lease.endedByDisconnect(timeout);
	}

	/** Whether ending {@code transaction} must close the connection rather than send ROLLBACK. */
	boolean mustAbort(Transaction transaction) {
		// H2 runs each statement on the caller's thread, so nothing can be queued behind a
		// ROLLBACK; and it does not promise a rollback when a connection closes.
		return !transaction.isNested() && !this.lease.isShared() && this.runtime.backend().queuesStatements();
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
				this.lease.markDirty();
				return Mono.empty();
			}));
		}
		return settle(transaction.abort());
	}

	/** A transaction begun and ended by someone else (Spring): ours inside it are savepoints. */
	Transaction external() {
		Transaction transaction = new Transaction(this, null, null, TransactionOptions.defaults(),
				Transaction.NOTHING_AFTER_END, true);
		this.lease.current(transaction);
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
		Transaction outer = scope.transaction();
		Mono<T> once = transactionOnce(scope, options, work);
		if (options.maxAttempts() == 1 || (outer != null && !outer.isEnded())) {
			// A savepoint is never retried alone: the conflict ended the outer transaction too.
			return once;
		}
		return TransactionRetry.retried(once, options.maxAttempts(), this.runtime.backend(), this.runtime.listener());
	}

	private <T> Mono<T> transactionOnce(Scope scope, TransactionOptions options, Function<Transaction, Mono<T>> work) {
		// Mono.usingWhen holds the work's value back until the commit has completed, so a
		// caller that reads it can rely on the data being committed.
		return scope.gate()
			.run(Mono.usingWhen(begin(scope.transaction(), options, Transaction.NOTHING_AFTER_END),
					(transaction) -> work.apply(transaction)
						.contextWrite((context) -> context.put(this.runtime.scopeKey(), Scope.of(this, transaction))),
					Transaction::commit, Connection::rollbackAfter, this::cancelled)
				.onErrorMap(Connection::unwrapCleanupFailure), this::settled);
	}

	<T> Flux<T> transactionManyIn(Scope scope, TransactionOptions options,
			Function<Transaction, ? extends Publisher<T>> work) {
		return scope.gate()
			.run(Flux.usingWhen(begin(scope.transaction(), options, Transaction.NOTHING_AFTER_END),
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
					.onErrorMap((error) -> this.lease.translate(error, "BEGIN"))
					.then(Mono.fromSupplier(() -> started(transaction)));
			}
			String savepoint = "databases_sp_" + SAVEPOINTS.incrementAndGet(this);
			Transaction transaction = new Transaction(this, open, savepoint, options, afterEnd, false);
			return this.openStream.after(() -> this.raw.createSavepoint(savepoint))
				.onErrorMap((error) -> this.lease.translate(error, "SAVEPOINT " + savepoint))
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
		return this.runtime.sendsTransactionStatements();
	}

	private Publisher<Void> beginRaw(TransactionOptions options) {
		List<String> begin = this.runtime.backend().beginStatements(options.isolation(), options.isReadOnly());
		if (!begin.isEmpty()) {
			Mono<Void> sent = Mono.empty();
			for (String statement : begin) {
				sent = sent.then(this.statements.run(statement));
			}
			return sent;
		}
		if (options.isolation() == null && !options.isReadOnly()) {
			return this.openStream.after(() -> this.raw.beginTransaction());
		}
		return this.openStream.after(() -> this.raw.beginTransaction(new Definition(options)));
	}

	private Transaction started(Transaction transaction) {
		this.lease.current(transaction);
		return transaction;
	}

	void ended(Transaction transaction) {
		if (this.lease.current() == transaction) {
			this.lease.current(transaction.parent());
		}
	}

	boolean inTransaction() {
		return this.lease.current() != null;
	}

	Mono<Void> commitNow(@Nullable String savepoint) {
		Mono<Void> end = (savepoint != null) ? this.openStream.after(() -> this.raw.releaseSavepoint(savepoint))
				: sendsTransactionStatements() ? this.statements.run("COMMIT") : this.openStream.after(() -> this.raw.commitTransaction());
		return end
			.onErrorMap((error) -> this.lease.translate(error, (savepoint != null) ? "RELEASE SAVEPOINT " + savepoint
					: "COMMIT"));
	}

	Mono<Void> rollbackNow(@Nullable String savepoint) {
		Mono<Void> end = (savepoint != null)
				? this.openStream.after(() -> this.raw.rollbackTransactionToSavepoint(savepoint))
				: sendsTransactionStatements() ? this.statements.run("ROLLBACK") : this.openStream.after(() -> this.raw.rollbackTransaction());
		return end
			.onErrorMap((error) -> this.lease.translate(error, (savepoint != null)
					? "ROLLBACK TO SAVEPOINT " + savepoint : "ROLLBACK"));
	}

	// Statements

	Mono<ExecuteResult> executeNow(Query query) {
		return this.statements.execute(query);
	}

	Mono<List<Record>> fetchAllNow(Query query) {
		return this.statements.fetchAll(query);
	}

	Mono<Record> fetchOneNow(Query query) {
		return this.statements.fetchOne(query);
	}

	Flux<Record> iterateNow(Query query) {
		return this.statements.iterate(query);
	}

	Mono<Long> executeManyNow(Query query, List<? extends Map<String, ?>> rows) {
		if (rows.isEmpty()) {
			return Mono.just(0L);
		}
		Mono<Long> work = this.statements.executeMany(query, rows);
		if (inTransaction()) {
			return work;
		}
		// All or nothing: outside a transaction, the rows are written in one of their own.
		return transactionIn(new Scope(this, null, rootGate()), TransactionOptions.defaults(),
				(transaction) -> work);
	}

	@Override
	public String toString() {
		return "Connection[" + this.runtime.url() + "]";
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

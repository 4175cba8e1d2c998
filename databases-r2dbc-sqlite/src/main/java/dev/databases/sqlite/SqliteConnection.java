package dev.databases.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Lifecycle;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteCommitListener;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.databases.sqlite.SqliteConnectionConfiguration.BeginMode;

/**
 * An R2DBC {@link Connection} to a SQLite database. It owns one thread; JDBC calls run one
 * at a time, in the order the publishers of this connection are subscribed. A read, and
 * giving the connection back to a pool, run on the subscriber's thread when the connection
 * is idle and no other connection's lock is in the way, and emit there; anything that may
 * wait for SQLite runs on the connection's thread and emits from it. Closing the
 * connection ends the thread.
 * <p>
 * Transactions are SQLite's: {@link #beginTransaction()} issues {@code BEGIN DEFERRED}
 * (or the configured {@code begin_mode}), so two connections may hold open transactions
 * at once and the first to write wins; the other waits up to {@code busy_timeout}.
 * {@link #rollbackTransactionToSavepoint(String)} keeps the savepoint, as SQLite does,
 * so releasing it afterwards is allowed.
 *
 * @author databases
 * @since 0.1.0
 */
public final class SqliteConnection implements Connection, Lifecycle {

	private final SqliteWorker worker;

	private final org.sqlite.SQLiteConnection jdbc;

	private final SqliteConnectionConfiguration configuration;

	private final String database;

	private final SqliteConnectionMetadata metadata;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicLong executions = new AtomicLong();

	// written by the connection's holder, read anywhere
	private volatile boolean autoCommit = true;

	private volatile boolean inTransaction;

	private volatile IsolationLevel isolationLevel = IsolationLevel.SERIALIZABLE;

	private volatile long busyTimeoutMillis;

	private volatile long statementTimeoutMillis;

	private volatile boolean timedOut;

	// between preRelease and postAllocate the connection belongs to its pool
	private volatile boolean released;

	// confined to the connection's holder: its thread, or a caller running a read inline
	private final Set<RowCursor> cursors = Collections.newSetFromMap(new IdentityHashMap<>());

	private final List<SqlAction> onTransactionEnd = new ArrayList<>();

	private @Nullable String savepointTransaction;

	private boolean rolledBack;

	SqliteConnection(SqliteWorker worker, org.sqlite.SQLiteConnection jdbc,
			SqliteConnectionConfiguration configuration, String database) throws SQLException {
		this.worker = worker;
		this.jdbc = jdbc;
		this.configuration = configuration;
		this.database = database;
		this.metadata = new SqliteConnectionMetadata(jdbc.libversion());
		this.busyTimeoutMillis = configuration.getBusyTimeout().toMillis();
		Duration statementTimeout = configuration.getStatementTimeout();
		this.statementTimeoutMillis = (statementTimeout != null) ? statementTimeout.toMillis() : 0;
		jdbc.addCommitListener(new SQLiteCommitListener() {

			@Override
			public void onCommit() {
			}

			@Override
			public void onRollback() {
				// SQLite also rolls back by itself (ON CONFLICT ROLLBACK, I/O errors)
				SqliteConnection.this.rolledBack = true;
			}

		});
	}

	// Connection

	@Override
	public Mono<Void> beginTransaction() {
		return beginTransaction(EmptyDefinition.INSTANCE);
	}

	@Override
	public Mono<Void> beginTransaction(TransactionDefinition definition) {
		requireNonNull(definition, "definition");
		IsolationLevel isolation = definition.getAttribute(TransactionDefinition.ISOLATION_LEVEL);
		Boolean readOnly = definition.getAttribute(TransactionDefinition.READ_ONLY);
		Duration lockWaitTimeout = definition.getAttribute(TransactionDefinition.LOCK_WAIT_TIMEOUT);
		Object mode = definition.getAttribute(SqliteConnectionFactoryProvider.BEGIN_MODE);
		BeginMode beginMode;
		try {
			if (isolation != null) {
				readUncommitted(isolation);
			}
			beginMode = (mode != null) ? BeginMode.parse(mode)
					: Boolean.TRUE.equals(readOnly) ? BeginMode.DEFERRED : this.configuration.getBeginMode();
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(ex);
		}
		return run("BEGIN", () -> {
			requireAllocated();
			if (this.inTransaction) {
				// already in a transaction, as after setAutoCommit(false) and a statement
				return;
			}
			List<SqlAction> restore = new ArrayList<>();
			try {
				if (isolation != null) {
					boolean uncommitted = readUncommitted(isolation);
					if (uncommitted != (this.isolationLevel == IsolationLevel.READ_UNCOMMITTED)) {
						IsolationLevel previous = this.isolationLevel;
						applyIsolation(isolation);
						restore.add(() -> applyIsolation(previous));
					}
				}
				if (Boolean.TRUE.equals(readOnly)) {
					exec("PRAGMA query_only = 1");
					restore.add(() -> exec("PRAGMA query_only = 0"));
				}
				if (lockWaitTimeout != null) {
					long previous = this.busyTimeoutMillis;
					applyBusyTimeout(lockWaitTimeout.toMillis());
					restore.add(() -> applyBusyTimeout(previous));
				}
				begin(beginMode);
				this.onTransactionEnd.addAll(restore);
			}
			catch (SQLException | RuntimeException ex) {
				runAll(restore);
				throw ex;
			}
		});
	}

	@Override
	public Mono<Void> commitTransaction() {
		return endOpenTransaction("COMMIT");
	}

	@Override
	public Mono<Void> rollbackTransaction() {
		return endOpenTransaction("ROLLBACK");
	}

	@Override
	public Mono<Void> createSavepoint(String name) {
		String sql = "SAVEPOINT " + quote(name);
		return run(sql, () -> {
			requireAllocated();
			if (!this.inTransaction) {
				// SQLite would start a transaction that RELEASE ends; R2DBC wants it to last
				begin(this.configuration.getBeginMode());
			}
			exec(sql);
		});
	}

	@Override
	public Mono<Void> releaseSavepoint(String name) {
		String sql = "RELEASE SAVEPOINT " + quote(name);
		return run(sql, () -> execInTransaction(sql));
	}

	@Override
	public Mono<Void> rollbackTransactionToSavepoint(String name) {
		String sql = "ROLLBACK TO SAVEPOINT " + quote(name);
		return run(sql, () -> execInTransaction(sql));
	}

	@Override
	public Batch createBatch() {
		return new SqliteBatch(this);
	}

	@Override
	public Statement createStatement(String sql) {
		requireNonNull(sql, "sql");
		return new SqliteStatement(this, SqlScript.parse(sql));
	}

	/**
	 * Return whether statements commit on their own. It is {@code false} inside a
	 * transaction, whether begun by {@link #beginTransaction()}, a savepoint or SQL.
	 * @return whether the connection is in auto-commit mode
	 */
	@Override
	public boolean isAutoCommit() {
		return this.autoCommit && !this.inTransaction;
	}

	@Override
	public ConnectionMetadata getMetadata() {
		return this.metadata;
	}

	/**
	 * Return the isolation level: {@link IsolationLevel#SERIALIZABLE}, SQLite's only one,
	 * unless {@link IsolationLevel#READ_UNCOMMITTED} was set (which only matters for
	 * shared-cache connections).
	 * @return the isolation level
	 */
	@Override
	public IsolationLevel getTransactionIsolationLevel() {
		return this.isolationLevel;
	}

	@Override
	public Mono<Void> setAutoCommit(boolean autoCommit) {
		return run("COMMIT", () -> {
			boolean current = isAutoCommit();
			this.autoCommit = autoCommit;
			if (autoCommit && !current && this.inTransaction) {
				execEndingTransaction("COMMIT");
			}
		});
	}

	@Override
	public Mono<Void> setLockWaitTimeout(Duration timeout) {
		requireNonNull(timeout, "timeout");
		return run("PRAGMA busy_timeout", () -> applyBusyTimeout(timeout.toMillis()));
	}

	/**
	 * Set the statement timeout. A statement still running after it is interrupted and
	 * fails with {@link io.r2dbc.spi.R2dbcTimeoutException}; for a query the timeout
	 * applies to each turn of reading rows.
	 * @param timeout the timeout, {@link Duration#ZERO} for none
	 * @return completes when set
	 */
	@Override
	public Mono<Void> setStatementTimeout(Duration timeout) {
		requireNonNull(timeout, "timeout");
		if (timeout.isNegative()) {
			return Mono.error(new IllegalArgumentException("'timeout' must not be negative"));
		}
		return Mono.fromRunnable(() -> this.statementTimeoutMillis = timeout.toMillis());
	}

	/**
	 * Set the isolation level for this and later transactions. SQLite is always
	 * serializable; {@link IsolationLevel#READ_COMMITTED} and
	 * {@link IsolationLevel#REPEATABLE_READ} are granted as the stronger
	 * {@link IsolationLevel#SERIALIZABLE}, and {@link IsolationLevel#READ_UNCOMMITTED}
	 * sets {@code PRAGMA read_uncommitted}.
	 * @param isolationLevel the isolation level
	 * @return completes when set
	 */
	@Override
	public Mono<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
		requireNonNull(isolationLevel, "isolationLevel");
		try {
			readUncommitted(isolationLevel);
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(ex);
		}
		return run("PRAGMA read_uncommitted", () -> applyIsolation(isolationLevel));
	}

	@Override
	public Mono<Boolean> validate(ValidationDepth depth) {
		requireNonNull(depth, "depth");
		return Mono.defer(() -> {
			if (this.closed.get() || this.worker.isShutdown()) {
				return Mono.just(false);
			}
			if (depth == ValidationDepth.LOCAL) {
				return Mono.just(true);
			}
			return this.worker.submit(() -> {
				try (PreparedStatement statement = this.jdbc.prepareStatement("SELECT 1");
						ResultSet resultSet = statement.executeQuery()) {
					return resultSet.next();
				}
			}).onErrorReturn(false).defaultIfEmpty(false);
		});
	}

	/**
	 * Close the connection: open results are closed, an open transaction is rolled back,
	 * and the connection's thread ends. Closing twice is allowed.
	 * @return completes when the database connection is closed
	 */
	@Override
	public Mono<Void> close() {
		return Mono.defer(() -> {
			if (!this.closed.compareAndSet(false, true)) {
				return Mono.empty();
			}
			return this.worker.<Void>submit(() -> {
				try {
					closeCursors();
					this.jdbc.close();
				}
				finally {
					this.worker.shutdown();
				}
				return null;
			}).onErrorMap((ex) -> translate(ex, null));
		});
	}

	/**
	 * Close at once; runs on the connection thread.
	 */
	void closeNow() {
		this.closed.set(true);
		try {
			closeCursors();
			this.jdbc.close();
		}
		catch (SQLException ex) {
			// nobody is left to tell
		}
		finally {
			this.worker.shutdown();
		}
	}

	// Lifecycle

	/**
	 * Take the connection back into use when a pool hands it out after
	 * {@link #preRelease()}.
	 * @return completes at once
	 */
	@Override
	public Mono<Void> postAllocate() {
		return Mono.fromRunnable(() -> this.released = false);
	}

	/**
	 * Make the connection as new before a pool takes it back: close results left open,
	 * roll back a transaction left open and restore auto-commit mode. Until
	 * {@link #postAllocate()} the connection then refuses to begin a transaction or run a
	 * statement.
	 * @return completes when the connection is clean
	 */
	@Override
	public Mono<Void> preRelease() {
		// r2dbc-pool calls this on every release: on the caller's thread when the connection
		// is idle, as a ROLLBACK does not wait for other connections' locks; should it meet
		// one all the same, the connection thread runs it again (each step is idempotent)
		return runInline("ROLLBACK", () -> {
			// A holder the pool took the connection from (r2dbc-pool releases on a cancel that
			// races the hand-over) would otherwise go on in auto-commit, committing half a unit.
			this.released = true;
			closeCursors();
			this.autoCommit = true;
			if (this.inTransaction) {
				execEndingTransaction("ROLLBACK");
			}
		});
	}

	// internals for statements and results

	SqliteWorker worker() {
		return this.worker;
	}

	/**
	 * Run the statement's script: a read on the caller's thread if the connection is idle,
	 * anything else on this connection's thread.
	 */
	Flux<SqliteResult> execute(SqlScript script, List<Object[]> bindings, String @Nullable [] generatedColumns,
			int fetchSize) {
		return resolve(bindings).flatMapMany((resolved) -> Flux.using(
				() -> new Execution(this, script, resolved, generatedColumns, fetchSize),
				(execution) -> chunk(execution).repeat(execution::hasMore).concatMapIterable((results) -> results),
				(execution) -> this.worker.executeInline(execution::close), true))
			// results dropped by a cancellation hold open statements
			.doOnDiscard(Execution.Chunk.class, Execution.Chunk::release)
			.doOnDiscard(SqliteResult.class, SqliteResult::release);
	}

	private Mono<Execution.Chunk> chunk(Execution execution) {
		if (!execution.readOnly()) {
			// a write that meets a lock may have changed rows already: it runs where it may wait
			return this.worker.submit(() -> timed(() -> execution.runChunk(false)));
		}
		return this.worker.submitInline(() -> withoutBusyWait(() -> timed(() -> execution.runChunk(true))),
				() -> timed(() -> execution.runChunk(false)));
	}

	/**
	 * Run a task with SQLite's busy handler off, so that a lock held by another connection
	 * fails at once with {@code SQLITE_BUSY} instead of holding a caller's thread for up to
	 * {@code busy_timeout}. Turning it off and on costs two JNI calls.
	 */
	<T> T withoutBusyWait(Callable<T> task) throws Exception {
		if (this.busyTimeoutMillis <= 0) {
			return task.call();
		}
		this.jdbc.setBusyTimeout(0);
		try {
			return task.call();
		}
		finally {
			// read again: the task may have restored a transaction's lock wait timeout
			this.jdbc.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, this.busyTimeoutMillis));
		}
	}

	private static Mono<List<Object[]>> resolve(List<Object[]> bindings) {
		boolean lobs = false;
		for (Object[] values : bindings) {
			for (Object value : values) {
				lobs |= Codecs.needsResolving(value);
			}
		}
		if (!lobs) {
			return Mono.just(bindings);
		}
		return Flux.fromIterable(bindings)
			.concatMap((values) -> Flux.fromArray(values).concatMap(Codecs::resolve).collectList())
			.map(List::toArray)
			.collectList();
	}

	/**
	 * Run a task under the statement timeout: a timer interrupts SQLite if the task is
	 * still running when it fires.
	 */
	<T> T timed(Callable<T> task) throws Exception {
		long timeout = this.statementTimeoutMillis;
		if (timeout <= 0) {
			return task.call();
		}
		long execution = this.executions.incrementAndGet();
		this.timedOut = false;
		Disposable timer = Schedulers.parallel().schedule(() -> {
			synchronized (this.executions) {
				if (this.executions.get() == execution) {
					this.timedOut = true;
					try {
						this.jdbc.getDatabase().interrupt();
					}
					catch (SQLException ex) {
						// the connection is closing; nothing to interrupt
					}
				}
			}
		}, timeout, TimeUnit.MILLISECONDS);
		try {
			return task.call();
		}
		finally {
			synchronized (this.executions) {
				this.executions.incrementAndGet();
			}
			timer.dispose();
		}
	}

	/**
	 * Begin a transaction first if auto-commit is off; runs on the connection thread.
	 */
	void beforeStatement(SqlScript.Part part) throws SQLException {
		requireAllocated();
		if (!this.autoCommit && !this.inTransaction && !part.verb().controlsTransaction()) {
			begin(this.configuration.getBeginMode());
		}
	}

	/**
	 * Track transactions that SQL begins or ends; runs on the connection thread.
	 */
	void afterStatement(SqlScript.Part part, boolean success) throws SQLException {
		if (success) {
			switch (part.verb()) {
				case BEGIN -> this.inTransaction = true;
				case COMMIT, END -> endTransaction();
				case ROLLBACK -> {
					if (!part.rollbackTo()) {
						endTransaction();
					}
				}
				case SAVEPOINT -> {
					if (!this.inTransaction) {
						this.inTransaction = true;
						this.savepointTransaction = part.savepoint();
					}
				}
				case RELEASE -> {
					String outermost = this.savepointTransaction;
					if (outermost != null && outermost.equalsIgnoreCase(part.savepoint())) {
						endTransaction();
					}
				}
				default -> {
				}
			}
		}
		checkRolledBack();
	}

	PreparedStatement prepare(String sql) throws SQLException {
		return this.jdbc.prepareStatement(sql);
	}

	long changes() throws SQLException {
		return this.jdbc.getDatabase().changes();
	}

	RowCursor openCursor(PreparedStatement statement, String sql, int fetchSize) throws SQLException {
		ResultSet resultSet = statement.getResultSet();
		RowCursor cursor = new RowCursor(this, statement, resultSet, SqliteRowMetadata.of(resultSet.getMetaData()),
				sql, (fetchSize > 0) ? fetchSize : 256);
		this.cursors.add(cursor);
		return cursor;
	}

	void cursorClosed(RowCursor cursor) {
		this.cursors.remove(cursor);
	}

	RuntimeException translate(Throwable ex, @Nullable String sql) {
		Throwable translated = SqliteExceptions.translate(ex, sql, context(), this.timedOut);
		return (translated instanceof RuntimeException runtime) ? runtime : SqliteExceptions.unwrapped(translated);
	}

	Throwable closedException() {
		return SqliteExceptions.closed(this.database);
	}

	private SqliteExceptions.Context context() {
		return new SqliteExceptions.Context(this.database, this.busyTimeoutMillis, this.statementTimeoutMillis);
	}

	private Mono<Void> run(String sql, SqlAction action) {
		return this.worker.<Void>submit(() -> {
			action.run();
			return null;
		}).onErrorMap((ex) -> translate(ex, sql));
	}

	/**
	 * Run an action on the caller's thread if the connection is idle and no lock is in
	 * the way, else on the connection thread; the action must be safe to run again after
	 * it failed with {@code SQLITE_BUSY}, and issue SQL only inside a transaction.
	 */
	private Mono<Void> runInline(String sql, SqlAction action) {
		Callable<Void> inline = () -> {
			try {
				action.run();
			}
			catch (SQLException ex) {
				if (SqliteExceptions.isBusy(ex)) {
					throw new SqliteWorker.Declined(ex);
				}
				throw ex;
			}
			return null;
		};
		// outside a transaction the action issues no SQL: spare the two JNI calls
		return this.worker.<Void>submitInline(() -> this.inTransaction ? withoutBusyWait(inline) : inline.call(), () -> {
			action.run();
			return null;
		}).onErrorMap((ex) -> translate(ex, sql));
	}

	private void requireAllocated() {
		if (this.released) {
			throw SqliteExceptions.released(this.database);
		}
	}

	private void begin(BeginMode mode) throws SQLException {
		exec("BEGIN " + mode.name());
		this.inTransaction = true;
	}

	private void exec(String sql) throws SQLException {
		try (PreparedStatement statement = this.jdbc.prepareStatement(sql)) {
			statement.execute();
		}
	}

	/** {@code COMMIT} or {@code ROLLBACK} the open transaction, if there is one. */
	private Mono<Void> endOpenTransaction(String sql) {
		return run(sql, () -> {
			if (this.inTransaction) {
				execEndingTransaction(sql);
			}
		});
	}

	/** Run {@code COMMIT} or {@code ROLLBACK}, which ends the transaction; runs on the connection thread. */
	private void execEndingTransaction(String sql) throws SQLException {
		try {
			exec(sql);
			endTransaction();
		}
		finally {
			// whatever happened, the transaction may be gone: SQLite rolls back on some errors
			checkRolledBack();
		}
	}

	/**
	 * Run a statement inside the transaction (a savepoint's), noting afterwards whether SQLite
	 * rolled the transaction back by itself; runs on the connection thread.
	 */
	private void execInTransaction(String sql) throws SQLException {
		try {
			exec(sql);
		}
		finally {
			checkRolledBack();
		}
	}

	private void endTransaction() throws SQLException {
		this.inTransaction = false;
		this.savepointTransaction = null;
		List<SqlAction> restore = new ArrayList<>(this.onTransactionEnd);
		this.onTransactionEnd.clear();
		runAll(restore);
	}

	private void checkRolledBack() throws SQLException {
		if (this.rolledBack) {
			this.rolledBack = false;
			if (this.inTransaction) {
				endTransaction();
			}
		}
	}

	private static void runAll(List<SqlAction> actions) throws SQLException {
		SQLException failure = null;
		for (SqlAction action : actions) {
			try {
				action.run();
			}
			catch (SQLException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private void closeCursors() {
		for (RowCursor cursor : new ArrayList<>(this.cursors)) {
			cursor.close();
		}
	}

	private void applyBusyTimeout(long millis) throws SQLException {
		this.jdbc.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, millis));
		this.busyTimeoutMillis = millis;
	}

	private void applyIsolation(IsolationLevel isolationLevel) throws SQLException {
		boolean uncommitted = readUncommitted(isolationLevel);
		exec("PRAGMA read_uncommitted = " + (uncommitted ? 1 : 0));
		this.isolationLevel = uncommitted ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.SERIALIZABLE;
	}

	private static boolean readUncommitted(IsolationLevel isolationLevel) {
		if (isolationLevel == IsolationLevel.READ_UNCOMMITTED) {
			return true;
		}
		if (isolationLevel == IsolationLevel.SERIALIZABLE || isolationLevel == IsolationLevel.REPEATABLE_READ
				|| isolationLevel == IsolationLevel.READ_COMMITTED) {
			return false;
		}
		throw new IllegalArgumentException("SQLite does not support the isolation level " + isolationLevel.asSql()
				+ "; use READ UNCOMMITTED, READ COMMITTED, REPEATABLE READ or SERIALIZABLE");
	}

	private static String quote(@Nullable String name) {
		requireNonNull(name, "name");
		return '"' + name.replace("\"", "\"\"") + '"';
	}

	private static void requireNonNull(@Nullable Object value, String name) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' must not be null");
		}
	}

	@Override
	public String toString() {
		return "SqliteConnection{database=" + this.database + ", closed=" + this.closed.get() + "}";
	}

	/**
	 * A JDBC action on the connection thread.
	 */
	@FunctionalInterface
	interface SqlAction {

		void run() throws SQLException;

	}

	private enum EmptyDefinition implements TransactionDefinition {

		INSTANCE;

		@Override
		public <T> @Nullable T getAttribute(Option<T> option) {
			return null;
		}

	}

	/**
	 * The product and the SQLite library's version.
	 */
	private static final class SqliteConnectionMetadata implements ConnectionMetadata {

		private final String version;

		SqliteConnectionMetadata(String version) {
			this.version = version;
		}

		@Override
		public String getDatabaseProductName() {
			return "SQLite";
		}

		@Override
		public String getDatabaseVersion() {
			return this.version;
		}

	}

}

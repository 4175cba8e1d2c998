package dev.databases.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.databases.sqlite.SqliteConnectionConfiguration.BeginMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SqliteConnection}: transactions, savepoints, isolation, timeouts and
 * the connection's life.
 *
 * @author databases
 */
class SqliteConnectionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private Path file;

	private SqliteConnectionFactory factory;

	private SqliteConnection connection;

	private SqliteConnection other;

	@BeforeEach
	void open() {
		this.file = this.directory.resolve("connection.db");
		this.factory = factory(SqliteConnectionConfiguration.builder().busyTimeout(Duration.ofMillis(300)));
		this.connection = this.factory.create().block(TIMEOUT);
		this.other = this.factory.create().block(TIMEOUT);
		run(this.connection, "CREATE TABLE t (v INTEGER UNIQUE)");
	}

	@AfterEach
	void close() {
		this.connection.close().block(TIMEOUT);
		this.other.close().block(TIMEOUT);
	}

	@Test
	void commitTransactionShouldMakeTheChangesVisible() {
		assertThat(this.connection.isAutoCommit()).isTrue();
		this.connection.beginTransaction().block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isFalse();
		run(this.connection, "INSERT INTO t VALUES (1)");
		assertThat(count(this.other)).isZero();
		this.connection.commitTransaction().block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isTrue();
		assertThat(count(this.other)).isEqualTo(1);
	}

	@Test
	void rollbackTransactionShouldDiscardTheChanges() {
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		this.connection.rollbackTransaction().block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isTrue();
		assertThat(count(this.connection)).isZero();
	}

	@Test
	void commitTransactionWhenNoneIsOpenShouldDoNothing() {
		StepVerifier.create(this.connection.commitTransaction()).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.connection.rollbackTransaction()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void beginTransactionWhenDeferredShouldLetTwoConnectionsHoldTransactions() {
		this.connection.beginTransaction().block(TIMEOUT);
		this.other.beginTransaction().block(TIMEOUT);
		assertThat(count(this.connection)).isZero();
		assertThat(count(this.other)).isZero();
		run(this.connection, "INSERT INTO t VALUES (1)");
		assertThat(this.connection.isAutoCommit()).isFalse();
		assertThat(this.other.isAutoCommit()).isFalse();
		this.connection.commitTransaction().block(TIMEOUT);
		this.other.commitTransaction().block(TIMEOUT);
		assertThat(count(this.other)).isEqualTo(1);
	}

	@Test
	void beginTransactionWhenImmediateShouldWaitForTheOtherWriterThenFail() {
		SqliteConnectionFactory immediate = factory(SqliteConnectionConfiguration.builder()
			.beginMode(BeginMode.IMMEDIATE)
			.busyTimeout(Duration.ofMillis(200)));
		Mono<Void> second = Mono.usingWhen(immediate.create(),
				(first) -> Mono.from(first.beginTransaction())
					.then(Mono.usingWhen(immediate.create(), SqliteConnection::beginTransaction, Connection::close)),
				Connection::close);
		StepVerifier.create(second)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcTransientResourceException.class)
				.hasMessageContaining(this.file.toString()))
			.verify(TIMEOUT);
	}

	@Test
	void beginTransactionWithDefinitionShouldApplyTheBeginMode() {
		TransactionDefinition immediate = definition(SqliteConnectionFactoryProvider.BEGIN_MODE, "immediate");
		this.connection.beginTransaction(immediate).block(TIMEOUT);
		// an immediate transaction holds the write lock before it writes
		StepVerifier.create(this.other.beginTransaction(immediate))
			.expectError(R2dbcTransientResourceException.class)
			.verify(TIMEOUT);
		this.connection.rollbackTransaction().block(TIMEOUT);
	}

	@Test
	void beginTransactionWhenReadOnlyShouldRefuseWritesUntilItEnds() {
		this.connection.beginTransaction(definition(TransactionDefinition.READ_ONLY, true)).block(TIMEOUT);
		StepVerifier.create(Flux.from(this.connection.createStatement("INSERT INTO t VALUES (1)").execute())
			.concatMap(Result::getRowsUpdated)).expectError(R2dbcPermissionDeniedException.class).verify(TIMEOUT);
		this.connection.commitTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		assertThat(count(this.connection)).isEqualTo(1);
	}

	@Test
	void beginTransactionWithLockWaitTimeoutShouldRestoreTheBusyTimeoutAfterwards() {
		this.connection.beginTransaction(definition(TransactionDefinition.LOCK_WAIT_TIMEOUT, Duration.ofMillis(120)))
			.block(TIMEOUT);
		assertThat(pragma(this.connection, "busy_timeout")).isEqualTo(120);
		this.connection.commitTransaction().block(TIMEOUT);
		assertThat(pragma(this.connection, "busy_timeout")).isEqualTo(300);
	}

	@Test
	void beginTransactionWithIsolationShouldRestoreItAfterwards() {
		this.connection.beginTransaction(definition(TransactionDefinition.ISOLATION_LEVEL,
				IsolationLevel.READ_UNCOMMITTED)).block(TIMEOUT);
		assertThat(this.connection.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.READ_UNCOMMITTED);
		assertThat(pragma(this.connection, "read_uncommitted")).isEqualTo(1);
		this.connection.rollbackTransaction().block(TIMEOUT);
		assertThat(this.connection.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
		assertThat(pragma(this.connection, "read_uncommitted")).isZero();
	}

	@Test
	void setTransactionIsolationLevelShouldMapToWhatSqliteSupports() {
		assertThat(this.connection.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
		this.connection.setTransactionIsolationLevel(IsolationLevel.READ_UNCOMMITTED).block(TIMEOUT);
		assertThat(this.connection.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.READ_UNCOMMITTED);
		assertThat(pragma(this.connection, "read_uncommitted")).isEqualTo(1);
		this.connection.setTransactionIsolationLevel(IsolationLevel.READ_COMMITTED).block(TIMEOUT);
		assertThat(this.connection.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
		StepVerifier.create(this.connection.setTransactionIsolationLevel(IsolationLevel.valueOf("SNAPSHOT")))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);
	}

	@Test
	void savepointsShouldRollBackPartOfATransaction() {
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		this.connection.createSavepoint("first").block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (2)");
		this.connection.createSavepoint("second \"quoted\"").block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (3)");
		this.connection.rollbackTransactionToSavepoint("first").block(TIMEOUT);
		// rolling back keeps the savepoint, so releasing it is allowed
		this.connection.releaseSavepoint("first").block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isFalse();
		this.connection.commitTransaction().block(TIMEOUT);
		assertThat(count(this.other)).isEqualTo(1);
	}

	@Test
	void createSavepointOutsideATransactionShouldBeginOneThatReleaseDoesNotEnd() {
		this.connection.createSavepoint("s").block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isFalse();
		run(this.connection, "INSERT INTO t VALUES (1)");
		this.connection.releaseSavepoint("s").block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isFalse();
		assertThat(count(this.other)).isZero();
		this.connection.commitTransaction().block(TIMEOUT);
		assertThat(count(this.other)).isEqualTo(1);
	}

	@Test
	void setAutoCommitFalseShouldBeginATransactionWithTheNextStatement() {
		this.connection.setAutoCommit(false).block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isFalse();
		run(this.connection, "INSERT INTO t VALUES (1)");
		assertThat(count(this.other)).isZero();
		this.connection.commitTransaction().block(TIMEOUT);
		assertThat(count(this.other)).isEqualTo(1);
		run(this.connection, "INSERT INTO t VALUES (2)");
		assertThat(count(this.other)).isEqualTo(1);
		// switching auto-commit back on commits the open transaction
		this.connection.setAutoCommit(true).block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isTrue();
		assertThat(count(this.other)).isEqualTo(2);
	}

	@Test
	void executeWhenSqlControlsTheTransactionShouldTrackIt() {
		run(this.connection, "BEGIN IMMEDIATE");
		assertThat(this.connection.isAutoCommit()).isFalse();
		run(this.connection, "INSERT INTO t VALUES (1); COMMIT");
		assertThat(this.connection.isAutoCommit()).isTrue();
		run(this.connection, "SAVEPOINT a; SAVEPOINT b");
		assertThat(this.connection.isAutoCommit()).isFalse();
		run(this.connection, "RELEASE b");
		assertThat(this.connection.isAutoCommit()).isFalse();
		run(this.connection, "RELEASE SAVEPOINT a");
		assertThat(this.connection.isAutoCommit()).isTrue();
	}

	@Test
	void executeWhenSqliteRollsBackByItselfShouldLeaveTheTransaction() {
		run(this.connection, "CREATE TABLE r (v INTEGER UNIQUE ON CONFLICT ROLLBACK)");
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO r VALUES (1)");
		StepVerifier.create(Flux.from(this.connection.createStatement("INSERT INTO r VALUES (1)").execute()))
			.expectError()
			.verify(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isTrue();
		assertThat(count(this.connection, "r")).isZero();
	}

	@Test
	void executeWhenAStatementFailsInATransactionShouldKeepTheTransaction() {
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		StepVerifier.create(Flux.from(this.connection.createStatement("INSERT INTO t VALUES (1)").execute()))
			.expectError()
			.verify(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isFalse();
		this.connection.commitTransaction().block(TIMEOUT);
		assertThat(count(this.other)).isEqualTo(1);
	}

	@Test
	void executeWhenAnotherConnectionWritesShouldFailAfterTheBusyTimeoutNamingTheFile() {
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		long start = System.nanoTime();
		StepVerifier.create(Flux.from(this.other.createStatement("INSERT INTO t VALUES (2)").execute()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcTransientResourceException.class)
				.hasMessageContaining(this.file.toString())
				.hasMessageContaining("busy_timeout of 300 ms"))
			.verify(TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
		this.connection.rollbackTransaction().block(TIMEOUT);
	}

	@Test
	void executeWhileLockedShouldNotBlockTheCaller() {
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		this.other.setLockWaitTimeout(Duration.ofSeconds(5)).block(TIMEOUT);
		AtomicBoolean done = new AtomicBoolean();
		Mono<Long> waiting = Flux.from(this.other.createStatement("INSERT INTO t VALUES (2)").execute())
			.concatMap(Result::getRowsUpdated)
			.single()
			.doOnTerminate(() -> done.set(true))
			.cache();
		waiting.subscribe();
		// subscribe() returned while the insert still waits for the lock
		assertThat(done).isFalse();
		this.connection.commitTransaction().block(TIMEOUT);
		assertThat(waiting.block(TIMEOUT)).isEqualTo(1);
		assertThat(count(this.connection)).isEqualTo(2);
	}

	@Test
	void blockOnTheConnectionThreadShouldFailInsteadOfDeadlocking() {
		// a PRAGMA may write, so it runs and emits on the connection's thread
		StepVerifier.create(Flux.from(this.connection.createStatement("PRAGMA user_version").execute())
			.concatMap((result) -> result.map((row) -> count(this.connection))))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("sqlite-"))
			.verify(TIMEOUT);
	}

	@Test
	void executeShouldReadOnTheCallersThreadWhenItMayBlock() {
		String caller = Thread.currentThread().getName();
		assertThat(readOnThread(this.connection).block(TIMEOUT)).isEqualTo(caller);
	}

	@Test
	void executeShouldNeverReadOnAnEventLoopOrParallelThread() {
		// such a thread serves many callers: a long read there would hold all of them
		assertThat(Mono.defer(() -> readOnThread(this.connection)).subscribeOn(Schedulers.parallel()).block(TIMEOUT))
			.matches("sqlite-\\d+");
	}

	private static Mono<String> readOnThread(Connection connection) {
		return Flux.from(connection.createStatement("SELECT count(*) FROM t").execute())
			.concatMap((result) -> result.map((row) -> Thread.currentThread().getName()))
			.single();
	}

	@Test
	void executeWhenAReadMeetsALockShouldWaitOnTheConnectionThreadNotTheCallers() {
		// an in-memory database: a writer's lock keeps readers out, as a file's does only while
		// it commits
		SqliteConnectionFactory memory = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().busyTimeout(Duration.ofSeconds(5)).build());
		Connection writer = memory.create().block(TIMEOUT);
		Connection reader = memory.create().block(TIMEOUT);
		try {
			run(writer, "CREATE TABLE m (v INTEGER)");
			Mono.from(writer.beginTransaction()).block(TIMEOUT);
			run(writer, "INSERT INTO m VALUES (1)");
			AtomicBoolean done = new AtomicBoolean();
			Mono<String> waiting = Flux.from(reader.createStatement("SELECT count(*) FROM m").execute())
				.concatMap((result) -> result.map((row) -> row.get(0) + " on " + Thread.currentThread().getName()))
				.single()
				.doOnTerminate(() -> done.set(true))
				.cache();
			waiting.subscribe();
			// subscribe() returned while the read waits for the lock: it did not wait here
			assertThat(done).isFalse();
			Mono.from(writer.commitTransaction()).block(TIMEOUT);
			assertThat(waiting.block(TIMEOUT)).matches("1 on sqlite-\\d+");
		}
		finally {
			Mono.from(writer.close()).block(TIMEOUT);
			Mono.from(reader.close()).block(TIMEOUT);
		}
	}

	@Test
	void executeWhenAWriteIsQueuedShouldRunAReadAfterIt() {
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		this.other.setLockWaitTimeout(Duration.ofSeconds(5)).block(TIMEOUT);
		Mono<Long> insert = Flux.from(this.other.createStatement("INSERT INTO t VALUES (2)").execute())
			.concatMap(Result::getRowsUpdated)
			.single()
			.cache();
		insert.subscribe();
		// the connection is busy with the waiting insert: the read must not overtake it
		Mono<Long> read = Mono.from(this.other.createStatement("SELECT count(*) FROM t").execute())
			.flatMap((result) -> Mono.from(result.map((row) -> row.get(0, Long.class))))
			.cache();
		read.subscribe();
		this.connection.commitTransaction().block(TIMEOUT);
		assertThat(insert.block(TIMEOUT)).isEqualTo(1);
		assertThat(read.block(TIMEOUT)).isEqualTo(2);
	}

	@Test
	void preReleaseShouldRollBackOnTheCallersThreadWhenIdle() {
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		String caller = Thread.currentThread().getName();
		AtomicReference<String> thread = new AtomicReference<>();
		StepVerifier.create(this.connection.preRelease().doOnSuccess((ignored) -> thread.set(Thread.currentThread().getName())))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(thread).hasValue(caller);
		assertThat(this.connection.isAutoCommit()).isTrue();
		this.connection.postAllocate().block(TIMEOUT);
		assertThat(count(this.connection)).isZero();
	}

	@Test
	void setStatementTimeoutShouldInterruptALongStatement() {
		this.connection.setStatementTimeout(Duration.ofMillis(200)).block(TIMEOUT);
		StepVerifier
			.create(Flux.from(this.connection
				.createStatement("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
				.execute()).concatMap((result) -> result.map((row) -> row.get(0))))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcTimeoutException.class)
				.hasMessageContaining("200 ms"))
			.verify(TIMEOUT);
		this.connection.setStatementTimeout(Duration.ZERO).block(TIMEOUT);
		assertThat(count(this.connection)).isZero();
	}

	@Test
	void preReleaseShouldRollBackAndRestoreAutoCommit() {
		this.connection.setAutoCommit(false).block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		Flux.from(this.connection.createStatement("SELECT v FROM t").execute()).blockLast(TIMEOUT);
		this.connection.preRelease().block(TIMEOUT);
		assertThat(this.connection.isAutoCommit()).isTrue();
		assertThat(count(this.other)).isZero();
		this.connection.postAllocate().block(TIMEOUT);
		// the abandoned cursor was closed: nothing keeps the table busy
		run(this.connection, "DROP TABLE t");
	}

	// r2dbc-pool can take a connection back while its holder still works on it (a cancel
	// racing the hand-over): that holder must not go on in auto-commit after the rollback
	@Test
	void statementAfterPreReleaseShouldFailUntilPostAllocate() {
		this.connection.beginTransaction().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (1)");
		this.connection.preRelease().block(TIMEOUT);
		StepVerifier.create(Flux.from(this.connection.createStatement("INSERT INTO t VALUES (2)").execute())
			.concatMap(Result::getRowsUpdated))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcNonTransientResourceException.class)
				.hasMessageContaining("released"))
			.verify(TIMEOUT);
		StepVerifier.create(this.connection.beginTransaction())
			.expectError(R2dbcNonTransientResourceException.class)
			.verify(TIMEOUT);
		assertThat(count(this.other)).isZero();
		this.connection.postAllocate().block(TIMEOUT);
		run(this.connection, "INSERT INTO t VALUES (3)");
		assertThat(count(this.other)).isEqualTo(1);
	}

	@Test
	void validateShouldReportAnOpenConnectionUntilItIsClosed() {
		StepVerifier.create(this.connection.validate(ValidationDepth.REMOTE)).expectNext(true).verifyComplete();
		StepVerifier.create(this.connection.validate(ValidationDepth.LOCAL)).expectNext(true).verifyComplete();
		this.connection.close().block(TIMEOUT);
		StepVerifier.create(this.connection.close()).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.connection.validate(ValidationDepth.REMOTE)).expectNext(false).verifyComplete();
		StepVerifier.create(this.connection.createStatement("SELECT 1").execute())
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcNonTransientResourceException.class)
				.hasMessageContaining("closed"))
			.verify(TIMEOUT);
	}

	@Test
	void getMetadataShouldDescribeSqlite() {
		assertThat(this.connection.getMetadata().getDatabaseProductName()).isEqualTo("SQLite");
		assertThat(this.connection.getMetadata().getDatabaseVersion()).matches("3\\.\\d+\\.\\d+");
	}

	private SqliteConnectionFactory factory(SqliteConnectionConfiguration.Builder builder) {
		return new SqliteConnectionFactory(builder.database(this.file.toString()).build());
	}

	private static TransactionDefinition definition(Option<?> option, Object value) {
		return new TransactionDefinition() {

			@Override
			@SuppressWarnings("unchecked")
			public <T> T getAttribute(Option<T> requested) {
				return requested.equals(option) ? (T) value : null;
			}

		};
	}

	private static void run(Connection connection, String sql) {
		Flux.from(connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).blockLast(TIMEOUT);
	}

	private static long count(Connection connection) {
		return count(connection, "t");
	}

	private static long count(Connection connection, String table) {
		return SqliteConnectionFactoryTests.count(connection, table).block(TIMEOUT);
	}

	private static long pragma(Connection connection, String name) {
		List<Long> values = Flux.from(connection.createStatement("PRAGMA " + name).execute())
			.concatMap((result) -> result.map((row) -> row.get(0, Long.class)))
			.collectList()
			.block(TIMEOUT);
		return values.get(0);
	}

}

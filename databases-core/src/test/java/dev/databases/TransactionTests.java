package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.r2dbc.spi.IsolationLevel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Database#transaction}, {@link Database#connection} and force-rollback
 * on every backend: the transaction and connection cases of the Python project's
 * tests/test_databases.py, each named after the test it ports, plus the failures its users
 * reported. Every test ends by checking that no connection is left acquired.
 */
class TransactionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String INSERT_NOTE = "INSERT INTO notes(text, completed) VALUES (:text, :completed)";

	private static Mono<ExecuteResult> insert(QueryMethods db, String text) {
		return db.execute(INSERT_NOTE, Map.of("text", text, "completed", true));
	}

	private static long count(Database db) {
		return db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT);
	}

	static void run(String url, java.util.function.Consumer<Database> test) {
		DatabaseTests.runBlocking(url, (db) -> {
			test.accept(db);
			assertThat(awaitReleased(db)).as("connections left acquired").isZero();
			assertThat(awaitNoOpenTransaction(db, url)).as("sessions left idle in a transaction").isZero();
		});
	}

	/**
	 * The pool's acquired count once cancelled work has given its connections back: a cancel
	 * returns at once and the release runs after it, so this waits for the count (up to 5 s)
	 * rather than reading it the moment the test ends.
	 */
	static int awaitReleased(Database db) {
		return Mono.fromSupplier(() -> db.poolMetrics().orElseThrow().acquiredSize())
			.filter((acquired) -> acquired == 0)
			.repeatWhenEmpty(50, (attempts) -> attempts.delayElements(Duration.ofMillis(100)))
			.onErrorResume((error) -> Mono.fromSupplier(() -> db.poolMetrics().orElseThrow().acquiredSize()))
			.block(TIMEOUT);
	}

	/**
	 * Sessions left inside a transaction on the server once they have had up to 5 s to end.
	 * The count is server-wide, and a session closed at the end of an earlier test is still
	 * listed for a few milliseconds while the server rolls it back; one that stays is a leak.
	 */
	static long awaitNoOpenTransaction(Database db, String url) {
		return Mono.defer(() -> openTransactions(db, url))
			.filter((open) -> open == 0)
			.repeatWhenEmpty(50, (attempts) -> attempts.delayElements(Duration.ofMillis(100)))
			.onErrorResume((error) -> openTransactions(db, url))
			.block(TIMEOUT);
	}

	/** Sessions left inside a transaction on the server (0 for H2 and SQLite, which have none). */
	private static Mono<Long> openTransactions(Database db, String url) {
		if (TestDatabases.isPostgres(url)) {
			return db.fetchVal("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
					+ "AND state LIKE 'idle in transaction%'", Long.class);
		}
		if (TestDatabases.isMySql(url)) {
			return db.fetchVal("SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> CONNECTION_ID()",
					Long.class);
		}
		return Mono.just(0L);
	}

	// test_transaction_commit
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionCommit(String url) {
		run(url, (db) -> {
			db.transaction((tx) -> insert(db, "example1")).block(TIMEOUT);
			assertThat(count(db)).isEqualTo(1);
		});
	}

	// test_commit_on_root_transaction: the value is emitted after the commit
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void commitOnRootTransactionBeforeValueIsEmitted(String url) {
		run(url, (db) -> {
			Long seen = db.transaction((tx) -> insert(db, "example1").thenReturn(1L))
				.flatMap((ignored) -> db.fetchVal("SELECT COUNT(*) FROM notes", Long.class))
				.block(TIMEOUT);
			assertThat(seen).isEqualTo(1);
		});
	}

	// test_transaction_rollback
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionRollback(String url) {
		run(url, (db) -> {
			RuntimeException boom = new RuntimeException("boom");
			StepVerifier.create(db.transaction((tx) -> insert(db, "example1").then(Mono.error(boom))))
				.expectErrorSatisfies((error) -> assertThat(error).isSameAs(boom))
				.verify(TIMEOUT);
			assertThat(count(db)).isZero();
		});
	}

	// test_transaction_commit_low_level
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionCommitLowLevel(String url) {
		run(url, (db) -> {
			Transaction tx = db.beginTransaction().block(TIMEOUT);
			insert(tx.connection(), "example1").block(TIMEOUT);
			tx.commit().block(TIMEOUT);
			tx.commit().block(TIMEOUT);
			tx.rollback().block(TIMEOUT);
			assertThat(count(db)).isEqualTo(1);
		});
	}

	// test_transaction_rollback_low_level
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionRollbackLowLevel(String url) {
		run(url, (db) -> {
			Transaction tx = db.beginTransaction().block(TIMEOUT);
			insert(tx.connection(), "example1").block(TIMEOUT);
			tx.rollback().block(TIMEOUT);
			tx.commit().block(TIMEOUT);
			assertThat(count(db)).isZero();
		});
	}

	// test_transaction_decorator
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionDecorator(String url) {
		run(url, (db) -> {
			java.util.function.Function<Boolean, Mono<ExecuteResult>> insertData = db.transactional(
					(Boolean raise) -> insert(db, "example").flatMap((r) -> raise ? Mono.error(new IllegalStateException("raise")) : Mono.just(r)));
			StepVerifier.create(insertData.apply(true)).expectError(IllegalStateException.class).verify(TIMEOUT);
			assertThat(count(db)).isZero();
			insertData.apply(false).block(TIMEOUT);
			assertThat(count(db)).isEqualTo(1);
		});
	}

	// test_transaction_decorator_concurrent: Python 0.7 committed 1 of 6
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionDecoratorConcurrent(String url) {
		run(url, (db) -> {
			java.util.function.Function<Integer, Mono<ExecuteResult>> insertData = db
				.transactional((Integer i) -> insert(db, "example" + i));
			Flux.range(0, 6).flatMap(insertData).then().block(TIMEOUT);
			assertThat(count(db)).isEqualTo(6);
		});
	}

	// nested transactions are savepoints: rolling back the inner one keeps the outer work
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void nestedTransactionRollbackKeepsOuterWork(String url) {
		run(url, (db) -> {
			db.transaction((outer) -> insert(db, "outer")
				.then(db.transaction((inner) -> insert(db, "inner").then(Mono.error(new IllegalStateException("inner"))))
					.onErrorResume(IllegalStateException.class, (error) -> Mono.empty()))
				.then(db.transaction((inner) -> insert(db, "inner-committed"))))
				.block(TIMEOUT);
			List<Record> rows = db.fetchAll("SELECT text FROM notes ORDER BY id").block(TIMEOUT);
			assertThat(rows).extracting((row) -> row.get("text")).containsExactly("outer", "inner-committed");
		});
	}

	// errors thrown inside nested blocks roll back every level they pass through
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void errorInNestedBlockRollsBackEverything(String url) {
		run(url, (db) -> {
			StepVerifier.create(db.transaction((outer) -> insert(db, "outer")
				.then(db.transaction((inner) -> insert(db, "inner").then(Mono.error(new IllegalStateException("deep")))))))
				.expectError(IllegalStateException.class)
				.verify(TIMEOUT);
			assertThat(count(db)).isZero();
		});
	}

	// test_transaction_context_child_task_inheritance_example: work inside the block, through db or the
	// connection, runs on the block's connection
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionContextChildTaskInheritanceExample(String url) {
		run(url, (db) -> {
			String text = db.transaction((tx) -> db
				.execute("INSERT INTO notes(id, text, completed) VALUES (1, :text, :completed)",
						Map.of("text", "setup", "completed", true))
				.then(db.execute("UPDATE notes SET text = :text WHERE id = 1", Map.of("text", "prior")))
				.then(Mono.defer(() -> tx.connection().execute("UPDATE notes SET text = :text WHERE id = 1",
						Map.of("text", "test")).subscribeOn(reactor.core.scheduler.Schedulers.parallel())))
				.then(db.fetchVal("SELECT text FROM notes WHERE id = 1", String.class)))
				.block(TIMEOUT);
			assertThat(text).isEqualTo("test");
		});
	}

	// test_transaction_context_sibling_task_isolation_example: a sibling outside the transaction does not see
	// its uncommitted work
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#sharedUrls")
	void transactionContextSiblingTaskIsolationExample(String url) {
		run(url, (db) -> {
			List<Record> seenBySibling = db.transaction((tx) -> insert(db, "uncommitted")
				.then(db.fetchAll("SELECT * FROM notes").contextWrite((context) -> context.delete(db.scopeKey()))))
				.block(TIMEOUT);
			assertThat(seenBySibling).isEmpty();
			assertThat(count(db)).isEqualTo(1);
		});
	}

	// test_connection_context_same_task, test_connection_context_with_raw_connection
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void connectionContextSameTask(String url) {
		run(url, (db) -> {
			Boolean same = db.connection((outer) -> db.connection((inner) -> Mono.just(outer == inner
					&& outer.raw() == inner.raw()))).single().block(TIMEOUT);
			assertThat(same).isTrue();
		});
	}

	// test_connection_context_multiple_sibling_tasks, test_connection_context_multiple_tasks
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void connectionContextMultipleSiblingTasks(String url) {
		run(url, (db) -> {
			List<Connection> connections = Flux.range(0, 2)
				.flatMap((i) -> db.connection((connection) -> Mono.just(connection).delayElement(Duration.ofMillis(50))))
				.collectList()
				.block(TIMEOUT);
			assertThat(connections.get(0)).isNotSameAs(connections.get(1));
		});
	}

	// test_connection_context_multiple_databases
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void connectionContextMultipleDatabases(String url) {
		run(url, (db) -> {
			Database other = new Database(url);
			other.connect().block(TIMEOUT);
			try {
				Boolean distinct = db.connection((first) -> other.connection((second) -> Mono.just(first != second)))
					.single()
					.block(TIMEOUT);
				assertThat(distinct).isTrue();
			}
			finally {
				other.disconnect().block(TIMEOUT);
			}
		});
	}

	// test_rollback_isolation (transaction with force_rollback)
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void rollbackIsolation(String url) {
		run(url, (db) -> {
			db.transaction(TransactionOptions.defaults().forceRollback(true), (tx) -> insert(db, "example1")
				.then(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class))
				.doOnNext((inside) -> assertThat(inside).isEqualTo(1))).block(TIMEOUT);
			assertThat(count(db)).isZero();
		});
	}

	// test_rollback_isolation_with_contextmanager and test_integration: force_rollback on the Database
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#sharedUrls")
	void forceRollbackDatabaseLeavesNothingAfterDisconnect(String url) {
		run(url, (db) -> {
			Database forced = Database.builder(url).forceRollback(true).build();
			forced.connect().block(TIMEOUT);
			insert(forced, "example1").block(TIMEOUT);
			forced.transaction((tx) -> insert(forced, "inner")).block(TIMEOUT);
			StepVerifier.create(forced.transaction((tx) -> insert(forced, "rolled").then(Mono.error(new IllegalStateException()))))
				.expectError(IllegalStateException.class)
				.verify(TIMEOUT);
			assertThat(forced.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isEqualTo(2);
			forced.disconnect().block(TIMEOUT);
			assertThat(count(db)).isZero();
			forced.connect().block(TIMEOUT);
			assertThat(forced.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isZero();
			forced.disconnect().block(TIMEOUT);
		});
	}

	// test_concurrent_access_on_single_connection, test_concurrent_transactions_on_single_connection and
	// Python #340: overlapping transactions from two subscriptions under force-rollback both work
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#sharedUrls")
	void forceRollbackSerialisesConcurrentCallers(String url) {
		run(url, (db) -> {
			Database forced = Database.builder(url).forceRollback(true).build();
			forced.connect().block(TIMEOUT);
			try {
				Flux.range(0, 8)
					.flatMap((i) -> forced.transaction((tx) -> insert(forced, "t" + i)
						.then(forced.transaction((inner) -> insert(forced, "inner" + i)))
						.then(forced.fetchOne("SELECT 1 AS one"))))
					.then()
					.block(TIMEOUT);
				assertThat(forced.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isEqualTo(16);
			}
			finally {
				forced.disconnect().block(TIMEOUT);
			}
			assertThat(count(db)).isZero();
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionWithIsolationAndReadOnly(String url) {
		run(url, (db) -> {
			Long rows = db.transaction(TransactionOptions.defaults().isolation(IsolationLevel.SERIALIZABLE),
					(tx) -> insert(db, "serializable").then(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class)))
				.block(TIMEOUT);
			assertThat(rows).isEqualTo(1);
			if (!TestDatabases.isH2(url)) {
				StepVerifier.create(db.transaction(TransactionOptions.defaults().readOnly(true),
						(tx) -> insert(db, "read-only")))
					.expectError(DatabaseException.class)
					.verify(TIMEOUT);
			}
			assertThat(count(db)).isEqualTo(1);
		});
	}

	// Python #176: a query issued while an iterate() stream is open does not deadlock, outside and inside a
	// transaction
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void queryWhileIterating(String url) {
		run(url, (db) -> {
			db.executeMany(INSERT_NOTE, List.of(Map.of("text", "a", "completed", true),
					Map.of("text", "b", "completed", true), Map.of("text", "c", "completed", true))).block(TIMEOUT);
			Long outside = db.iterate("SELECT id FROM notes")
				.concatMap((row) -> db.fetchVal("SELECT COUNT(*) FROM notes", Long.class))
				.reduce(0L, Long::sum)
				.block(TIMEOUT);
			assertThat(outside).isEqualTo(9);
			Long inside = db.transaction((tx) -> db.iterate("SELECT id FROM notes")
				.collectList()
				.flatMapMany(Flux::fromIterable)
				.concatMap((row) -> db.fetchVal("SELECT COUNT(*) FROM notes", Long.class))
				.reduce(0L, Long::sum))
				.block(TIMEOUT);
			assertThat(inside).isEqualTo(9);
		});
	}

	// Python #126: an error or a cancel inside iterate() within a transaction rolls back cleanly and the next
	// query works
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void errorOrCancelInsideIterateInTransactionRollsBack(String url) {
		run(url, (db) -> {
			db.executeMany(INSERT_NOTE, List.of(Map.of("text", "a", "completed", true),
					Map.of("text", "b", "completed", true), Map.of("text", "c", "completed", true))).block(TIMEOUT);
			StepVerifier.create(db.transactionMany((tx) -> insert(db, "inside")
				.thenMany(db.iterate("SELECT id FROM notes"))
				.map((row) -> {
					throw new IllegalStateException("in iterate");
				})))
				.expectError(IllegalStateException.class)
				.verify(TIMEOUT);
			StepVerifier.create(db.transactionMany((tx) -> insert(db, "inside").thenMany(db.iterate("SELECT id FROM notes"))), 1)
				.expectNextCount(1)
				.thenCancel()
				.verify(TIMEOUT);
			assertThat(count(db)).isEqualTo(3);
		});
	}

	// 1,000 transactions cancelled at random points leave nothing open and nothing half-done
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void cancelledTransactionsLeakNothing(String url) {
		run(url, (db) -> {
			Random random = new Random(42);
			Flux.range(0, 1000)
				.flatMap((i) -> db.transaction((tx) -> insert(db, "first" + i).then(insert(db, "second" + i)))
					.timeout(Duration.ofNanos(random.nextInt(3_000_000)))
					.onErrorResume((error) -> Mono.empty()), 16)
				.then()
				.block(Duration.ofSeconds(120));
			List<Record> rows = db.fetchAll("SELECT text FROM notes").block(TIMEOUT);
			Set<String> texts = ConcurrentHashMap.newKeySet();
			rows.forEach((row) -> texts.add((String) row.get("text")));
			for (int i = 0; i < 1000; i++) {
				assertThat(texts.contains("first" + i)).as("transaction %d half applied: first=%s second=%s", i, texts.contains("first" + i), texts.contains("second" + i))
					.isEqualTo(texts.contains("second" + i));
			}
			assertThat(count(db)).isEven();
		});
	}

	// Independent subscriptions never share a connection: 16 concurrent transactions see 16 backend ids
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void concurrentTransactionsUseDistinctConnections(String url) {
		TestDatabases.assumeAvailable(url);
		String sql = TestDatabases.isPostgres(url) ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
		String sleep = TestDatabases.isPostgres(url) ? "SELECT pg_sleep(0.2)" : "SELECT SLEEP(0.2)";
		Database db = Database.builder(url).option("max_size", 16).build();
		db.connect().block(TIMEOUT);
		try {
			List<Long> ids = Flux.range(0, 16)
				.flatMap((i) -> db.transaction((tx) -> db.execute(sleep).then(db.fetchVal(sql, Long.class))), 16)
				.collectList()
				.block(TIMEOUT);
			assertThat(Set.copyOf(ids)).hasSize(16);
			assertThat(db.poolMetrics().orElseThrow().acquiredSize()).isZero();
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

	// Python #531: disconnect() completes within its timeout even while work still holds a connection
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void disconnectCompletesWhileWorkHoldsAConnection(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = Database.builder(url).option("disconnect_timeout", "500ms").build();
		db.connect().block(TIMEOUT);
		reactor.core.publisher.Sinks.One<Throwable> outcome = reactor.core.publisher.Sinks.one();
		db.connection((connection) -> Mono.never()).subscribe(null, outcome::tryEmitValue);
		long start = System.nanoTime();
		db.disconnect().block(TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(db.isConnected()).isFalse();
	}

}

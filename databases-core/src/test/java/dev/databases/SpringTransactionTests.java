package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link Database} joins a Spring reactive transaction begun on its
 * {@link Database#connectionFactory()}: work through DatabaseClient and through Database
 * commits or rolls back together.
 */
class SpringTransactionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String INSERT = "INSERT INTO notes(text, completed) VALUES (:text, :completed)";

	private static Mono<Long> clientInsert(DatabaseClient client, String text) {
		return client.sql(INSERT).bind("text", text).bind("completed", true).fetch().rowsUpdated();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void databaseAndDatabaseClientCommitTogether(String url) {
		DatabaseTests.runBlocking(url, (db) -> {
			TransactionalOperator operator = TransactionalOperator
				.create(new R2dbcTransactionManager(db.connectionFactory()));
			DatabaseClient client = DatabaseClient.create(db.connectionFactory());
			clientInsert(client, "client")
				.then(db.execute(INSERT, Map.of("text", "database", "completed", true)))
				.then(db.transaction((tx) -> db.execute(INSERT, Map.of("text", "savepoint", "completed", true))))
				.as(operator::transactional)
				.block(TIMEOUT);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isEqualTo(3);
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void databaseAndDatabaseClientRollBackTogether(String url) {
		DatabaseTests.runBlocking(url, (db) -> {
			TransactionalOperator operator = TransactionalOperator
				.create(new R2dbcTransactionManager(db.connectionFactory()));
			DatabaseClient client = DatabaseClient.create(db.connectionFactory());
			Mono<Object> work = clientInsert(client, "client")
				.then(db.execute(INSERT, Map.of("text", "database", "completed", true)))
				.then(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class))
				.doOnNext((inside) -> assertThat(inside).as("both visible inside the transaction").isEqualTo(2))
				.then(Mono.error(new IllegalStateException("roll back")));
			StepVerifier.create(work.as(operator::transactional))
				.expectError(IllegalStateException.class)
				.verify(TIMEOUT);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isZero();
			assertThat(TransactionTests.awaitReleased(db)).isZero();
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void databaseClientInsideADatabaseTransactionShouldCommitAndRollBackWithIt(String url) {
		DatabaseTests.runBlocking(url, (db) -> {
			DatabaseClient client = DatabaseClient.create(db.connectionFactory());
			Mono<Object> failing = db.transaction((tx) -> clientInsert(client, "client")
				.then(db.execute(INSERT, Map.of("text", "database", "completed", true)))
				.then(client.sql("SELECT COUNT(*) AS n FROM notes").map((row) -> row.get("n", Long.class)).one())
				.doOnNext((inside) -> assertThat(inside).as("the client sees the transaction's rows").isEqualTo(2))
				.then(Mono.error(new IllegalStateException("roll back"))));
			StepVerifier.create(failing).expectError(IllegalStateException.class).verify(TIMEOUT);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT))
				.as("the DatabaseClient row was rolled back with the transaction").isZero();
			db.transaction((tx) -> clientInsert(client, "client")
				.then(db.execute(INSERT, Map.of("text", "database", "completed", true)))).block(TIMEOUT);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isEqualTo(2);
			assertThat(TransactionTests.awaitReleased(db)).isZero();
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void aSpringTransactionInsideADatabaseTransactionShouldBeASavepoint(String url) {
		DatabaseTests.runBlocking(url, (db) -> {
			TransactionalOperator operator = TransactionalOperator
				.create(new R2dbcTransactionManager(db.connectionFactory()));
			DatabaseClient client = DatabaseClient.create(db.connectionFactory());
			db.transaction((tx) -> db.execute(INSERT, Map.of("text", "outer", "completed", true))
				.then(clientInsert(client, "inner").then(Mono.error(new IllegalStateException("inner fails")))
					.as(operator::transactional)
					.onErrorResume(IllegalStateException.class, (error) -> Mono.empty()))
				.then(clientInsert(client, "after"))).block(TIMEOUT);
			assertThat(db.fetchAll("SELECT text FROM notes ORDER BY text", Map.of(), String.class).block(TIMEOUT))
				.as("the inner Spring transaction rolled back to its savepoint only").containsExactly("after", "outer");
			assertThat(TransactionTests.awaitReleased(db)).isZero();
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void databaseClientInsideAConnectionBlockShouldUseTheBlocksConnection(String url) {
		DatabaseTests.runBlocking(url, (db) -> {
			DatabaseClient client = DatabaseClient.create(db.connectionFactory());
			String session = TestDatabases.isPostgres(url) ? "SELECT pg_backend_pid() AS id" : "SELECT CONNECTION_ID() AS id";
			List<Long> ids = db.connection((connection) -> db.fetchVal(session, Long.class)
				.concatWith(client.sql(session).map((row) -> row.get("id", Long.class)).one())).collectList().block(TIMEOUT);
			assertThat(ids).hasSize(2);
			assertThat(ids.get(1)).as("DatabaseClient ran on the block's server session").isEqualTo(ids.get(0));
		});
	}

	// With force-rollback, DatabaseClient and Spring transactions share the one connection and are rolled back
	// with everything else at disconnect (what @DatabaseTest relies on).
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#sharedUrls")
	void forceRollbackSharesItsConnectionWithSpring(String url) {
		DatabaseTests.runBlocking(url, (db) -> {
			Database forced = Database.builder(url).forceRollback(true).build();
			forced.connect().block(TIMEOUT);
			try {
				TransactionalOperator operator = TransactionalOperator
					.create(new R2dbcTransactionManager(forced.connectionFactory()));
				DatabaseClient client = DatabaseClient.create(forced.connectionFactory());
				clientInsert(client, "outside a transaction").block(TIMEOUT);
				clientInsert(client, "committed by Spring")
					.then(forced.execute(INSERT, Map.of("text", "database", "completed", true)))
					.as(operator::transactional)
					.block(TIMEOUT);
				StepVerifier.create(clientInsert(client, "rolled back by Spring")
					.then(Mono.error(new IllegalStateException()))
					.as(operator::transactional)).expectError(IllegalStateException.class).verify(TIMEOUT);
				assertThat(forced.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isEqualTo(3);
				assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT))
					.as("nothing committed outside the force-rollback transaction").isZero();
			}
			finally {
				forced.disconnect().block(TIMEOUT);
			}
			assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isZero();
		});
	}

}

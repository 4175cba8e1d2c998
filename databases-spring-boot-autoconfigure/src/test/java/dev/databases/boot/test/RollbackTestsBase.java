package dev.databases.boot.test;

import java.util.Map;

import dev.databases.Database;
import dev.databases.boot.flyway.DatabaseMigrationsCustomizer;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests every {@link DatabaseTest @DatabaseTest} backend runs: each writes a row to
 * {@code boot_notes} (created by the migration), through the Database or through Spring's
 * {@link DatabaseClient} on the {@link ConnectionFactory} bean, with or without a Spring
 * transaction, and expects to see exactly one, which only holds if what the other methods
 * wrote was rolled back, in whatever order they run.
 */
@TestMethodOrder(MethodOrderer.Random.class)
abstract class RollbackTestsBase {

	private static final String INSERT = "INSERT INTO boot_notes (id, text) VALUES (:id, :text)";

	private static final String COUNT = "SELECT COUNT(*) FROM boot_notes";

	@Autowired
	Database db;

	@Autowired
	ConnectionFactory connectionFactory;

	@Test
	void firstInsertShouldBeTheOnlyRow() {
		insertAndExpectOneRow(1);
	}

	@Test
	void secondInsertShouldBeTheOnlyRow() {
		insertAndExpectOneRow(2);
	}

	@Test
	void thirdInsertWithTheSameKeyShouldNotCollide() {
		insertAndExpectOneRow(1);
	}

	@Test
	void insertInATransactionShouldBeRolledBackToo() {
		this.db.transaction((transaction) -> this.db.execute(INSERT, Map.of("id", 4, "text", "in a transaction")))
			.block();
		assertThat(this.db.fetchVal(COUNT, Long.class).block()).isEqualTo(1L);
	}

	@Test
	void databaseClientInsertShouldBeRolledBackToo() {
		assertThat(count()).isZero();
		DatabaseClient client = DatabaseClient.create(this.connectionFactory);
		client.sql(INSERT).bind("id", 6).bind("text", "through DatabaseClient").then().block();
		assertThat(count()).isEqualTo(1L);
		assertThat(client.sql("SELECT text FROM boot_notes WHERE id = :id")
			.bind("id", 6)
			.map((row) -> row.get("text", String.class))
			.one()
			.block()).isEqualTo("through DatabaseClient");
	}

	@Test
	void springTransactionInsertShouldBeRolledBackToo() {
		assertThat(count()).isZero();
		DatabaseClient client = DatabaseClient.create(this.connectionFactory);
		TransactionalOperator transactional = TransactionalOperator
			.create(new R2dbcTransactionManager(this.connectionFactory));
		// Committed as far as Spring knows: a savepoint released inside the outer transaction.
		client.sql(INSERT).bind("id", 7).bind("text", "in a Spring transaction").then().as(transactional::transactional)
			.block();
		assertThat(count()).isEqualTo(1L);
	}

	@Test
	void failedStatementShouldNotSpoilTheNextTest() {
		insertAndExpectOneRow(5);
		// On PostgreSQL an error aborts the outer transaction: the next test must not see it.
		assertThat(this.db.fetchVal("SELECT no_such_column FROM boot_notes", Long.class)
			.map((value) -> "no error")
			// The slice translates errors as the application does.
			.onErrorResume(DataAccessException.class, (error) -> Mono.just("error"))
			.block()).isEqualTo("error");
	}

	private void insertAndExpectOneRow(int id) {
		assertThat(count()).isZero();
		this.db.execute(INSERT, Map.of("id", id, "text", "note " + id)).block();
		assertThat(count()).isEqualTo(1L);
	}

	private @Nullable Long count() {
		return this.db.fetchVal(COUNT, Long.class).block();
	}

	/**
	 * The server databases are shared with other test suites: keep Flyway's history in a
	 * table of this module's own.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class MigrationsConfiguration {

		@Bean
		DatabaseMigrationsCustomizer historyTable() {
			return (configuration) -> configuration.table("boot_flyway_history");
		}

	}

}

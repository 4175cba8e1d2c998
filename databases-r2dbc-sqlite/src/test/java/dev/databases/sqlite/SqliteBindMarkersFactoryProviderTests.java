package dev.databases.sqlite;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SqliteBindMarkersFactoryProvider}: Spring's {@link DatabaseClient}
 * and reactive transactions over a pooled in-memory SQLite database.
 *
 * @author databases
 */
class SqliteBindMarkersFactoryProviderTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private ConnectionPool pool;

	private DatabaseClient client;

	@BeforeEach
	void create() {
		this.pool = new ConnectionPool(ConnectionPoolConfiguration
			.builder(new SqliteConnectionFactory(SqliteConnectionConfiguration.builder().build()))
			.minIdle(1)
			.maxSize(4)
			.build());
		this.client = DatabaseClient.create(this.pool);
		this.client.sql("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)").then().block(TIMEOUT);
	}

	@AfterEach
	void dispose() {
		this.pool.disposeLater().block(TIMEOUT);
	}

	@Test
	void getBindMarkersWhenOtherDatabaseShouldReturnNull() {
		ConnectionFactory other = new ConnectionFactory() {

			@Override
			public org.reactivestreams.Publisher<? extends io.r2dbc.spi.Connection> create() {
				return Mono.empty();
			}

			@Override
			public io.r2dbc.spi.ConnectionFactoryMetadata getMetadata() {
				return () -> "H2";
			}

		};
		assertThat(new SqliteBindMarkersFactoryProvider().getBindMarkers(other)).isNull();
	}

	@Test
	void databaseClientShouldBindNamedParameters() {
		Long sum = this.client.sql("SELECT :a + :b + :a")
			.bind("a", 1)
			.bind("b", 2)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(TIMEOUT);
		assertThat(sum).isEqualTo(4);
	}

	@Test
	void databaseClientShouldReturnGeneratedKeys() {
		Long id = this.client.sql("INSERT INTO note (text) VALUES (:text)")
			.bind("text", "hello")
			.filter((statement) -> statement.returnGeneratedValues("id"))
			.map((row) -> row.get("id", Long.class))
			.one()
			.block(TIMEOUT);
		assertThat(id).isEqualTo(1);
	}

	@Test
	void transactionalOperatorShouldRollBackOnError() {
		TransactionalOperator transactional = TransactionalOperator.create(new R2dbcTransactionManager(this.pool),
				new DefaultTransactionDefinition());
		Mono<Long> failing = this.client.sql("INSERT INTO note (text) VALUES ('lost')")
			.fetch()
			.rowsUpdated()
			.then(Mono.<Long>error(new IllegalStateException("boom")))
			.as(transactional::transactional);
		StepVerifier.create(failing).expectErrorMessage("boom").verify(TIMEOUT);
		Mono<Long> kept = this.client.sql("INSERT INTO note (text) VALUES ('kept')")
			.fetch()
			.rowsUpdated()
			.as(transactional::transactional);
		StepVerifier.create(kept).expectNext(1L).expectComplete().verify(TIMEOUT);
		assertThat(this.client.sql("SELECT text FROM note").map((row) -> row.get(0, String.class)).all().collectList()
			.block(TIMEOUT)).containsExactly("kept");
	}

}

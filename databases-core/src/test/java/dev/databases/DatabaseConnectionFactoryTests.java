package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.Wrapped;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseConnectionFactory} and {@link ReportedConnection}: the
 * connections lent to Spring are told to the Database's {@link DatabaseListener} once
 * each, as its own are.
 */
class DatabaseConnectionFactoryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Records the lease events in order; each lease's context names it. */
	static final class Leases implements DatabaseListener {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<Throwable> failures = new CopyOnWriteArrayList<>();

		private final AtomicInteger leases = new AtomicInteger();

		@Override
		public Object connectionAcquired(Duration waited) {
			String lease = "lease-" + this.leases.incrementAndGet();
			this.events.add("acquired " + lease);
			return lease;
		}

		@Override
		public void connectionAcquireFailed(Duration waited, Throwable error) {
			this.events.add("failed");
			this.failures.add(error);
		}

		@Override
		public void connectionReleased(@Nullable Object context, Duration held) {
			this.events.add("released " + context);
		}

		@Override
		public void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
			this.events.add(sql);
		}

		/** The events without the statements. */
		List<String> leaseEvents() {
			return this.events.stream()
				.filter((event) -> event.startsWith("acquired ") || event.startsWith("released ")
						|| event.equals("failed"))
				.toList();
		}

	}

	private static void withDatabase(String url, Database.Builder builder, Consumer<Database> test) {
		TestDatabases.assumeAvailable(url);
		Database db = builder.build();
		db.connect().block(TIMEOUT);
		try {
			test.accept(db);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void databaseClientQueryShouldBeOneLeaseOfTheListener(String url) {
		Leases leases = new Leases();
		withDatabase(url, Database.builder(url).listener(leases), (db) -> {
			leases.events.clear();
			Integer one = DatabaseClient.create(db.connectionFactory())
				.sql("SELECT 1")
				.map((row) -> row.get(0, Integer.class))
				.one()
				.block(TIMEOUT);
			assertThat(one).isEqualTo(1);
			assertThat(leases.events).containsExactly("acquired lease-1", "released lease-1");
			assertThat(db.poolMetrics().orElseThrow().acquiredSize()).isZero();
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void springTransactionJoinedByTheDatabaseShouldBeOneLease(String url) {
		Leases leases = new Leases();
		withDatabase(url, Database.builder(url).listener(leases), (db) -> {
			TransactionalOperator transactional = TransactionalOperator
				.create(new R2dbcTransactionManager(db.connectionFactory()));
			DatabaseClient client = DatabaseClient.create(db.connectionFactory());
			leases.events.clear();
			Integer two = client.sql("SELECT 1")
				.fetch()
				.rowsUpdated()
				.then(db.fetchVal("SELECT 2", Integer.class))
				.as(transactional::transactional)
				.block(TIMEOUT);
			assertThat(two).isEqualTo(2);
			// The Database ran on the transaction's connection: no lease of its own.
			assertThat(leases.events).containsExactly("acquired lease-1", "SELECT 2", "released lease-1");
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void secondCloseShouldNotBeReportedAgain(String url) {
		Leases leases = new Leases();
		withDatabase(url, Database.builder(url).listener(leases), (db) -> {
			leases.events.clear();
			Connection connection = Mono.<Connection>from(db.connectionFactory().create()).block(TIMEOUT);
			assertThat(connection).isInstanceOf(ReportedConnection.class);
			Mono.from(connection.close()).block(TIMEOUT);
			Mono.from(connection.close()).onErrorResume((error) -> Mono.empty()).block(TIMEOUT);
			assertThat(leases.events).containsExactly("acquired lease-1", "released lease-1");
			assertThat(db.poolMetrics().orElseThrow().acquiredSize()).isZero();
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void exhaustedPoolShouldBeReportedAsAFailedAcquire(String url) {
		Leases leases = new Leases();
		Database.Builder builder = Database.builder(url)
			.listener(leases)
			.option("min_size", 1)
			.option("max_size", 1)
			.option("acquire_timeout", "200ms");
		withDatabase(url, builder, (db) -> {
			Connection held = Mono.<Connection>from(db.connectionFactory().create()).block(TIMEOUT);
			try {
				StepVerifier.create(db.connectionFactory().create())
					.expectError(R2dbcTimeoutException.class)
					.verify(TIMEOUT);
				assertThat(leases.events).containsExactly("acquired lease-1", "failed");
				assertThat(leases.failures).singleElement().isInstanceOf(R2dbcTimeoutException.class);
			}
			finally {
				Mono.from(held.close()).block(TIMEOUT);
			}
			assertThat(leases.events).containsExactly("acquired lease-1", "failed", "released lease-1");
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void forceRollbackLendingShouldBeReportedPerLoan(String url) {
		Leases leases = new Leases();
		withDatabase(url, Database.builder(url).listener(leases).forceRollback(true), (db) -> {
			// The one connection, taken by connect() for the Database's life.
			assertThat(leases.leaseEvents()).containsExactly("acquired lease-1");
			Mono.usingWhen(db.connectionFactory().create(), (connection) -> Mono.empty(), Connection::close)
				.block(TIMEOUT);
			assertThat(leases.leaseEvents()).containsExactly("acquired lease-1", "acquired lease-2",
					"released lease-2");
		});
		assertThat(leases.leaseEvents()).endsWith("released lease-1");
	}

	@Test
	void withoutListenerConnectionsShouldBeLentUnwrapped() {
		String url = "h2:mem:///factory_" + System.nanoTime();
		withDatabase(url, Database.builder(url), (db) -> {
			Connection connection = Mono.<Connection>from(db.connectionFactory().create()).block(TIMEOUT);
			try {
				assertThat(connection).isNotInstanceOf(ReportedConnection.class);
				assertThat(((Wrapped<?>) connection).unwrap()).isNotInstanceOf(ReportedConnection.class);
			}
			finally {
				Mono.from(connection.close()).block(TIMEOUT);
			}
		});
	}

}

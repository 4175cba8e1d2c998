package dev.databases.boot.metrics;

import java.util.UUID;

import dev.databases.AcquireTimeoutException;
import dev.databases.Database;
import dev.databases.DatabaseListener;
import dev.databases.boot.DatabaseAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabasePoolMetricsAutoConfiguration}, {@link DatabasePoolMetrics} and
 * {@link DatabaseConnectionMetrics}.
 */
class DatabasePoolMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
				DatabasePoolMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("databases.url=h2:mem:///boot_metrics_" + UUID.randomUUID().toString().replace("-", "")
				+ "?max_size=6&min_size=2");

	@Test
	void runShouldRegisterPoolGauges() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("databases.connections.max").tag("name", "database").gauge().value())
				.isEqualTo(6);
			assertThat(registry.get("databases.connections.total").gauge().value()).isGreaterThanOrEqualTo(2);
			assertThat(registry.get("databases.connections.active").gauge().value()).isZero();
			assertThat(registry.get("databases.connections.pending").gauge().value()).isZero();
			assertThat(registry.get("databases.connections.idle").gauge().value()).isGreaterThanOrEqualTo(2);
		});
	}

	@Test
	void connectionsLentThroughTheConnectionFactoryShouldBeTimed() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
			Flux.range(0, 3)
				.concatMap((i) -> Mono.usingWhen(connectionFactory.create(),
						(connection) -> Mono.from(connection.createStatement("SELECT 1").execute())
							.flatMap((result) -> Mono.from(result.getRowsUpdated())),
						Connection::close))
				.blockLast();
			assertThat(registry.get("databases.connections.acquire").timer().count()).isEqualTo(3);
			assertThat(registry.get("databases.connections.usage").timer().count()).isEqualTo(3);
			assertThat(registry.get("databases.connections.timeout").counter().count()).isZero();
			assertThat(registry.get("databases.connections.active").gauge().value()).isZero();
		});
	}

	@Test
	void databaseWorkShouldBeTimedAndCountedOnceWithSpringWork() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Database database = context.getBean(Database.class);
			ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
			// The pool opened min_size=2 connections when the context started, after binding.
			assertThat(registry.get("databases.connections.creation").tag("name", "database").timer().count())
				.isEqualTo(2);
			Flux.range(0, 2).concatMap((i) -> database.fetchVal("SELECT 1", Integer.class)).blockLast();
			Mono.usingWhen(connectionFactory.create(), (connection) -> Mono.empty(), Connection::close).block();
			assertThat(registry.get("databases.connections.acquire").timer().count()).isEqualTo(3);
			assertThat(registry.get("databases.connections.usage").timer().count()).isEqualTo(3);
			assertThat(registry.get("databases.connections.active").gauge().value()).isZero();
		});
	}

	@Test
	void databaseAcquireTimeoutShouldBeCounted() {
		this.contextRunner.withPropertyValues("databases.pool.max-size=1", "databases.pool.min-size=1",
				"databases.pool.acquire-timeout=100ms")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				Database database = context.getBean(Database.class);
				// Hold the only connection and ask for another outside its scope: the wait times out.
				Throwable error = database
					.connection((connection) -> database.fetchVal("SELECT 1", Integer.class)
						.contextWrite((ignored) -> Context.empty()))
					.then()
					.map((ignored) -> (Throwable) new AssertionError("no timeout"))
					.onErrorResume(Mono::just)
					.block();
				assertThat(error).isInstanceOf(AcquireTimeoutException.class);
				assertThat(registry.get("databases.connections.timeout").counter().count()).isEqualTo(1);
				assertThat(registry.get("databases.connections.acquire").timer().count()).isEqualTo(2);
				assertThat(registry.get("databases.connections.usage").timer().count()).isEqualTo(1);
			});
	}

	@Test
	@org.junit.jupiter.api.condition.EnabledIf("dev.databases.boot.BootTestDatabases#shouldRunPostgresql")
	void transactionsShouldBeRetriedAsConfiguredAndCounted() {
		this.contextRunner
			.withPropertyValues("databases.url=" + dev.databases.boot.BootTestDatabases.require("postgresql"),
					"databases.transactions.max-attempts=3")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				Database database = context.getBean(Database.class);
				java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
				// The server raises the serialization failure; the retry reads its SQLSTATE.
				Throwable error = database.transaction((tx) -> {
					runs.incrementAndGet();
					return database.execute("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$");
				}).map((ignored) -> (Throwable) new AssertionError("no error")).onErrorResume(Mono::just).block();
				assertThat(error).isInstanceOf(dev.databases.DatabaseException.class);
				assertThat(((dev.databases.DatabaseException) error).attempts()).isEqualTo(3);
				assertThat(runs).hasValue(3);
				assertThat(registry.get("databases.transactions.retries").tag("name", "database").counter().count())
					.isEqualTo(2);
			});
	}

	@Test
	void maxAttemptsBelowOneShouldFailTheStartup() {
		this.contextRunner.withPropertyValues("databases.transactions.max-attempts=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("databases.transactions.max-attempts")
				.hasMessageContaining("at least once");
		});
	}

	@Test
	void connectionMetricsShouldBeTheDatabasesListenerWithoutWrappingTheConnectionFactory() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DatabaseConnectionMetrics.class);
			assertThat(context.getBean(DatabaseListener.class))
				.isSameAs(context.getBean(DatabaseConnectionMetrics.class));
			assertThat(context.getBean(ConnectionFactory.class))
				.isSameAs(context.getBean(Database.class).connectionFactory());
		});
	}

	@Test
	void databaseClientQueriesShouldBeTimedOnceEach() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class)).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			DatabaseClient client = context.getBean(DatabaseClient.class);
			Flux.range(0, 2).concatMap((i) -> client.sql("SELECT 1").fetch().rowsUpdated()).blockLast();
			context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block();
			assertThat(registry.get("databases.connections.acquire").tag("name", "database").timer().count())
				.isEqualTo(3);
			assertThat(registry.get("databases.connections.usage").tag("name", "database").timer().count())
				.isEqualTo(3);
		});
	}

	@Test
	void userConnectionMetricsShouldWin() {
		DatabaseConnectionMetrics metrics = new DatabaseConnectionMetrics("custom", Tags.of("app", "test"));
		this.contextRunner.withBean(DatabaseConnectionMetrics.class, () -> metrics).run((context) -> {
			assertThat(context).getBean(DatabaseConnectionMetrics.class).isSameAs(metrics);
			context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("databases.connections.acquire")
				.tags("name", "custom", "app", "test")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void activeGaugeShouldCountConnectionsInUse() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Connection connection = Mono.from(context.getBean(ConnectionFactory.class).create()).block();
			assertThat(registry.get("databases.connections.active").gauge().value()).isEqualTo(1);
			Mono.from(connection.close()).block();
			assertThat(registry.get("databases.connections.active").gauge().value()).isZero();
		});
	}

	@Test
	void runWithoutMicrometerShouldNotBindMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
					DatabasePoolMetricsAutoConfiguration.class))
			.withPropertyValues("databases.url=h2:mem:///boot_metrics_filtered")
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DatabasePoolMetrics.class);
				assertThat(context).doesNotHaveBean(DatabaseConnectionMetrics.class);
				assertThat(context).doesNotHaveBean(DatabaseListener.class);
				assertThat(context.getBean(ConnectionFactory.class))
					.isSameAs(context.getBean(Database.class).connectionFactory());
				assertThat(context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block()).isEqualTo(1);
			});
	}

	@Test
	void runWithoutRegistryShouldNotBindMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
					DatabasePoolMetricsAutoConfiguration.class))
			.withPropertyValues("databases.url=h2:mem:///boot_metrics_none")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DatabasePoolMetrics.class);
				assertThat(context).doesNotHaveBean(DatabaseConnectionMetrics.class);
			});
	}

	@Test
	void userRegistryShouldBeUsed() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
					DatabasePoolMetricsAutoConfiguration.class))
			.withPropertyValues("databases.url=h2:mem:///boot_metrics_user")
			.withBean(MeterRegistry.class, () -> registry)
			.run((context) -> {
				assertThat(context).hasSingleBean(DatabasePoolMetrics.class);
				assertThat(context).hasSingleBean(DatabaseConnectionMetrics.class);
				context.getBean(DatabasePoolMetrics.class).bindTo(registry);
				context.getBean(DatabaseConnectionMetrics.class).bindTo(registry);
				assertThat(registry.get("databases.connections.max").gauge().value()).isEqualTo(10);
				context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block();
				assertThat(registry.get("databases.connections.usage").timer().count()).isEqualTo(1);
			});
	}

}

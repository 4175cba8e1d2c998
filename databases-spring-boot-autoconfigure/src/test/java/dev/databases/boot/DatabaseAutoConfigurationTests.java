package dev.databases.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import dev.databases.Database;
import dev.databases.DatabaseListener;
import dev.databases.DatabaseURL;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.core.Ordered;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseAutoConfiguration}.
 */
class DatabaseAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class, R2dbcAutoConfiguration.class,
				R2dbcTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				SslAutoConfiguration.class));

	private static String h2() {
		return "h2:mem:///boot_" + UUID.randomUUID().toString().replace("-", "");
	}

	@Test
	void runWithoutUrlShouldNotCreateDatabase() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(Database.class);
			assertThat(context).doesNotHaveBean(DatabaseLifecycle.class);
			assertThat(context).doesNotHaveBean(DatabaseConnectionDetails.class);
		});
	}

	@Test
	void runWithUrlShouldCreateConnectedDatabase() {
		String url = h2();
		this.contextRunner.withPropertyValues("databases.url=" + url).run((context) -> {
			assertThat(context).hasSingleBean(Database.class);
			assertThat(context).hasSingleBean(DatabaseLifecycle.class);
			Database database = context.getBean(Database.class);
			assertThat(database.url()).hasToString(url);
			assertThat(database.isConnected()).isTrue();
			assertThat(database.fetchVal("SELECT 40 + 2", Integer.class).block()).isEqualTo(42);
		});
	}

	@Test
	void closeShouldDisconnectDatabase() {
		Database[] database = new Database[1];
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.run((context) -> database[0] = context.getBean(Database.class));
		assertThat(database[0].isConnected()).isFalse();
	}

	@Test
	void runWithUrlShouldExposeThePoolAsTheOnlyConnectionFactory() {
		this.contextRunner.withPropertyValues("databases.url=" + h2()).run((context) -> {
			assertThat(context).hasSingleBean(ConnectionFactory.class);
			ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
			assertThat(connectionFactory).isSameAs(context.getBean(Database.class).connectionFactory());
			assertThat(connectionFactory).isNotInstanceOf(ConnectionPool.class);
		});
	}

	@Test
	void runWithUrlShouldLetSpringDataAccessShareThePool() {
		this.contextRunner.withPropertyValues("databases.url=" + h2()).run((context) -> {
			Database database = context.getBean(Database.class);
			assertThat(context).hasSingleBean(DatabaseClient.class);
			assertThat(context).hasSingleBean(R2dbcTransactionManager.class);
			assertThat(context.getBean(R2dbcTransactionManager.class).getConnectionFactory())
				.isSameAs(database.connectionFactory());
			database.execute("CREATE TABLE boot_shared (id INTEGER PRIMARY KEY)").block();
			DatabaseClient client = context.getBean(DatabaseClient.class);
			TransactionalOperator transactional = context.getBean(TransactionalOperator.class);
			client.sql("INSERT INTO boot_shared (id) VALUES (1)").then().as(transactional::transactional).block();
			assertThat(database.fetchVal("SELECT COUNT(*) FROM boot_shared", Long.class).block()).isEqualTo(1);
		});
	}

	@Test
	void aMisspelledOptionShouldFailTheStartupNamingThePropertyAndTheNearestName() {
		this.contextRunner.withPropertyValues("databases.url=" + h2(), "databases.options.max_sise=5")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (failure != null && !(failure instanceof DatabaseConfigurationException)) {
					failure = failure.getCause();
				}
				assertThat(failure).isInstanceOf(DatabaseConfigurationException.class)
					.hasMessageContaining("databases.options.max_sise")
					.hasMessageContaining("did you mean max_size?");
			});
		this.contextRunner.withPropertyValues("databases.url=" + h2() + "?max_sise=5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("did you mean max_size?");
		});
	}

	@Test
	void poolPropertiesShouldBecomeOptionsThatWinOverTheUrl() {
		this.contextRunner
			.withPropertyValues("databases.url=" + h2() + "?max_size=4&min_size=2", "databases.pool.max-size=7",
					"databases.pool.acquire-timeout=2s", "databases.options.MODE=PostgreSQL")
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(database.url().options()).containsEntry("max_size", "7")
					.containsEntry("min_size", "2")
					.containsEntry("acquire_timeout", "PT2S")
					.containsEntry("MODE", "PostgreSQL");
				assertThat(database.poolMetrics()).hasValueSatisfying(
						(metrics) -> assertThat(metrics.getMaxAllocatedSize()).isEqualTo(7));
			});
	}

	@Test
	void forceRollbackPropertyShouldRollBackOnDisconnect() {
		String url = h2();
		this.contextRunner.withPropertyValues("databases.url=" + url, "databases.force-rollback=true")
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(database).hasToString("Database[" + url + ", forceRollback]");
			});
	}

	@Test
	void sslDisabledShouldSetTheSslOption() {
		this.contextRunner.withPropertyValues("databases.url=" + h2(), "databases.ssl.enabled=false")
			.run((context) -> assertThat(context.getBean(Database.class).url().options()).containsEntry("ssl",
					"disable"));
	}

	@Test
	void springR2dbcUrlShouldBeUsedWithoutDatabasesUrl() {
		this.contextRunner
			.withPropertyValues("spring.r2dbc.url=r2dbc:h2:mem:///boot_r2dbc_" + UUID.randomUUID().toString().replace("-", ""),
					"spring.r2dbc.username=sa", "spring.r2dbc.password=secret", "spring.r2dbc.properties.MODE=MySQL")
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(database.url().username()).isEqualTo("sa");
				assertThat(database.url().password()).isEqualTo("secret");
				assertThat(database.url().options()).containsEntry("MODE", "MySQL");
				assertThat(context.getBean(ConnectionFactory.class)).isSameAs(database.connectionFactory());
				assertThat(database.isConnected()).isTrue();
			});
	}

	@Test
	void databasesUrlShouldWinOverSpringR2dbcUrl() {
		String url = h2();
		this.contextRunner.withPropertyValues("databases.url=" + url, "spring.r2dbc.url=r2dbc:h2:mem:///other")
			.run((context) -> assertThat(context.getBean(Database.class).url()).hasToString(url));
	}

	@Test
	void r2dbcConnectionDetailsBeanShouldWinOverProperties() {
		String name = "boot_details_" + UUID.randomUUID().toString().replace("-", "");
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(R2dbcConnectionDetails.class,
					() -> () -> ConnectionFactoryOptions.parse("r2dbc:h2:mem:///" + name))
			.run((context) -> {
				assertThat(context).hasSingleBean(DatabaseConnectionDetails.class);
				Database database = context.getBean(Database.class);
				assertThat(database.url()).hasToString("h2:mem:///" + name);
				assertThat(database.isConnected()).isTrue();
			});
	}

	@Test
	@EnabledIf("dev.databases.boot.BootTestDatabases#shouldRunPostgresql")
	void theDocumentedApplicationNameShouldReachPostgresql() {
		this.contextRunner
			.withPropertyValues("databases.url=" + BootTestDatabases.require("postgresql"),
					"databases.options.application_name=notes")
			.run((context) -> assertThat(context.getBean(Database.class)
				.fetchVal("SELECT current_setting('application_name')", String.class)
				.block()).isEqualTo("notes"));
	}

	@Test
	@EnabledIf("dev.databases.boot.BootTestDatabases#shouldRunPostgresql")
	void r2dbcConnectionDetailsOptionsShouldReachTheServer() {
		// As a Testcontainers @ServiceConnection bean would hand them over, plus a driver option.
		ConnectionFactoryOptions options = ConnectionFactoryOptions
			.parse(DatabaseURL.parse(BootTestDatabases.require("postgresql")).toR2dbcUrl())
			.mutate()
			.option(Option.valueOf("applicationName"), "boot-details-app")
			.build();
		this.contextRunner.withBean(R2dbcConnectionDetails.class, () -> () -> options).run((context) -> {
			Database database = context.getBean(Database.class);
			assertThat(database.fetchVal("SELECT current_setting('application_name')", String.class).block())
				.isEqualTo("boot-details-app");
		});
	}

	@Test
	void userDatabaseShouldWin() {
		Database user = new Database(h2());
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(Database.class, () -> user)
			.run((context) -> {
				assertThat(context).getBean(Database.class).isSameAs(user);
				assertThat(context.getBean(ConnectionFactory.class)).isSameAs(user.connectionFactory());
				assertThat(user.isConnected()).isTrue();
			});
	}

	@Test
	void userConnectionDetailsShouldWin() {
		String url = h2();
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(DatabaseConnectionDetails.class, () -> () -> dev.databases.DatabaseURL.parse(url))
			.run((context) -> assertThat(context.getBean(Database.class).url()).hasToString(url));
	}

	@Test
	void userConnectionFactoryShouldWin() {
		ConnectionFactory user = io.r2dbc.spi.ConnectionFactories.get("r2dbc:h2:mem:///boot_user_factory");
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean("userConnectionFactory", ConnectionFactory.class, () -> user)
			.run((context) -> {
				assertThat(context).hasSingleBean(Database.class);
				assertThat(context).getBean(ConnectionFactory.class).isSameAs(user);
			});
	}

	@Test
	void userLifecycleShouldWin() {
		DatabaseLifecycle user = new DatabaseLifecycle(List.of());
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(DatabaseLifecycle.class, () -> user)
			.run((context) -> {
				assertThat(context).getBean(DatabaseLifecycle.class).isSameAs(user);
				assertThat(context.getBean(Database.class).isConnected()).isFalse();
			});
	}

	@Test
	void builderCustomizersShouldRunInOrder() {
		this.contextRunner.withPropertyValues("databases.url=" + h2(), "databases.pool.max-size=9")
			.withBean("first", DatabaseBuilderCustomizer.class, () -> (builder) -> builder.option("max_size", 3))
			.run((context) -> assertThat(context.getBean(Database.class).url().options()).containsEntry("max_size",
					"3"));
	}

	@Test
	void databaseListenerBeansShouldHearTheDatabasesWorkInOrder() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean("second", DatabaseListener.class, () -> new OrderedListener(2, "second", events))
			.withBean("first", DatabaseListener.class, () -> new OrderedListener(1, "first", events))
			.run((context) -> {
				events.clear();
				context.getBean(Database.class)
					.fetchVal("SELECT :n + 1", Map.of("n", 41), Integer.class)
					.block();
				assertThat(events).containsExactly("first acquired", "second acquired", "first SELECT :n + 1",
						"second SELECT :n + 1", "first released", "second released");
			});
	}

	@Test
	void builderCustomizerShouldBeAbleToReplaceTheListener() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(DatabaseListener.class, () -> new OrderedListener(1, "bean", events))
			.withBean(DatabaseBuilderCustomizer.class,
					() -> (builder) -> builder.listener(new OrderedListener(1, "customizer", events)))
			.run((context) -> {
				context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block();
				assertThat(events).isNotEmpty().allSatisfy((event) -> assertThat(event).startsWith("customizer"));
			});
	}

	@Test
	void databaseListenerBeanShouldHearTheConnectionsOfDatabaseClientQueries() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(DatabaseListener.class, () -> new OrderedListener(1, "listener", events))
			.run((context) -> {
				events.clear();
				Integer one = context.getBean(DatabaseClient.class)
					.sql("SELECT 1")
					.map((row) -> row.get(0, Integer.class))
					.one()
					.block();
				assertThat(one).isEqualTo(1);
				assertThat(events).containsExactly("listener acquired", "listener released");
			});
	}

	@Test
	void databaseListenerBeanShouldHearASpringTransactionsConnectionOnce() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(DatabaseListener.class, () -> new OrderedListener(1, "listener", events))
			.run((context) -> {
				Database database = context.getBean(Database.class);
				DatabaseClient client = context.getBean(DatabaseClient.class);
				TransactionalOperator transactional = context.getBean(TransactionalOperator.class);
				events.clear();
				client.sql("SELECT 1")
					.fetch()
					.rowsUpdated()
					.then(database.fetchVal("SELECT 2", Integer.class))
					.as(transactional::transactional)
					.block();
				// The Database joined the transaction's connection instead of borrowing one.
				assertThat(events).containsExactly("listener acquired", "listener SELECT 2", "listener released");
			});
	}

	@Test
	void leakDetectionThresholdShouldNotWrapTheConnectionFactory() {
		this.contextRunner.withPropertyValues("databases.url=" + h2(), "databases.pool.leak-detection-threshold=5s")
			.run((context) -> assertThat(context.getBean(ConnectionFactory.class))
				.isSameAs(context.getBean(Database.class).connectionFactory()));
	}

	@Test
	void runWithoutSpringBootR2dbcShouldStillUseDatabasesUrl() {
		String url = h2();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.r2dbc"))
			.withPropertyValues("databases.url=" + url)
			.run((context) -> {
				assertThat(context).hasSingleBean(Database.class);
				assertThat(context).hasSingleBean(ConnectionFactory.class);
				assertThat(context.getBean(Database.class).url()).hasToString(url);
			});
	}

	@Test
	void runWithSpringBootJdbcShouldNotCreateADataSource() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, DatabaseAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasSingleBean(DataSource.class));
		runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.r2dbc"))
			.withPropertyValues("databases.url=" + h2())
			.run((context) -> {
				assertThat(context).hasSingleBean(Database.class);
				assertThat(context).doesNotHaveBean(DataSource.class);
			});
	}

	@Test
	void runWithoutDatabasesCoreShouldBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Database.class))
			.withPropertyValues("databases.url=" + h2())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DatabaseLifecycle.class);
				assertThat(context).doesNotHaveBean(DatabaseConnectionDetails.class);
			});
	}

	@Test
	void unsupportedR2dbcDriverShouldFailWithConfigurationException() {
		this.contextRunner
			.withBean(R2dbcConnectionDetails.class,
					() -> () -> ConnectionFactoryOptions.parse("r2dbc:mssql://sa:hidden@localhost/db"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(DatabaseConfigurationException.class)
					.hasMessageContaining("mssql")
					.hasMessageNotContaining("hidden");
			});
	}

	private record OrderedListener(int order, String name, List<String> events) implements DatabaseListener, Ordered {

		@Override
		public Object connectionAcquired(Duration waited) {
			this.events.add(this.name + " acquired");
			return this.name;
		}

		@Override
		public void connectionReleased(@Nullable Object context, Duration held) {
			this.events.add(context + " released");
		}

		@Override
		public void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
			this.events.add(this.name + " " + sql);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}

package dev.databases.boot.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.databases.Database;
import dev.databases.DatabaseException;
import dev.databases.DatabaseListener;
import dev.databases.boot.DatabaseAutoConfiguration;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseObservationAutoConfiguration}: statements run through the
 * Database observed and timed, with and without Micrometer metrics and the Observation API.
 */
class DatabaseObservationAutoConfigurationTests {

	private final RecordingHandler recorded = new RecordingHandler();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
				DatabaseObservationAutoConfiguration.class, ObservationAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("databases.url=" + h2())
		.withBean(RecordingHandler.class, () -> this.recorded);

	private static String h2() {
		return "h2:mem:///boot_observation_" + UUID.randomUUID().toString().replace("-", "");
	}

	@Test
	void queryThroughTheDatabaseShouldBeObservedAndTimedWithItsTags() {
		this.contextRunner.run((context) -> {
			Database database = context.getBean(Database.class);
			String sql = "SELECT CAST(:n AS INTEGER) AS answer";
			assertThat(database.fetchVal(sql, Map.of("n", 42), Integer.class).block()).isEqualTo(42);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Timer timer = registry.get("databases.query")
				.tags("name", "database", "db.operation", "SELECT", "db.query.text", sql, "error", "none")
				.timer();
			assertThat(timer.count()).isEqualTo(1);
			assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
			// Micrometer's default handler would have made this one too, and timed from start to stop.
			assertThat(registry.find("databases.query.active").longTaskTimer()).isNull();
			DatabaseQueryObservationContext observed = this.recorded.only(sql);
			assertThat(observed.getName()).isEqualTo("databases.query");
			assertThat(observed.getContextualName()).isEqualTo("SELECT");
			assertThat(observed.getDatabaseName()).isEqualTo("database");
			assertThat(observed.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(KeyValue.of("name", "database"),
					KeyValue.of("db.operation", "SELECT"), KeyValue.of("db.query.text", sql));
			assertThat(observed.getHighCardinalityKeyValues()).isEmpty();
			assertThat(observed.getError()).isNull();
		});
	}

	@Test
	void failedQueryShouldBeTaggedWithItsError() {
		this.contextRunner.run((context) -> {
			Database database = context.getBean(Database.class);
			String sql = "SELECT no_such_column FROM no_such_table";
			Throwable error = database.fetchVal(sql, Integer.class)
				.map((ignored) -> (Throwable) new AssertionError("no error"))
				.onErrorResume(Mono::just)
				.block();
			assertThat(error).isInstanceOf(DatabaseException.class);
			assertThat(this.recorded.only(sql).getError()).isSameAs(error);
			assertThat(context.getBean(MeterRegistry.class)
				.get("databases.query")
				.tags("db.query.text", sql, "error", error.getClass().getSimpleName())
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void queryShouldBeTimedByTheDurationTheDatabaseMeasured() {
		this.contextRunner.run((context) -> {
			context.getBean(DatabaseQueryObservationListener.class)
				.queryCompleted("SELECT text FROM notes WHERE id = :id", Duration.ofMillis(250), null);
			Timer timer = context.getBean(MeterRegistry.class)
				.get("databases.query")
				.tag("db.query.text", "SELECT text FROM notes WHERE id = :id")
				.timer();
			assertThat(timer.count()).isEqualTo(1);
			assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
		});
	}

	@Test
	void longSqlShouldBeHighCardinalityOnlyAndSqlWithLiteralsNeverShown() {
		this.contextRunner.run((context) -> {
			DatabaseListener listener = context.getBean(DatabaseQueryObservationListener.class);
			String longSql = "SELECT " + "a_column, ".repeat(25) + "id FROM notes WHERE id = :id";
			String literal = "SELECT id FROM users WHERE email = 'bob@example.com'";
			listener.queryCompleted(longSql, Duration.ofMillis(1), null);
			listener.queryCompleted(literal, Duration.ofMillis(1), null);
			DatabaseQueryObservationContext longOne = this.recorded.only(longSql);
			assertThat(longOne.getLowCardinalityKeyValue("db.query.text").getValue()).isEqualTo("none");
			assertThat(longOne.getHighCardinalityKeyValue("db.query.text").getValue()).isEqualTo(longSql);
			assertThat(longOne.getAllKeyValues()).contains(KeyValue.of("db.query.text", longSql));
			DatabaseQueryObservationContext literalOne = this.recorded.only(literal);
			assertThat(literalOne.getAllKeyValues()).contains(KeyValue.of("db.query.text", "none"))
				.noneSatisfy((keyValue) -> assertThat(keyValue.getValue()).contains("bob"));
			assertThat(context.getBean(MeterRegistry.class).get("databases.query").timers())
				.allSatisfy((timer) -> assertThat(timer.getId().getTag("db.query.text")).isEqualTo("none"));
		});
	}

	@Test
	void userConventionShouldBeUsed() {
		DatabaseQueryObservationConvention convention = new DatabaseQueryObservationConvention() {

			@Override
			public String getName() {
				return "app.sql";
			}

		};
		this.contextRunner.withBean(DatabaseQueryObservationConvention.class, () -> convention).run((context) -> {
			context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block();
			assertThat(context.getBean(MeterRegistry.class).get("app.sql").timer().count()).isEqualTo(1);
			assertThat(context.getBean(MeterRegistry.class).find("databases.query").timer()).isNull();
		});
	}

	@Test
	void userListenerShouldWin() {
		DatabaseQueryObservationListener listener = new DatabaseQueryObservationListener(ObservationRegistry.NOOP,
				"mine", null);
		this.contextRunner.withBean(DatabaseQueryObservationListener.class, () -> listener).run((context) -> {
			assertThat(context).getBean(DatabaseQueryObservationListener.class).isSameAs(listener);
			context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block();
			assertThat(this.recorded.contexts).isEmpty();
		});
	}

	@Test
	void observationDisabledByPropertyShouldNotBeTimed() {
		this.contextRunner.withPropertyValues("management.observations.enable.databases.query=false")
			.run((context) -> {
				context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block();
				assertThat(this.recorded.contexts).isEmpty();
				assertThat(context.getBean(MeterRegistry.class).find("databases.query").timer()).isNull();
			});
	}

	@Test
	void runWithoutMicrometerMetricsShouldObserveWithoutTheMeterHandler() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
					DatabaseObservationAutoConfiguration.class, ObservationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withPropertyValues("databases.url=" + h2())
			.withBean(RecordingHandler.class, () -> this.recorded)
			.run((context) -> {
				assertThat(context).hasSingleBean(DatabaseQueryObservationListener.class);
				assertThat(context).doesNotHaveBean(DatabaseQueryMeterObservationHandler.class);
				context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block();
				assertThat(this.recorded.only("SELECT 1").getContextualName()).isEqualTo("SELECT");
			});
	}

	@Test
	void runWithoutObservationRegistryShouldNotObserve() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
					DatabaseObservationAutoConfiguration.class))
			.withPropertyValues("databases.url=" + h2())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DatabaseQueryObservationListener.class);
				assertThat(context).doesNotHaveBean(DatabaseQueryMeterObservationHandler.class);
			});
	}

	@Test
	void runWithoutTheObservationApiShouldNotObserve() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
					DatabaseObservationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.withPropertyValues("databases.url=" + h2())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DatabaseQueryObservationListener.class);
				assertThat(context.getBean(Database.class).fetchVal("SELECT 1", Integer.class).block()).isEqualTo(1);
			});
	}

	/** Keeps the statement observations, as a tracing handler would see them. */
	static final class RecordingHandler implements ObservationHandler<Observation.Context> {

		final List<DatabaseQueryObservationContext> contexts = new CopyOnWriteArrayList<>();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof DatabaseQueryObservationContext;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.contexts.add((DatabaseQueryObservationContext) context);
		}

		DatabaseQueryObservationContext only(String sql) {
			return this.contexts.stream()
				.filter((context) -> context.getSql().equals(sql))
				.reduce((first, second) -> {
					throw new AssertionError("more than one observation of " + sql);
				})
				.orElseThrow(() -> new AssertionError("no observation of " + sql + " in " + this.contexts));
		}

	}

}

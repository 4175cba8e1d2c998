package dev.databases.boot.health;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.metrics.DatabasePoolMetricsAutoConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseHealthContributorAutoConfiguration} and
 * {@link DatabaseHealthIndicator}.
 */
class DatabaseHealthContributorAutoConfigurationTests {

	private static final String GAUGES = "databases.connections.";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
				DatabaseHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class))
		.withPropertyValues(
				"databases.url=h2:mem:///boot_health_" + UUID.randomUUID().toString().replace("-", "") + "?max_size=3");

	@Test
	void runShouldCreateIndicatorThatReportsUpWithPoolFigures() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("databasesHealthContributor");
			ReactiveHealthContributor contributor = context.getBean("databasesHealthContributor",
					ReactiveHealthContributor.class);
			assertThat(contributor).isInstanceOf(DatabaseHealthIndicator.class);
			Health health = ((DatabaseHealthIndicator) contributor).health().block();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("database", "h2")
				.containsEntry("validationQuery", "SELECT 1")
				.containsKey("pool");
			@SuppressWarnings("unchecked")
			Map<String, Object> pool = (Map<String, Object>) health.getDetails().get("pool");
			assertThat(pool).containsEntry("max", 3).containsKeys("active", "idle", "pending", "total");
		});
	}

	@Test
	void poolDetailsShouldBeNamedAsTheConnectionGauges() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(DatabasePoolMetricsAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				Health health = context.getBean("databasesHealthContributor", DatabaseHealthIndicator.class)
					.health()
					.block();
				@SuppressWarnings("unchecked")
				Map<String, Object> pool = (Map<String, Object>) health.getDetails().get("pool");
				Set<String> poolGauges = context.getBean(MeterRegistry.class)
					.getMeters()
					.stream()
					.filter((meter) -> meter.getId().getType() == Meter.Type.GAUGE)
					.map((meter) -> meter.getId().getName())
					.filter((name) -> name.startsWith(GAUGES))
					.map((name) -> name.substring(GAUGES.length()))
					.collect(Collectors.toSet());
				assertThat(pool.keySet()).containsExactlyInAnyOrderElementsOf(poolGauges);
			});
	}

	@Test
	void indicatorShouldReportDownWhenDisconnected() {
		this.contextRunner.run((context) -> {
			Database database = context.getBean(Database.class);
			database.disconnect().block();
			Health health = new DatabaseHealthIndicator(database).health().block();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("error", "not connected");
		});
	}

	@Test
	void indicatorShouldNeverShowThePassword() {
		Database database = new Database("postgresql://app:n0tshown@localhost:1/app");
		Health health = new DatabaseHealthIndicator(database).health().block();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().toString()).doesNotContain("n0tshown").contains("********");
	}

	@Test
	void runWhenDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("management.health.databases.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("databasesHealthContributor"));
	}

	@Test
	void runWithoutActuatorHealthShouldNotCreateIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ConditionalOnEnabledHealthIndicator.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(Database.class);
				assertThat(context).doesNotHaveBean(DatabaseHealthIndicator.class);
			});
	}

	@Test
	void runWithUserIndicatorShouldBackOff() {
		this.contextRunner
			.withBean("databasesHealthIndicator", DatabaseHealthIndicator.class,
					() -> new DatabaseHealthIndicator(new Database("h2:mem:///boot_user_health")))
			.run((context) -> assertThat(context).doesNotHaveBean("databasesHealthContributor"));
	}

}

package dev.databases.boot;

import java.util.Map;
import java.util.UUID;

import dev.databases.Database;
import dev.databases.ReplicaStatus;
import dev.databases.TransactionOptions;
import dev.databases.boot.health.DatabaseHealthContributorAutoConfiguration;
import dev.databases.boot.health.DatabaseHealthIndicator;
import dev.databases.boot.metrics.DatabasePoolMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributors;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code databases.replicas[*]} mapped onto {@code Database.Builder.replica}, with the health
 * component and pool gauges of each server, on two H2 databases in memory that each know
 * their name.
 */
class DatabaseReplicasTests {

	private static final String WHO = "SELECT name FROM server";

	private final String primaryUrl = "h2:mem:///boot_primary_" + unique();

	private final String replicaUrl = "h2:mem:///boot_replica_" + unique();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
				DatabaseHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				DatabasePoolMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("databases.url=" + this.primaryUrl, "databases.pool.max-size=3");

	private Database primary;

	private Database replica;

	@BeforeEach
	void servers() {
		this.primary = named(this.primaryUrl, "primary");
		this.replica = named(this.replicaUrl, "replica");
	}

	@AfterEach
	void disconnect() {
		this.primary.disconnect().block();
		this.replica.disconnect().block();
	}

	@Test
	void readsGoToTheReplicaWithItsOwnPoolSettings() {
		this.contextRunner
			.withPropertyValues("databases.replicas[0].url=" + this.replicaUrl, "databases.replicas[0].pool.max-size=7")
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(database.fetchVal(WHO, String.class).block()).isEqualTo("replica");
				assertThat(database.transaction(TransactionOptions.defaults().readOnly(true),
						(tx) -> database.fetchVal(WHO, String.class)).block()).isEqualTo("replica");
				assertThat(database.transaction((tx) -> database.fetchVal(WHO, String.class)).block())
					.isEqualTo("primary");
				ReplicaStatus status = database.replicas().get(0);
				assertThat(status.poolMetrics().orElseThrow().getMaxAllocatedSize()).isEqualTo(7);
				assertThat(database.poolMetrics().orElseThrow().getMaxAllocatedSize()).isEqualTo(3);
			});
	}

	@Test
	void aReplicaWithoutPoolSettingsHasThePrimarysAndReplicaOptionsComeThroughDatabasesOptions() {
		this.contextRunner
			.withPropertyValues("databases.replicas[0].url=" + this.replicaUrl,
					"databases.options.max_replica_lag=2s")
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(database.fetchVal(WHO, String.class).block()).isEqualTo("replica");
				assertThat(database.replicas().get(0).poolMetrics().orElseThrow().getMaxAllocatedSize()).isEqualTo(3);
				assertThat(database.url().options()).containsEntry("max_replica_lag", "2s");
			});
	}

	@Test
	void eachServerHasItsHealthComponentAndItsTaggedPoolGauges() {
		this.contextRunner
			.withPropertyValues("databases.replicas[0].url=" + this.replicaUrl, "databases.replicas[0].pool.max-size=7")
			.run((context) -> {
				CompositeReactiveHealthContributor servers = context.getBean("databasesHealthContributor",
						CompositeReactiveHealthContributor.class);
				assertThat(servers.stream().map(ReactiveHealthContributors.Entry::name)).containsExactly("primary",
						"replica-0");
				Health primary = health(servers, "primary");
				assertThat(primary.getStatus()).isEqualTo(Status.UP);
				assertThat(primary.getDetails()).containsEntry("url", this.primaryUrl + "?max_size=3")
					.containsKey("pool");
				Health replica = health(servers, "replica-0");
				assertThat(replica.getStatus()).isEqualTo(Status.UP);
				assertThat(replica.getDetails()).containsEntry("state", "serving")
					.containsEntry("url", this.replicaUrl + "?max_size=7");
				@SuppressWarnings("unchecked")
				Map<String, Object> pool = (Map<String, Object>) replica.getDetails().get("pool");
				assertThat(pool).containsEntry("max", 7);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("databases.connections.max").tag("server", "primary").gauge().value())
					.isEqualTo(3);
				assertThat(registry.get("databases.connections.max").tag("server", "replica-0").gauge().value())
					.isEqualTo(7);
			});
	}

	@Test
	void aReplicaThatIsOutIsDownInItsOwnComponentWhileThePrimaryIsUpAndAnswers() {
		// A file no one may create: the replica is out from the start, and reads go elsewhere.
		String unwritable = "h2:file:////proc/databases_no_such_dir/replica";
		this.contextRunner
			.withPropertyValues("databases.replicas[0].url=" + this.replicaUrl, "databases.replicas[1].url=" + unwritable)
			.run((context) -> {
				CompositeReactiveHealthContributor servers = context.getBean("databasesHealthContributor",
						CompositeReactiveHealthContributor.class);
				assertThat(health(servers, "primary").getStatus()).isEqualTo(Status.UP);
				assertThat(health(servers, "replica-0").getStatus()).isEqualTo(Status.UP);
				Health out = health(servers, "replica-1");
				assertThat(out.getStatus()).isEqualTo(Status.DOWN);
				assertThat(out.getDetails()).containsEntry("url", unwritable + "?max_size=3");
				assertThat((String) out.getDetails().get("state")).startsWith("out: ");
				Database database = context.getBean(Database.class);
				for (int i = 0; i < 4; i++) {
					assertThat(database.fetchVal(WHO, String.class).block()).isIn("replica", "primary");
				}
			});
	}

	@Test
	void withoutReplicasTheGaugesHaveNoServerTag() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("databases.connections.max").gauge().getId().getTag("server")).isNull();
			assertThat(context.getBean("databasesHealthContributor")).isInstanceOf(DatabaseHealthIndicator.class);
		});
	}

	@Test
	void aMisspeltReplicaPropertyFailsTheStartupNamingIt() {
		this.contextRunner
			.withPropertyValues("databases.replicas[0].url=" + this.replicaUrl, "databases.replicas[0].pool.max-sise=7")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("databases.replicas[0].pool.max-sise");
				assertThat(new UnknownDatabasePropertyFailureAnalyzer().analyze(context.getStartupFailure())
					.getDescription()).contains("did you mean databases.replicas[0].pool.max-size?");
			});
	}

	@Test
	void aReplicaWithoutUrlFailsTheStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("databases.replicas[0].pool.max-size=7").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("databases.replicas[0].url")
				.hasMessageContaining("no URL");
		});
	}

	private static Health health(CompositeReactiveHealthContributor servers, String name) {
		return ((ReactiveHealthIndicator) servers.getContributor(name)).health().block();
	}

	/** A database that says who it is. */
	private static Database named(String url, String name) {
		Database db = new Database(url);
		db.connect()
			.then(db.execute("CREATE TABLE server (name VARCHAR(20))"))
			.then(db.execute("INSERT INTO server VALUES (:name)", Map.of("name", name)))
			.block();
		return db;
	}

	private static String unique() {
		return UUID.randomUUID().toString().replace("-", "");
	}

}

package dev.databases.boot.flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.databases.Database;
import dev.databases.boot.BootTestDatabases;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.DatabaseConfigurationException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseMigrationsAutoConfiguration}: the scripts in
 * {@code db/migration} create {@code boot_notes} on every backend.
 */
class DatabaseMigrationsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DatabaseAutoConfiguration.class, DatabaseMigrationsAutoConfiguration.class))
		.withBean(DatabaseMigrationsCustomizer.class, () -> (configuration) -> configuration.table("boot_flyway_history"));

	/** Without the customizer, so that the properties decide the history table. */
	private final ApplicationContextRunner propertiesRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DatabaseAutoConfiguration.class, DatabaseMigrationsAutoConfiguration.class));

	private static String h2() {
		return "h2:mem:///boot_migrations_" + UUID.randomUUID().toString().replace("-", "");
	}

	@Test
	void runWithH2ShouldMigrateBeforeConnecting() {
		this.contextRunner.withPropertyValues("databases.url=" + h2()).run((context) -> {
			assertThat(context).hasSingleBean(DatabaseMigrations.class);
			assertMigrated(context.getBean(Database.class));
			assertThat(context.getBean(DatabaseMigrations.class).lastResult().migrationsExecuted).isEqualTo(1);
		});
	}

	@Test
	void runWithSqliteFileShouldMigrate() throws Exception {
		Path file = Path.of("target", "boot-migrations-" + UUID.randomUUID() + ".db");
		Files.deleteIfExists(file);
		this.contextRunner.withPropertyValues("databases.url=sqlite:///" + file).run((context) -> {
			assertThat(context).hasNotFailed();
			assertMigrated(context.getBean(Database.class));
		});
		Files.deleteIfExists(file);
	}

	@Test
	void runWithSqliteInMemoryShouldFailWithAnExplanation() {
		this.contextRunner.withPropertyValues("databases.url=sqlite://").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(DatabaseConfigurationException.class)
				.hasMessageContaining("in-memory SQLite");
		});
	}

	@Test
	@EnabledIf("dev.databases.boot.BootTestDatabases#shouldRunPostgresql")
	void runWithPostgresqlShouldMigrate() {
		this.contextRunner.withPropertyValues("databases.url=" + BootTestDatabases.require("postgresql"))
			.run((context) -> assertMigrated(context.getBean(Database.class)));
	}

	@Test
	@EnabledIf("dev.databases.boot.BootTestDatabases#shouldRunMysql")
	void runWithMariadbShouldMigrate() {
		this.contextRunner.withPropertyValues("databases.url=" + BootTestDatabases.require("mysql"))
			.run((context) -> assertMigrated(context.getBean(Database.class)));
	}

	@Test
	void runWhenDisabledShouldNotMigrate() {
		this.contextRunner.withPropertyValues("databases.url=" + h2(), "databases.migrations.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DatabaseMigrations.class);
				assertThat(context.getBean(Database.class)
					.fetchVal("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'BOOT_NOTES'",
							Long.class)
					.block()).isZero();
			});
	}

	@Test
	void runWhenSpringFlywayDisabledShouldNotMigrate() {
		this.contextRunner.withPropertyValues("databases.url=" + h2(), "spring.flyway.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DatabaseMigrations.class));
	}

	@Test
	void runWhenDatabasesMigrationsEnabledShouldWinOverSpringFlyway() {
		this.contextRunner
			.withPropertyValues("databases.url=" + h2(), "databases.migrations.enabled=true",
					"spring.flyway.enabled=false")
			.run((context) -> assertMigrated(context.getBean(Database.class)));
	}

	@Test
	void runWithVendorInLocationsShouldUseTheDatabasesFolder() {
		this.contextRunner
			.withPropertyValues("databases.url=" + h2(), "databases.migrations.locations=classpath:db/vendor/{vendor}")
			.run((context) -> assertThat(context.getBean(Database.class)
				.fetchVal("SELECT COUNT(*) FROM boot_vendor_h2", Long.class)
				.block()).isZero());
	}

	@Test
	@EnabledIf("dev.databases.boot.BootTestDatabases#shouldRunPostgresql")
	void runWithVendorInSpringFlywayLocationsShouldUseThePostgresqlFolder() {
		this.propertiesRunner
			.withPropertyValues("databases.url=" + BootTestDatabases.require("postgresql"),
					"spring.flyway.locations=classpath:db/vendor/{vendor}", "spring.flyway.table=boot_vendor_history",
					// The shared test database already holds tables: baseline below V1, as on a shared server.
					"spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0")
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(database.fetchVal("SELECT COUNT(*) FROM boot_vendor_postgresql", Long.class).block())
					.isZero();
				// The schema is shared: leave it as found, so a test that migrates an empty one still can.
				database.execute("DROP TABLE boot_vendor_postgresql").then(database.execute("DROP TABLE boot_vendor_history"))
					.block();
			});
	}

	@Test
	void runWithSpringFlywaySettingsShouldApplyThem() {
		this.propertiesRunner
			.withPropertyValues("databases.url=" + h2(), "spring.flyway.locations=classpath:db/placeholders",
					"spring.flyway.table=boot_spring_history", "spring.flyway.placeholders.table_name=boot_placeholder")
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(database.fetchVal("SELECT COUNT(*) FROM boot_placeholder", Long.class).block()).isZero();
				assertThat(database
					.fetchVal("SELECT COUNT(*) FROM \"boot_spring_history\" WHERE \"version\" = '1'", Long.class)
					.block()).isEqualTo(1);
			});
	}

	@Test
	void runWithBothShouldLetDatabasesMigrationsWin() {
		this.propertiesRunner
			.withPropertyValues("databases.url=" + h2(), "databases.migrations.table=boot_ours",
					"spring.flyway.table=boot_theirs")
			.run((context) -> {
				DatabaseMigrations migrations = context.getBean(DatabaseMigrations.class);
				assertThat(migrations.lastResult().migrationsExecuted).isEqualTo(1);
				Database database = context.getBean(Database.class);
				assertThat(database.fetchVal("SELECT COUNT(*) FROM \"boot_ours\" WHERE \"version\" = '1'", Long.class)
					.block()).isEqualTo(1);
				assertThat(database
					.fetchVal("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'boot_theirs'", Long.class)
					.block()).isZero();
			});
	}

	@Test
	void commonlyUsedSettingsShouldReachFlyway() {
		List<FluentConfiguration> seen = new ArrayList<>();
		this.propertiesRunner.withBean(DatabaseMigrationsCustomizer.class, () -> seen::add)
			.withPropertyValues("databases.url=" + h2(), "databases.migrations.table=boot_settings_history",
					"databases.migrations.baseline-on-migrate=true", "databases.migrations.baseline-version=0.5",
					"databases.migrations.schemas=PUBLIC", "databases.migrations.default-schema=PUBLIC",
					"spring.flyway.validate-on-migrate=false", "spring.flyway.clean-disabled=false",
					"spring.flyway.placeholders.owner=notes", "spring.flyway.connect-retries-interval=7",
					"databases.migrations.installed-by=boot-tests", "spring.flyway.out-of-order=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				FluentConfiguration configuration = seen.get(0);
				assertThat(configuration.getTable()).isEqualTo("boot_settings_history");
				assertThat(configuration.isBaselineOnMigrate()).isTrue();
				assertThat(configuration.getBaselineVersion()).hasToString("0.5");
				assertThat(configuration.getSchemas()).containsExactly("PUBLIC");
				assertThat(configuration.getDefaultSchema()).isEqualTo("PUBLIC");
				assertThat(configuration.isValidateOnMigrate()).isFalse();
				assertThat(configuration.isCleanDisabled()).isFalse();
				assertThat(configuration.getPlaceholders()).containsEntry("owner", "notes");
				assertThat(configuration.getConnectRetriesInterval()).isEqualTo(7);
				assertThat(configuration.getInstalledBy()).isEqualTo("boot-tests");
				assertThat(configuration.isOutOfOrder()).isTrue();
			});
	}

	@Test
	void runWithoutFlywayShouldNotMigrate() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Flyway.class))
			.withPropertyValues("databases.url=" + h2())
			.run((context) -> {
				assertThat(context).hasSingleBean(Database.class);
				assertThat(context).doesNotHaveBean(DatabaseMigrations.class);
			});
	}

	@Test
	void runWithoutJdbcDriverShouldNameTheMissingDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.postgresql.Driver"))
			.withPropertyValues("databases.url=postgresql://u:secret@localhost:1/nowhere")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(DatabaseConfigurationException.class)
					.hasMessageContaining("org.postgresql:postgresql")
					.hasMessageNotContaining("secret");
			});
	}

	@Test
	void runWithUserDatabaseShouldMigrateItsUrl() {
		Database user = new Database(h2());
		this.contextRunner.withBean(Database.class, () -> user).run((context) -> {
			assertThat(context).hasSingleBean(DatabaseMigrations.class);
			assertMigrated(user);
		});
	}

	@Test
	void runWithUserMigrationsShouldBackOff() {
		DatabaseMigrations user = new DatabaseMigrations(new Database(h2()), List.of("classpath:none"),
				(url) -> Map.of(), List.of());
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(DatabaseMigrations.class, () -> user)
			.run((context) -> assertThat(context).getBean(DatabaseMigrations.class).isSameAs(user));
	}

	@Test
	void beansThatDependOnDatabaseInitializationShouldWaitForMigrations() {
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withUserConfiguration(DependentConfiguration.class)
			.run((context) -> assertThat(context.getBeanFactory().getBeanDefinition("dependent").getDependsOn())
				.contains("databaseMigrations"));
	}

	private static void assertMigrated(Database database) {
		assertThat(database.isConnected()).isTrue();
		assertThat(database.fetchVal("SELECT COUNT(*) FROM boot_notes", Long.class).block()).isNotNull();
		// Flyway quotes the names it creates: H2 then keeps them in lower case.
		String q = database.url().dialect().equals("h2") ? "\"" : "";
		assertThat(database.fetchVal("SELECT COUNT(*) FROM " + q + "boot_flyway_history" + q + " WHERE " + q + "version"
				+ q + " = '1'", Long.class).block()).isEqualTo(1L);
	}

	@Configuration(proxyBeanMethods = false)
	static class DependentConfiguration {

		@Bean
		@DependsOnDatabaseInitialization
		String dependent() {
			return "dependent";
		}

	}

}

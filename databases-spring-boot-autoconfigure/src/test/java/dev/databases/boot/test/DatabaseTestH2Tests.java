package dev.databases.boot.test;

import dev.databases.Database;
import dev.databases.boot.DatabaseLifecycle;
import dev.databases.boot.flyway.DatabaseMigrations;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseTest @DatabaseTest} on H2 in memory.
 */
@DatabaseTest(properties = "databases.url=h2:mem:///boot_slice")
@Import(RollbackTestsBase.MigrationsConfiguration.class)
class DatabaseTestH2Tests extends RollbackTestsBase {

	@Autowired
	ApplicationContext context;

	@Test
	void sliceShouldLoadOnlyTheDatabaseBeans() {
		assertThat(this.context.getBeanNamesForType(Database.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(DatabaseLifecycle.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(DatabaseMigrations.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(DatabaseClient.class)).isEmpty();
		assertThat(this.context.getEnvironment().getProperty("databases.force-rollback")).isEqualTo("true");
		assertThat(this.db.toString()).endsWith(", forceRollback]");
	}

}

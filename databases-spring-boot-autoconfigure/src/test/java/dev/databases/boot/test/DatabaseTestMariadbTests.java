package dev.databases.boot.test;

import dev.databases.boot.BootTestDatabases;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tests for {@link DatabaseTest @DatabaseTest} on the MySQL or MariaDB server named in
 * {@code DATABASES_TEST_URLS}.
 */
@DatabaseTest
@Import(RollbackTestsBase.MigrationsConfiguration.class)
@EnabledIf(value = "dev.databases.boot.BootTestDatabases#shouldRunMysql",
		disabledReason = "no mysql or mariadb URL in DATABASES_TEST_URLS")
class DatabaseTestMariadbTests extends RollbackTestsBase {

	@DynamicPropertySource
	static void databaseUrl(DynamicPropertyRegistry registry) {
		registry.add("databases.url", () -> BootTestDatabases.require("mysql"));
	}

}

package dev.databases.boot.test;

import org.springframework.context.annotation.Import;

/**
 * Tests for {@link DatabaseTest @DatabaseTest} with the same configuration as
 * {@link DatabaseTestH2Tests}: Spring's context cache gives both the same connected
 * database, and each method still starts from an empty table.
 */
@DatabaseTest(properties = "databases.url=h2:mem:///boot_slice")
@Import(RollbackTestsBase.MigrationsConfiguration.class)
class DatabaseTestCachedContextTests extends RollbackTestsBase {

}

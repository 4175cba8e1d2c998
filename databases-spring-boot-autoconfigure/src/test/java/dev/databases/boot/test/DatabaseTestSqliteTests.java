package dev.databases.boot.test;

import org.springframework.context.annotation.Import;

/**
 * Tests for {@link DatabaseTest @DatabaseTest} on a SQLite file, through the
 * databases-r2dbc-sqlite driver and sqlite-jdbc for Flyway.
 */
@DatabaseTest(properties = "databases.url=sqlite:///target/boot-slice.db")
@Import(RollbackTestsBase.MigrationsConfiguration.class)
class DatabaseTestSqliteTests extends RollbackTestsBase {

}

package dev.databases.boot.test;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Import;

/**
 * Tests for {@link DatabaseTest @DatabaseTest} with a Testcontainers
 * {@code @ServiceConnection}: Boot turns the container into an
 * {@code R2dbcConnectionDetails} bean, which becomes the database URL.
 * <p>
 * It needs Docker, so the build leaves it out unless the Maven profile
 * {@code testcontainers} is active:
 * {@code ./mvnw -pl databases-spring-boot-autoconfigure -Ptestcontainers verify}. Then it
 * fails, rather than skips, without Docker. Without the profile,
 * {@code DatabaseAutoConfigurationTests} covers the same path with a provided
 * {@code R2dbcConnectionDetails} bean, and the other {@code DatabaseTest*Tests} run the same
 * rollback tests on servers named in {@code DATABASES_TEST_URLS}.
 */
@DatabaseTest
@Testcontainers
@Import(RollbackTestsBase.MigrationsConfiguration.class)
class DatabaseTestServiceConnectionTests extends RollbackTestsBase {

	@Container
	@ServiceConnection
	static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15-alpine");

}

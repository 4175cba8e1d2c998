package dev.databases.boot.flyway;

import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Adjusts Flyway's configuration before {@link DatabaseMigrations} runs it, for what the
 * {@code databases.migrations.*} (and {@code spring.flyway.*}) properties do not cover:
 * callbacks, Java migrations, resolvers, or values computed at startup. Customizers run in
 * their {@link org.springframework.core.annotation.Order order}, after the properties are
 * applied, so they win.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DatabaseMigrationsCustomizer {

	/**
	 * Customize the configuration.
	 * @param configuration the configuration, with the data source and locations set
	 */
	void customize(FluentConfiguration configuration);

}

package dev.databases.boot.flyway;

import java.util.Map;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.DatabaseProperties;
import dev.databases.boot.SslBundleOptions;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * that runs Flyway ({@link DatabaseMigrations}) against the {@link Database}'s URL before it
 * connects, when Flyway is on the classpath and neither {@code databases.migrations.enabled}
 * nor (when that is unset) {@code spring.flyway.enabled} is {@code false}.
 * <p>
 * The Flyway settings are {@code databases.migrations.*}; each one left unset there is read
 * from {@code spring.flyway.*} under the same name (table, baseline-on-migrate,
 * placeholders...), so what Boot users already write keeps working. {@code {vendor}} in the
 * locations is replaced by the database's vendor. {@link DatabaseMigrationsCustomizer} beans
 * adjust the rest of Flyway's configuration.
 * <p>
 * It does not need Boot's {@code FlywayAutoConfiguration}, which wants a JDBC
 * {@code DataSource} that an R2DBC application does not have: depend on
 * {@code org.flywaydb:flyway-core} (and the JDBC driver), not on
 * {@code spring-boot-starter-flyway}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DatabaseAutoConfiguration.class)
@ConditionalOnClass(Flyway.class)
@ConditionalOnSingleCandidate(Database.class)
@Conditional(OnMigrationsEnabledCondition.class)
@Import(DatabaseMigrationsAutoConfiguration.InitializationDependencyConfiguration.class)
public final class DatabaseMigrationsAutoConfiguration {

	private static final String SPRING_FLYWAY = "spring.flyway";

	@Bean
	@ConditionalOnMissingBean
	DatabaseMigrations databaseMigrations(Database database, DatabaseProperties properties, Environment environment,
			ObjectProvider<DatabaseMigrationsCustomizer> customizers, ObjectProvider<SslBundleOptions> sslBundleOptions) {
		String bundle = properties.ssl().bundle();
		SslBundleOptions ssl = sslBundleOptions.getIfAvailable();
		boolean useBundle = bundle != null && ssl != null && !Boolean.FALSE.equals(properties.ssl().enabled());
		return new DatabaseMigrations(database, settings(properties, environment),
				(url) -> useBundle ? ssl.jdbcProperties(bundle, url) : Map.of(), customizers.orderedStream().toList());
	}

	/**
	 * {@code databases.migrations.*}, with {@code spring.flyway.*} (read with the same names,
	 * so Boot users' settings apply without spring-boot-flyway) where ours are unset.
	 */
	static DatabaseProperties.Migrations settings(DatabaseProperties properties, Environment environment) {
		return Binder.get(environment)
			.bind(SPRING_FLYWAY, DatabaseProperties.Migrations.class)
			.map(properties.migrations()::orElse)
			.orElse(properties.migrations());
	}

	/**
	 * Makes beans marked {@code @DependsOnDatabaseInitialization} wait for the migrations,
	 * whichever other auto-configuration is present.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DatabaseInitializationDependencyConfigurer.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class InitializationDependencyConfiguration {

	}

}

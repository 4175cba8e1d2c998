package dev.databases.boot.flyway;

import java.util.Map;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.DatabaseProperties;
import dev.databases.boot.SslBundleOptions;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * that runs Flyway ({@link DatabaseMigrations}) against the {@link Database}'s URL before it
 * connects, when Flyway is on the classpath and {@code databases.migrations.enabled} is not
 * {@code false}.
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
@ConditionalOnBooleanProperty(name = "databases.migrations.enabled", matchIfMissing = true)
@Import(DatabaseMigrationsAutoConfiguration.InitializationDependencyConfiguration.class)
public final class DatabaseMigrationsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DatabaseMigrations databaseMigrations(Database database, DatabaseProperties properties,
			ObjectProvider<DatabaseMigrationsCustomizer> customizers, ObjectProvider<SslBundleOptions> sslBundleOptions) {
		String bundle = properties.ssl().bundle();
		SslBundleOptions ssl = sslBundleOptions.getIfAvailable();
		boolean useBundle = bundle != null && ssl != null && !Boolean.FALSE.equals(properties.ssl().enabled());
		return new DatabaseMigrations(database, properties.migrations().locations(),
				(url) -> useBundle ? ssl.jdbcProperties(bundle, url) : Map.of(), customizers.orderedStream().toList());
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

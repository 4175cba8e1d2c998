package dev.databases.boot;

import dev.databases.Database;
import dev.databases.DatabaseListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The configurations {@link DatabaseAutoConfiguration} imports, in the order their beans
 * must be registered: connection details from an {@link R2dbcConnectionDetails} bean first,
 * so they win, then from properties, then the {@link Database} that reads them.
 */
final class DatabaseConfigurations {

	private DatabaseConfigurations() {
	}

	/**
	 * Reads the URL from an {@link R2dbcConnectionDetails} bean: Testcontainers'
	 * {@code @ServiceConnection}, Docker Compose, or the user's own. It comes first, so such a
	 * bean wins over the properties, as in Boot's own R2DBC support.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(R2dbcConnectionDetails.class)
	@ConditionalOnSingleCandidate(R2dbcConnectionDetails.class)
	static class R2dbcConnectionDetailsConfiguration {

		@Bean
		@ConditionalOnMissingBean(DatabaseConnectionDetails.class)
		R2dbcDatabaseConnectionDetails r2dbcDatabaseConnectionDetails(R2dbcConnectionDetails details) {
			return new R2dbcDatabaseConnectionDetails(details);
		}

	}

	/**
	 * Reads the URL from {@code databases.url}, or else {@code spring.r2dbc.url}.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnDatabaseUrlCondition.class)
	static class PropertiesConnectionDetailsConfiguration {

		@Bean
		@ConditionalOnMissingBean(DatabaseConnectionDetails.class)
		PropertiesDatabaseConnectionDetails propertiesDatabaseConnectionDetails(DatabaseProperties properties,
				Environment environment) {
			return new PropertiesDatabaseConnectionDetails(properties, environment);
		}

	}

	/**
	 * The {@link Database}, when there are connection details, with the
	 * {@link DatabaseListener} beans as its listener.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DatabaseConnectionDetails.class)
	static class DatabaseConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(SslBundles.class)
		SslBundleOptions databaseSslBundleOptions(SslBundles bundles) {
			return new SslBundleOptions(bundles);
		}

		@Bean
		@ConditionalOnMissingBean
		Database database(DatabaseConnectionDetails details, DatabaseProperties properties,
				ObjectProvider<DatabaseBuilderCustomizer> customizers, ObjectProvider<DatabaseListener> listeners,
				ObjectProvider<SslBundleOptions> sslBundleOptions, Environment environment) {
			UnknownListItemProperties.check(environment);
			return new DatabaseFactory(properties, customizers.orderedStream().toList(),
					listeners.orderedStream().toList(), sslBundleOptions.getIfAvailable())
				.create(details);
		}

	}

}

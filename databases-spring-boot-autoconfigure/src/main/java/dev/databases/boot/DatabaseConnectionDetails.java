package dev.databases.boot;

import dev.databases.DatabaseURL;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the {@link dev.databases.Database} bean connects. By default it comes from
 * {@code databases.url}, from an {@code R2dbcConnectionDetails} bean (Testcontainers'
 * {@code @ServiceConnection}, Docker Compose) or from {@code spring.r2dbc.*}; define a bean
 * of this type to supply it yourself.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DatabaseConnectionDetails extends ConnectionDetails {

	/**
	 * The URL to connect to, credentials included.
	 * @return the URL
	 * @throws DatabaseConfigurationException when the configured URL is not valid
	 */
	DatabaseURL getUrl();

}

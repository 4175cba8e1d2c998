package dev.databases.boot;

import dev.databases.Database;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for a {@link Database}: the bean, from {@code databases.url}, an
 * {@link R2dbcConnectionDetails} bean or {@code spring.r2dbc.url}, with every
 * {@link dev.databases.DatabaseListener} bean (metrics, observations, your own) as its
 * listener; a {@link DatabaseLifecycle} that connects it when the context starts; and its
 * pool as the {@link ConnectionFactory} bean, so that Spring's {@code DatabaseClient},
 * {@code R2dbcEntityTemplate} and {@code @Transactional} share it. The Database reports the
 * connections Spring borrows through that bean to its listener as it reports its own, so a
 * {@code DatabaseListener} bean, like the leak detector of
 * {@code databases.pool.leak-detection-threshold}, hears of every connection once. It runs
 * before Boot's R2DBC auto-configuration, which then backs off instead of opening a second pool, and
 * before Boot's {@code DataSourceAutoConfiguration}, which backs off too (named here as
 * well, since the ordering through R2DBC's is lost when {@code spring-boot-r2dbc} is
 * absent).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
		beforeName = { "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@ConditionalOnClass(Database.class)
@EnableConfigurationProperties(DatabaseProperties.class)
@Import({ DatabaseConfigurations.R2dbcConnectionDetailsConfiguration.class,
		DatabaseConfigurations.PropertiesConnectionDetailsConfiguration.class,
		DatabaseConfigurations.DatabaseConfiguration.class })
public final class DatabaseAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ConnectionFactory.class)
	@ConditionalOnSingleCandidate(Database.class)
	ConnectionFactory connectionFactory(Database database) {
		return database.connectionFactory();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(Database.class)
	DatabaseLifecycle databaseLifecycle(ObjectProvider<Database> databases) {
		return new DatabaseLifecycle(databases.orderedStream().toList());
	}

}

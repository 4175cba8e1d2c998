package dev.databases.boot.metrics;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.DatabaseBeanName;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Micrometer metrics of the {@link Database} when Micrometer and a
 * {@link MeterRegistry} are present: the pool gauges of {@link DatabasePoolMetrics} and the
 * connection timers of {@link DatabaseConnectionMetrics}, which is one of the
 * auto-configured Database's {@link dev.databases.DatabaseListener}s and so times the
 * connections lent through the {@code ConnectionFactory} bean too.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DatabaseAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ Database.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(Database.class)
public final class DatabasePoolMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DatabasePoolMetrics databasePoolMetrics(Database database, ConfigurableListableBeanFactory beanFactory) {
		return new DatabasePoolMetrics(database, DatabaseBeanName.of(beanFactory), Tags.empty());
	}

	@Bean
	@ConditionalOnMissingBean
	DatabaseConnectionMetrics databaseConnectionMetrics(ConfigurableListableBeanFactory beanFactory) {
		// Not given the Database: it is one of the Database's listeners, built before it.
		return new DatabaseConnectionMetrics(DatabaseBeanName.of(beanFactory), Tags.empty());
	}

}

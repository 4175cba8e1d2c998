package dev.databases.boot.observation;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.DatabaseBeanName;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for an {@link io.micrometer.observation.Observation} of every statement the
 * {@link Database} runs, when the Observation API and an {@link ObservationRegistry} are
 * present: a {@link DatabaseQueryObservationListener}, which the auto-configured Database
 * takes as one of its listeners, and with Micrometer metrics the
 * {@link DatabaseQueryMeterObservationHandler} that times them. A
 * {@link DatabaseQueryObservationConvention} bean replaces the default names and key values;
 * {@code management.observations.enable.databases.query=false} switches them off.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DatabaseAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ Database.class, ObservationRegistry.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnSingleCandidate(Database.class)
public final class DatabaseObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DatabaseQueryObservationListener databaseQueryObservationListener(ObservationRegistry registry,
			ObjectProvider<DatabaseQueryObservationConvention> convention,
			ConfigurableListableBeanFactory beanFactory) {
		return new DatabaseQueryObservationListener(registry, DatabaseBeanName.of(beanFactory), convention.getIfUnique());
	}

	/**
	 * Times the statements by their own durations, when Micrometer metrics are on.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterRegistry.class, MeterObservationHandler.class })
	@ConditionalOnBean(MeterRegistry.class)
	static class MeterObservationHandlerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DatabaseQueryMeterObservationHandler databaseQueryMeterObservationHandler(MeterRegistry registry) {
			return new DatabaseQueryMeterObservationHandler(registry);
		}

	}

}

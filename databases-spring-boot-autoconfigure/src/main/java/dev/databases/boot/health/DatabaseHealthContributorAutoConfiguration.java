package dev.databases.boot.health;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.SimpleAutowireCandidateResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for {@link DatabaseHealthIndicator}: one indicator named {@code databases}, or one per
 * {@link Database} bean when there are several. A database with read replicas has one
 * component per server under it, {@code primary} and {@code replica-0}, ...: a replica
 * that is out is down, so include only {@code databases/primary} in a health group (such
 * as {@code management.endpoint.health.group.readiness.include}) whose status must not
 * follow the replicas. Switch it off with {@code management.health.databases.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DatabaseAutoConfiguration.class)
@ConditionalOnClass({ Database.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(Database.class)
@ConditionalOnEnabledHealthIndicator("databases")
public final class DatabaseHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "databasesHealthIndicator", "databasesHealthContributor" })
	ReactiveHealthContributor databasesHealthContributor(ConfigurableListableBeanFactory beanFactory) {
		// As Boot's own composite configurations find their beans: autowire candidates only.
		return DatabaseHealthContributors
			.of(SimpleAutowireCandidateResolver.resolveAutowireCandidates(beanFactory, Database.class));
	}

}

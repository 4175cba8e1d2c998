package dev.databases.boot.health;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeReactiveHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for {@link DatabaseHealthIndicator}: one indicator named {@code databases}, or one per
 * {@link Database} bean when there are several. Switch it off with
 * {@code management.health.databases.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DatabaseAutoConfiguration.class)
@ConditionalOnClass({ Database.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(Database.class)
@ConditionalOnEnabledHealthIndicator("databases")
public final class DatabaseHealthContributorAutoConfiguration
		extends CompositeReactiveHealthContributorConfiguration<DatabaseHealthIndicator, Database> {

	DatabaseHealthContributorAutoConfiguration() {
		super(DatabaseHealthIndicator::new);
	}

	@Bean
	@ConditionalOnMissingBean(name = { "databasesHealthIndicator", "databasesHealthContributor" })
	ReactiveHealthContributor databasesHealthContributor(ConfigurableListableBeanFactory beanFactory) {
		return createContributor(beanFactory, Database.class);
	}

}

package dev.databases.boot.dao;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.DatabaseBuilderCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.r2dbc.connection.ConnectionFactoryUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * that has the auto-configured {@link Database} signal Spring's {@link DataAccessException}
 * types, as {@code DatabaseClient} does, through a {@link DataAccessExceptionTranslator}.
 * It applies when spring-r2dbc is present. Its customizer runs first, so a
 * {@link DatabaseBuilderCustomizer} of yours can replace the translator, or remove it with
 * {@code builder.exceptionTranslator(null)} to keep the library's own
 * {@code DatabaseException}s.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = DatabaseAutoConfiguration.class)
@ConditionalOnClass({ Database.class, DataAccessException.class, ConnectionFactoryUtils.class })
public final class DatabaseExceptionTranslationAutoConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnMissingBean(name = "databaseExceptionTranslation")
	DatabaseBuilderCustomizer databaseExceptionTranslation() {
		return (builder) -> builder.exceptionTranslator(new DataAccessExceptionTranslator());
	}

}

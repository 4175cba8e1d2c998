package dev.databases.boot;

import dev.databases.Database;

/**
 * Adjusts the {@link Database.Builder} of the auto-configured {@link Database} after the
 * {@code databases.*} properties have been applied. Customizers run in their
 * {@link org.springframework.core.annotation.Order order}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DatabaseBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder, with the URL and the configured options set
	 */
	void customize(Database.Builder builder);

}

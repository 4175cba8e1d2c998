package dev.databases.boot;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * The misspelt keys inside list items ({@code databases.replicas[0].pool.max-sise}), which
 * Boot's {@code ignoreUnknownFields = false} does not report: a list element binds what it
 * knows and leaves the rest unread. Reported as Boot reports the others, so
 * {@link UnknownDatabasePropertyFailureAnalyzer} names the closest known key.
 */
final class UnknownListItemProperties {

	private UnknownListItemProperties() {
	}

	/**
	 * Fail when a key inside a {@code databases.*} list item is not one that binds.
	 * @param environment the environment the properties were bound from
	 * @throws UnboundConfigurationPropertiesException naming the unknown keys
	 */
	static void check(Environment environment) {
		DatabasePropertyNames names = DatabasePropertyNames.databases();
		Set<ConfigurationProperty> unknown = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			iterable.stream()
				.filter((name) -> names.covers(name) && inListItem(name) && !names.knows(name))
				.map(source::getConfigurationProperty)
				.forEach((property) -> {
					if (property != null) {
						unknown.add(property);
					}
				});
		}
		if (!unknown.isEmpty()) {
			throw new UnboundConfigurationPropertiesException(unknown);
		}
	}

	private static boolean inListItem(ConfigurationPropertyName name) {
		for (int i = 0; i < name.getNumberOfElements(); i++) {
			if (name.isNumericIndex(i)) {
				return true;
			}
		}
		return false;
	}

}

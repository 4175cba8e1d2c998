package dev.databases.boot;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Turns a {@code databases.*} key that {@link DatabaseProperties} does not bind (it is
 * declared with {@code ignoreUnknownFields = false}) into a startup failure report naming
 * the closest known properties: {@code databases.pool.max-sise} asks "did you mean
 * databases.pool.max-size?". It runs before Boot's own analyzer for unbound properties,
 * which would only list the key; failures for other prefixes are left to that one.
 * Environment variables and system properties are not checked (Boot leaves them out, since
 * the environment often holds unrelated {@code DATABASES_*} variables), and the keys of
 * {@code databases.options.*} are the driver's, checked when the Database is built.
 */
class UnknownDatabasePropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
		implements Ordered {

	private final DatabasePropertyNames names = DatabasePropertyNames.databases();

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<ConfigurationProperty> unknown = cause.getUnboundProperties()
			.stream()
			.filter((property) -> this.names.covers(property.getName()))
			.sorted()
			.toList();
		if (unknown.isEmpty()) {
			return null;
		}
		StringBuilder description = new StringBuilder("Unknown databases properties:\n");
		StringBuilder action = new StringBuilder();
		for (ConfigurationProperty property : unknown) {
			description.append("\n    ").append(property.getName());
			List<String> suggestions = this.names.suggestions(property.getName());
			if (!suggestions.isEmpty()) {
				description.append(": did you mean ").append(String.join(" or ", suggestions)).append("?");
			}
			if (property.getOrigin() != null) {
				description.append("\n        from ").append(property.getOrigin());
			}
			if (!suggestions.isEmpty()) {
				action.append("Rename ").append(property.getName()).append(" to ").append(suggestions.get(0))
					.append(", or remove it. ");
			}
			else {
				action.append("Remove ").append(property.getName()).append("; the known names there are ")
					.append(this.names.siblings(property.getName()).stream().collect(Collectors.joining(", ")))
					.append(". ");
			}
		}
		action.append("Driver options go under databases.options.* (or in the URL's query string).");
		return new FailureAnalysis(description.append('\n').toString(), action.toString(), cause);
	}

	/**
	 * Before Boot's {@code UnboundConfigurationPropertyFailureAnalyzer}, which also matches.
	 * @return the highest precedence
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}

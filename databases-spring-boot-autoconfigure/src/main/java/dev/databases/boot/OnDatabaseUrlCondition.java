package dev.databases.boot;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code databases.url} or {@code spring.r2dbc.url} is set, and says which.
 */
class OnDatabaseUrlCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Database URL");
		Environment environment = context.getEnvironment();
		for (String property : new String[] { PropertiesDatabaseConnectionDetails.URL,
				PropertiesDatabaseConnectionDetails.R2DBC_URL }) {
			if (StringUtils.hasText(environment.getProperty(property))) {
				return ConditionOutcome.match(message.found("property").items(property));
			}
		}
		return ConditionOutcome.noMatch(message.didNotFind("property")
			.items(PropertiesDatabaseConnectionDetails.URL, PropertiesDatabaseConnectionDetails.R2DBC_URL));
	}

}

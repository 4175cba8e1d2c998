package dev.databases.boot.flyway;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless the migrations are switched off: {@code databases.migrations.enabled} when
 * it is set, else {@code spring.flyway.enabled}, which Boot users set to turn Flyway off;
 * on when neither is set. It says which property decided.
 */
class OnMigrationsEnabledCondition extends SpringBootCondition {

	static final String ENABLED = "databases.migrations.enabled";

	static final String SPRING_FLYWAY_ENABLED = "spring.flyway.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Database migrations");
		Environment environment = context.getEnvironment();
		for (String property : new String[] { ENABLED, SPRING_FLYWAY_ENABLED }) {
			Boolean enabled = environment.getProperty(property, Boolean.class);
			if (enabled != null) {
				return new ConditionOutcome(enabled, message.because(property + " is " + enabled));
			}
		}
		return ConditionOutcome.match(message.because("neither " + ENABLED + " nor " + SPRING_FLYWAY_ENABLED + " is set"));
	}

}

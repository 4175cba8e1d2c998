package dev.databases.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link DatabaseConfigurationException} into a startup failure report that says
 * which property is wrong, why, and what it accepts.
 */
class DatabaseConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseConfigurationException cause) {
		String description = "The database configuration in '" + cause.getSource() + "' is invalid:\n\n    "
				+ cause.getProblem() + "\n";
		String action = "Update '" + cause.getSource() + "'. " + cause.getAccepted();
		return new FailureAnalysis(description, action, cause);
	}

}

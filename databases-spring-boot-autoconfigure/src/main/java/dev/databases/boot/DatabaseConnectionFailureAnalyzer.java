package dev.databases.boot;

import dev.databases.ConnectionException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link ConnectionException} at startup, when {@link DatabaseLifecycle} or the
 * Flyway migrations (which run first) could not connect, into a failure report. The
 * library's message names the URL with its password masked.
 */
class DatabaseConnectionFailureAnalyzer extends AbstractFailureAnalyzer<ConnectionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConnectionException cause) {
		String description = "The application could not connect to its database:\n\n    " + cause.getMessage()
				+ "\n";
		String action = "Check that the database server is running and reachable, and that databases.url (or "
				+ "spring.r2dbc.url, or the R2dbcConnectionDetails bean) names the right host, port, database, user "
				+ "and password. databases.pool.connect-timeout sets how long each attempt may take.";
		return new FailureAnalysis(description, action, cause);
	}

}

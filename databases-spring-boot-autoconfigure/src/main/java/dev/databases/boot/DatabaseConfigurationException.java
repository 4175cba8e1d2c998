package dev.databases.boot;

import org.jspecify.annotations.Nullable;

/**
 * The database configuration cannot be used: a bad URL, a bad option, or a connection
 * source this library does not support. It names where the value came from, what is wrong
 * and what is accepted, and never holds a password; {@link DatabaseConfigurationFailureAnalyzer}
 * turns it into the startup failure report.
 *
 * @since 0.1.0
 */
public class DatabaseConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String source;

	private final String problem;

	private final String accepted;

	/**
	 * Create an exception.
	 * @param source where the bad value came from, e.g. {@code databases.url} or
	 * {@code databases.pool.max-size}
	 * @param problem what is wrong, without the password
	 * @param accepted what would be accepted instead
	 * @param cause the error that found the problem, or {@code null}
	 */
	public DatabaseConfigurationException(String source, String problem, String accepted,
			@Nullable Throwable cause) {
		super("Invalid database configuration in '" + source + "': " + problem, cause);
		this.source = source;
		this.problem = problem;
		this.accepted = accepted;
	}

	/**
	 * Where the bad value came from: a property name or a bean type.
	 * @return the source
	 */
	public String getSource() {
		return this.source;
	}

	/**
	 * What is wrong.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * What would be accepted instead.
	 * @return the accepted values
	 */
	public String getAccepted() {
		return this.accepted;
	}

}

package dev.databases.boot.observation;

import java.time.Duration;

import io.micrometer.observation.Observation;

/**
 * The {@link Observation.Context} of one statement run by a {@link dev.databases.Database}.
 * The Database reports a statement when it has finished, so the observation is opened and
 * closed then, and the statement's own duration, measured by the Database, is carried
 * here: {@link DatabaseQueryMeterObservationHandler} times the statement by it.
 *
 * @since 0.1.0
 */
public class DatabaseQueryObservationContext extends Observation.Context {

	private final String databaseName;

	private final String sql;

	private final Duration duration;

	/**
	 * Create a context.
	 * @param databaseName the Database bean's name
	 * @param sql the SQL as written, with {@code :name} parameters and never their values
	 * @param duration from sending the statement to its last row or its error
	 */
	public DatabaseQueryObservationContext(String databaseName, String sql, Duration duration) {
		this.databaseName = databaseName;
		this.sql = sql;
		this.duration = duration;
	}

	/**
	 * The name of the Database bean that ran the statement.
	 * @return the name
	 */
	public String getDatabaseName() {
		return this.databaseName;
	}

	/**
	 * The SQL as written, with {@code :name} parameters and never their values. It may still
	 * hold literals the caller wrote into it.
	 * @return the SQL
	 */
	public String getSql() {
		return this.sql;
	}

	/**
	 * How long the statement ran, as the Database measured it.
	 * @return the duration
	 */
	public Duration getDuration() {
		return this.duration;
	}

}

package dev.databases;

import java.util.Map;
import java.util.Objects;

/**
 * A statement with its values: raw SQL with {@code :name} parameters, or the output of a
 * query builder.
 * <p>
 * Every query method of {@link Database} and {@link Connection} that takes SQL and values
 * also takes a {@code Query}. Query builders implement {@link #renderFor(DatabaseURL)} to
 * produce SQL for the dialect of the database the query runs on.
 *
 * @since 0.1.0
 */
public interface Query {

	/**
	 * The SQL, with {@code :name} parameters.
	 * @return the SQL text
	 */
	String sql();

	/**
	 * The values of the {@code :name} parameters, by name.
	 * @return the values; empty when the SQL has no parameters
	 */
	Map<String, ?> values();

	/**
	 * This query as it should run on the given database. Raw SQL is returned unchanged; a
	 * query builder renders its statement for {@code url.dialect()} here.
	 * @param url the URL of the database the query is about to run on
	 * @return the query to run
	 */
	default Query renderFor(DatabaseURL url) {
		return this;
	}

	/**
	 * A query with no parameters.
	 * @param sql the SQL
	 * @return the query
	 */
	static Query of(String sql) {
		return of(sql, Map.of());
	}

	/**
	 * A query with {@code :name} parameters and their values.
	 * @param sql the SQL
	 * @param values the values by parameter name; {@code null} values are allowed
	 * @return the query
	 */
	static Query of(String sql, Map<String, ?> values) {
		Objects.requireNonNull(sql, "'sql' must not be null");
		Objects.requireNonNull(values, "'values' must not be null");
		return new SqlQuery(sql, values);
	}

}

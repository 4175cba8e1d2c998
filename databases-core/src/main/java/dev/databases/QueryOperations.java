package dev.databases;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Something that runs queries: a {@link Database} (each call finds its connection: the
 * block's, Spring's transaction's, or one from the pool) or a {@link Connection} (each
 * call runs on it). Code that takes a {@code QueryOperations} works with either.
 * <p>
 * Every method does nothing until subscribed; the overloads taking SQL and values are
 * {@link Query#of(String, Map)} and the one taking a {@link Query}.
 */
public interface QueryOperations {

	/**
	 * Run a statement that returns no rows (or whose rows are not wanted).
	 * @param sql the SQL, with {@code :name} parameters
	 * @return rows affected and the generated key, when subscribed
	 */
	default Mono<ExecuteResult> execute(String sql) {
		return execute(Query.of(sql));
	}

	/**
	 * Run a statement that returns no rows (or whose rows are not wanted).
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @return rows affected and the generated key, when subscribed
	 */
	default Mono<ExecuteResult> execute(String sql, Map<String, ?> values) {
		return execute(Query.of(sql, values));
	}

	/**
	 * Run a statement that returns no rows (or whose rows are not wanted).
	 * @param query the query
	 * @return rows affected and the generated key, when subscribed
	 */
	Mono<ExecuteResult> execute(Query query);

	/**
	 * Run one statement for each set of values, in as few round trips as the driver allows,
	 * all or nothing: outside a transaction the rows are written in one of their own.
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values one map of parameter values per execution
	 * @return the total number of rows affected, when subscribed
	 */
	default Mono<Long> executeMany(String sql, List<? extends Map<String, ?>> values) {
		return executeMany(Query.of(sql), values);
	}

	/**
	 * Run one statement for each set of values; see {@link #executeMany(String, List)}.
	 * @param query the query; its own values apply to every execution unless a row overrides them
	 * @param values one map of parameter values per execution
	 * @return the total number of rows affected, when subscribed
	 */
	Mono<Long> executeMany(Query query, List<? extends Map<String, ?>> values);

	/**
	 * Fetch every row.
	 * @param sql the SQL
	 * @return the rows, when subscribed
	 */
	default Mono<List<Record>> fetchAll(String sql) {
		return fetchAll(Query.of(sql));
	}

	/**
	 * Fetch every row.
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @return the rows, when subscribed
	 */
	default Mono<List<Record>> fetchAll(String sql, Map<String, ?> values) {
		return fetchAll(Query.of(sql, values));
	}

	/**
	 * Fetch every row.
	 * @param query the query
	 * @return the rows, when subscribed
	 */
	Mono<List<Record>> fetchAll(Query query);

	/**
	 * Fetch every row as a Java record or bean, matching columns to components or
	 * properties by name ({@code created_at} matches {@code createdAt}).
	 * @param <T> the row type
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @param type a record class, a class with a no-argument constructor and setters, or a
	 * simple type (String, Long, ...) for a single-column result
	 * @return the rows, when subscribed
	 */
	default <T> Mono<List<T>> fetchAll(String sql, Map<String, ?> values, Class<T> type) {
		return fetchAll(Query.of(sql, values), type);
	}

	/**
	 * Fetch every row as a Java record or bean; see {@link #fetchAll(String, Map, Class)}.
	 * @param <T> the row type
	 * @param query the query
	 * @param type the row type
	 * @return the rows, when subscribed
	 */
	default <T> Mono<List<T>> fetchAll(Query query, Class<T> type) {
		RowMapper<T> mapper = RowMapper.of(type);
		return fetchAll(query).map(mapper::mapAll);
	}

	/**
	 * Fetch the first row.
	 * @param sql the SQL
	 * @return the first row, or an empty Mono when there is none
	 */
	default Mono<Record> fetchOne(String sql) {
		return fetchOne(Query.of(sql));
	}

	/**
	 * Fetch the first row.
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @return the first row, or an empty Mono when there is none
	 */
	default Mono<Record> fetchOne(String sql, Map<String, ?> values) {
		return fetchOne(Query.of(sql, values));
	}

	/**
	 * Fetch the first row.
	 * @param query the query
	 * @return the first row, or an empty Mono when there is none
	 */
	Mono<Record> fetchOne(Query query);

	/**
	 * Fetch the first row as a Java record or bean; see {@link #fetchAll(String, Map, Class)}.
	 * @param <T> the row type
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @param type the row type
	 * @return the first row, or an empty Mono when there is none
	 */
	default <T> Mono<T> fetchOne(String sql, Map<String, ?> values, Class<T> type) {
		return fetchOne(Query.of(sql, values), type);
	}

	/**
	 * Fetch the first row as a Java record or bean; see {@link #fetchAll(String, Map, Class)}.
	 * @param <T> the row type
	 * @param query the query
	 * @param type the row type
	 * @return the first row, or an empty Mono when there is none
	 */
	default <T> Mono<T> fetchOne(Query query, Class<T> type) {
		RowMapper<T> mapper = RowMapper.of(type);
		return fetchOne(query).mapNotNull(mapper::map);
	}

	/**
	 * Fetch the first column of the first row.
	 * @param <T> the value type
	 * @param sql the SQL
	 * @param type the value type
	 * @return the value, or an empty Mono when there is no row or the value is NULL
	 */
	default <T> Mono<T> fetchVal(String sql, Class<T> type) {
		return fetchVal(Query.of(sql), type);
	}

	/**
	 * Fetch the first column of the first row.
	 * @param <T> the value type
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @param type the value type
	 * @return the value, or an empty Mono when there is no row or the value is NULL
	 */
	default <T> Mono<T> fetchVal(String sql, Map<String, ?> values, Class<T> type) {
		return fetchVal(Query.of(sql, values), type);
	}

	/**
	 * Fetch the named column of the first row.
	 * @param <T> the value type
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @param column the column name
	 * @param type the value type
	 * @return the value, or an empty Mono when there is no row or the value is NULL
	 */
	default <T> Mono<T> fetchVal(String sql, Map<String, ?> values, String column, Class<T> type) {
		return fetchVal(Query.of(sql, values), column, type);
	}

	/**
	 * Fetch the column at {@code column} of the first row.
	 * @param <T> the value type
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @param column the column index, from 0
	 * @param type the value type
	 * @return the value, or an empty Mono when there is no row or the value is NULL
	 */
	default <T> Mono<T> fetchVal(String sql, Map<String, ?> values, int column, Class<T> type) {
		return fetchVal(Query.of(sql, values), column, type);
	}

	/**
	 * Fetch the first column of the first row.
	 * @param <T> the value type
	 * @param query the query
	 * @param type the value type
	 * @return the value, or an empty Mono when there is no row or the value is NULL
	 */
	default <T> Mono<T> fetchVal(Query query, Class<T> type) {
		return fetchVal(query, 0, type);
	}

	/**
	 * Fetch the column at {@code column} of the first row.
	 * @param <T> the value type
	 * @param query the query
	 * @param column the column index, from 0
	 * @param type the value type
	 * @return the value, or an empty Mono when there is no row or the value is NULL
	 */
	default <T> Mono<T> fetchVal(Query query, int column, Class<T> type) {
		return fetchOne(query).mapNotNull((record) -> record.get(column, type));
	}

	/**
	 * Fetch the named column of the first row.
	 * @param <T> the value type
	 * @param query the query
	 * @param column the column name
	 * @param type the value type
	 * @return the value, or an empty Mono when there is no row or the value is NULL
	 */
	default <T> Mono<T> fetchVal(Query query, String column, Class<T> type) {
		return fetchOne(query).mapNotNull((record) -> record.get(column, type));
	}

	/**
	 * Stream the rows with back-pressure: rows are read from the server as they are
	 * requested (a cursor or the driver's fetch size), so memory stays constant whatever the
	 * result's size. The connection is held until the stream completes, errors or is
	 * cancelled.
	 * @param sql the SQL
	 * @return the rows
	 */
	default Flux<Record> iterate(String sql) {
		return iterate(Query.of(sql));
	}

	/**
	 * Stream the rows with back-pressure; see {@link #iterate(String)}.
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @return the rows
	 */
	default Flux<Record> iterate(String sql, Map<String, ?> values) {
		return iterate(Query.of(sql, values));
	}

	/**
	 * Stream the rows with back-pressure; see {@link #iterate(String)}.
	 * @param query the query
	 * @return the rows
	 */
	Flux<Record> iterate(Query query);

	/**
	 * Stream the rows as Java records or beans; see {@link #iterate(String)} and
	 * {@link #fetchAll(String, Map, Class)}.
	 * @param <T> the row type
	 * @param sql the SQL, with {@code :name} parameters
	 * @param values the parameter values by name
	 * @param type the row type
	 * @return the rows
	 */
	default <T> Flux<T> iterate(String sql, Map<String, ?> values, Class<T> type) {
		return iterate(Query.of(sql, values), type);
	}

	/**
	 * Stream the rows as Java records or beans; see {@link #iterate(String, Map, Class)}.
	 * @param <T> the row type
	 * @param query the query
	 * @param type the row type
	 * @return the rows
	 */
	default <T> Flux<T> iterate(Query query, Class<T> type) {
		RowMapper<T> mapper = RowMapper.of(type);
		return iterate(query).mapNotNull(mapper::map);
	}

}

package dev.databases.internal.backend;

import java.util.List;
import java.util.Map;

import dev.databases.internal.parsing.SqlSyntax;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * What differs between the databases this library supports, one implementation per
 * database as encode/databases has one backend per URL scheme. The rest of the library
 * asks its backend instead of asking which database it is talking to. Each backend also
 * spells its database's URLs ({@link UrlSpelling}).
 */
public interface Backend extends UrlSpelling {

	/**
	 * The product name its driver's {@code ConnectionFactoryMetadata} gives, which Spring
	 * reads to pick its dialect.
	 * @return the name
	 */
	String productName();

	/**
	 * The parameter syntax of its SQL.
	 * @return the syntax
	 */
	SqlSyntax syntax();

	/**
	 * The Maven coordinates of the driver, for the error a missing driver gives.
	 * @return {@code groupId:artifactId}
	 */
	String artifact();

	/**
	 * How many bind parameters one statement may carry, which bounds a multi-row INSERT.
	 * @return the limit
	 */
	int maxParameters();

	/**
	 * Whether the generated key comes back as the inserted row ({@code RETURNING *} on
	 * PostgreSQL) rather than as the driver's own generated-key column.
	 * @return {@code true} when an INSERT with RETURNING needs no generated-key request
	 */
	default boolean keyFromReturning() {
		return false;
	}

	/**
	 * The generated key as the caller sees it.
	 * @param key the key the driver reported
	 * @return the key, or {@code null} when the driver's value means "none"
	 */
	default @Nullable Long generatedKey(long key) {
		return key;
	}

	/**
	 * The type to declare for a NULL value whose real type the caller did not say.
	 * @return the type to bind the NULL as
	 */
	default Class<?> nullType() {
		return String.class;
	}

	/**
	 * The value to hand the driver for a bound value whose type the driver cannot bind
	 * itself, so that the same Java types bind on every backend (r2dbc-mysql has no UUID
	 * codec: a UUID goes as its text).
	 * @param value the value, not {@code null}, enums already by name
	 * @return the value to bind
	 */
	default Object bindable(Object value) {
		return value;
	}

	/**
	 * The parameter that binds a JSON document: text, where the driver's JSON columns take
	 * text. PostgreSQL wants its driver's {@code Json} (text is a varchar there), H2 the
	 * UTF-8 bytes (text would become a JSON string).
	 * @param json the document
	 * @return the value to bind
	 */
	default Object jsonParameter(String json) {
		return json;
	}

	/**
	 * The type to read a column as when the driver's own default is a type of the driver's
	 * (r2dbc-postgresql reads JSON as its {@code Json}), so rows hold plain Java values.
	 * @param column the column
	 * @return the type, or {@code null} for the driver's default
	 */
	default @Nullable Class<?> readType(ColumnMetadata column) {
		return null;
	}

	/**
	 * Whether the driver can queue a statement behind another one (so a ROLLBACK could
	 * overtake the queued remainder of a cancelled statement); {@code false} for a driver
	 * that runs each statement on the caller's thread.
	 * @return whether statements queue in the driver
	 */
	default boolean queuesStatements() {
		return true;
	}

	/**
	 * The statements that begin a transaction, when BEGIN, COMMIT and ROLLBACK go to the
	 * server as SQL rather than through the driver's methods (whose cached transaction
	 * status can be stale after a cancelled exchange).
	 * @param isolation the isolation level, or {@code null} for the server's default
	 * @param readOnly whether the transaction is read-only
	 * @return the statements in order, or an empty list to use the driver's methods
	 */
	default List<String> beginStatements(@Nullable IsolationLevel isolation, boolean readOnly) {
		return List.of();
	}

	/**
	 * How a stream is read when other statements may be sent on its connection while it is open.
	 * @return the way
	 */
	default StreamBeside streamBeside() {
		return StreamBeside.DIRECT;
	}

	/**
	 * Whether a fetch size on a streamed statement helps; where the driver already streams
	 * with back-pressure it only adds round trips.
	 * @return whether to set one
	 */
	default boolean fetchSizeHelps() {
		return true;
	}

	/**
	 * Whether the driver reads a cancelled result to its end anyway (the protocol cannot
	 * stop a result), so a lease must not be given back before that end was seen.
	 * @return whether cancelled results keep arriving
	 */
	default boolean readsCancelledResultToEnd() {
		return false;
	}

	/**
	 * The driver's factory as the pool should use it: wrapped for a driver workaround (a
	 * wrapper that bounds its own close and rollback, when the driver can stall), or as it is.
	 * @param driver the driver's factory
	 * @return the factory to pool
	 */
	default ConnectionFactory decorate(ConnectionFactory driver) {
		return driver;
	}

	/**
	 * Called just before the pool takes {@code raw} back.
	 * @param raw the connection as the pool lent it
	 * @param answeredInFull whether every statement of the lease was answered to its end
	 */
	default void releasing(io.r2dbc.spi.Connection raw, boolean answeredInFull) {
	}

	/**
	 * Make a connection whose work was cancelled outside any transaction clean for its next
	 * borrower: whatever the driver still had queued for that work answered, and no
	 * transaction open. The caller bounds the time it may take and closes the connection
	 * when it is not clean.
	 * @param physical the driver's connection
	 * @return {@code true} once it is clean; {@code false} (the default: not tried) to close it
	 */
	default Mono<Boolean> cleanAfterCancel(io.r2dbc.spi.Connection physical) {
		return Mono.just(false);
	}

	/**
	 * Whether an in-memory database needs one connection held open for its life (SQLite
	 * drops an in-memory database with its last connection).
	 * @return whether the pool keeps an anchor connection
	 */
	default boolean anchorsInMemory() {
		return false;
	}

	/**
	 * The statement to run once when an in-memory database's pool stops, or {@code null}.
	 * @param inMemory whether the database is in memory
	 * @param options the URL's options, as the user gave them
	 * @return the statement, or {@code null} for none
	 */
	default @Nullable String stopStatement(boolean inMemory, Map<String, String> options) {
		return null;
	}

	/**
	 * What to tell the caller about an error with this SQLSTATE beyond the server's message,
	 * when its usual cause is a setting of the library's.
	 * @param sqlState the error's SQLSTATE
	 * @return a sentence saying what to set, or {@code null}
	 */
	default @Nullable String errorHint(String sqlState) {
		return null;
	}

	/**
	 * Driver options set when neither the URL nor the builder gives them, in the driver's
	 * own names.
	 * @return the defaults, by driver option name
	 */
	default Map<String, String> driverDefaults() {
		return Map.of();
	}

	/**
	 * Why an option named in the URL or the builder cannot reach this database's driver: a
	 * misspelling (with the closest known names) or a documented option its driver lacks.
	 * @param name the option's name
	 * @return the problem, or {@code null} when the library or the driver takes the option
	 */
	default @Nullable String optionProblem(String name) {
		return null;
	}

	/**
	 * Whether an error with this SQLSTATE and vendor code ended the transaction in a conflict
	 * that running it again can resolve: a serialization failure ({@code 40001}) or a
	 * deadlock ({@code 40P01}). The transaction has been rolled back when this is asked.
	 * @param sqlState the error's SQLSTATE, or {@code null}
	 * @param vendorCode the driver's error code, or 0
	 * @return whether {@code TransactionOptions.retry} may run the transaction again
	 */
	default boolean isRetryableConflict(@Nullable String sqlState, int vendorCode) {
		return "40001".equals(sqlState) || "40P01".equals(sqlState);
	}

	// Read replicas

	/**
	 * How to ask a replica how far it is behind its primary, for {@code max_replica_lag}.
	 * @return the query, or {@code null} when this database has no replicas to ask
	 */
	default @Nullable ReplicaLagQuery replicaLagQuery() {
		return null;
	}

	/**
	 * The backend for a URL's dialect.
	 * @param dialect the dialect as the URL names it ({@code postgres} and {@code mariadb} included)
	 * @param source where the dialect was given, for the error ({@code URL postgresql://...})
	 * @return the backend
	 * @throws IllegalArgumentException for a dialect no backend serves
	 */
	static Backend of(String dialect, String source) {
		return Backends.of(dialect, source);
	}

	// What query builders and URLs ask of the database, kept together.

	/** The dialects a backend serves, as the messages list them. */
	String SUPPORTED = "postgresql, mysql, mariadb, sqlite or h2";

	/**
	 * The backend for a URL's dialect, if there is one.
	 * @param dialect the dialect as the URL names it
	 * @return the backend, or {@code null} for a dialect no backend serves
	 */
	static @Nullable Backend find(String dialect) {
		return Backends.find(dialect);
	}

	/**
	 * The SQL a query builder renders for this database.
	 * @return the family
	 */
	SqlFamily sqlFamily();

	/** How a stream is read while other statements may be sent on its connection. */
	enum StreamBeside {

		/** Through a server-side cursor, a batch of rows per fetch: statements go between fetches. */
		CURSOR,

		/** As it comes, until another statement is about to be sent: then the rest is read into memory. */
		READ_AHEAD,

		/** As it comes: the driver interleaves statements itself. */
		DIRECT

	}

}

package dev.databases.boot.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link DatabaseQueryObservationConvention}: observations named
 * {@code databases.query}, with the low-cardinality key values {@code name} (the Database
 * bean's name), {@code db.operation} (the statement's first keyword, such as
 * {@code SELECT}, or {@code OTHER}) and {@code db.query.text}: the SQL, white space
 * collapsed, when it is at most 200 characters and holds no literal (its values are
 * {@code :name} parameters), and otherwise {@code none}. The SQL of a longer statement
 * without literals is the high-cardinality {@code db.query.text} instead, for traces; a
 * statement with literals, which may be values, is never shown. The contextual name is
 * the operation.
 *
 * @since 0.1.0
 */
public class DefaultDatabaseQueryObservationConvention implements DatabaseQueryObservationConvention {

	/** The observation's name, and so that of the timer Micrometer makes of it. */
	public static final String NAME = "databases.query";

	/** The key of the database's name. */
	public static final String DATABASE_NAME = "name";

	/** The key of the statement's first keyword. */
	public static final String OPERATION = "db.operation";

	/** The key of the SQL. */
	public static final String QUERY_TEXT = "db.query.text";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(DatabaseQueryObservationContext context) {
		return queryText(context).operation();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(DatabaseQueryObservationContext context) {
		QueryText text = queryText(context);
		String sql = text.lowCardinality();
		return KeyValues.of(KeyValue.of(DATABASE_NAME, context.getDatabaseName()),
				KeyValue.of(OPERATION, text.operation()),
				KeyValue.of(QUERY_TEXT, (sql != null) ? sql : KeyValue.NONE_VALUE));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(DatabaseQueryObservationContext context) {
		String sql = queryText(context).highCardinality();
		return (sql != null) ? KeyValues.of(QUERY_TEXT, sql) : KeyValues.empty();
	}

	private static QueryText queryText(DatabaseQueryObservationContext context) {
		// Read once per observation: the convention is asked at its start and again at its stop.
		return context.computeIfAbsent(QueryText.class, (key) -> QueryText.of(context.getSql()));
	}

}

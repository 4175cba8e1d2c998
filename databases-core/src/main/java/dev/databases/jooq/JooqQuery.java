package dev.databases.jooq;

import java.util.Map;
import java.util.Objects;

import dev.databases.DatabaseURL;
import dev.databases.NoSuchColumnException;
import dev.databases.Query;
import dev.databases.Record;
import org.jooq.Configuration;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.exception.DataTypeException;
import org.jspecify.annotations.Nullable;

/**
 * A jOOQ query as a {@link Query}, rendered for the database it runs on, with jOOQ's own bind
 * values.
 * <p>
 * Build the query with jOOQ's static {@code DSL} (or any {@code DSLContext}; it needs no
 * connection) and run it with {@link dev.databases.Database}: on its connections, in its
 * transactions. A {@code ResultQuery} works with {@code fetchAll}, {@code fetchOne},
 * {@code fetchVal} and {@code iterate}:
 * <pre class="code">
 * Field&lt;String&gt; text = DSL.field(DSL.name("notes", "text"), String.class);
 * Field&lt;Boolean&gt; completed = DSL.field(DSL.name("notes", "completed"), Boolean.class);
 * db.fetchAll(JooqQuery.of(DSL.select(text).from(DSL.table(DSL.name("notes"))).where(completed.isTrue())))
 * 	.map((rows) -&gt; rows.stream().map((row) -&gt; JooqQuery.value(row, text)).toList());
 * </pre>
 * The jOOQ dialect comes from the URL of the {@code Database} (POSTGRES, MYSQL, MARIADB, H2 or
 * SQLITE); the query's own settings apply when it is attached to a configuration. Bind values
 * go through the parameters' converters to the database's types. Named parameters
 * ({@code DSL.param("text", String.class)}) keep their names, so
 * {@code executeMany(JooqQuery.of(insert), rows)} takes one map of values per row; unnamed
 * ones are given {@code p1}, {@code p2}, ... by position.
 * <p>
 * A jOOQ query is mutable ({@code bind}, {@code Param.setValue}), so it is rendered each time
 * it runs, never cached.
 *
 * @since 0.1.0
 */
public final class JooqQuery implements Query {

	private final org.jooq.Query query;

	private JooqQuery(org.jooq.Query query) {
		this.query = query;
	}

	/**
	 * A jOOQ query, {@code ResultQuery} or not.
	 * @param query the query; it is rendered when it runs, so later changes to its bind values
	 * are seen
	 * @return the query
	 */
	public static JooqQuery of(org.jooq.Query query) {
		Objects.requireNonNull(query, "'query' must not be null");
		return new JooqQuery(query);
	}

	/**
	 * The value of a field in a row, found by the field's name (its alias when it has one,
	 * unqualified: {@code notes.text} is read as {@code text}) and converted to the field's
	 * type, through its converter when it has one.
	 * @param <T> the field's type
	 * @param record the row
	 * @param field the field, as used in the select list
	 * @return the value, or {@code null} for SQL NULL
	 * @throws NoSuchColumnException if the row has no such column
	 * @throws IllegalArgumentException if the value cannot be converted to the field's type
	 */
	public static <T> @Nullable T value(Record record, Field<T> field) {
		Objects.requireNonNull(record, "'record' must not be null");
		Objects.requireNonNull(field, "'field' must not be null");
		String name = field.getName();
		Object raw = record.get(name);
		try {
			return field.getDataType().convert(raw);
		}
		catch (DataTypeException ex) {
			// The value itself stays out of the message: it may be a secret.
			throw new IllegalArgumentException("Column '" + name + "' holds a "
					+ ((raw != null) ? raw.getClass().getName() : "null") + " that cannot be converted to "
					+ field.getType().getName(), ex);
		}
	}

	/**
	 * The jOOQ query this wraps.
	 * @return the query
	 */
	public org.jooq.Query query() {
		return this.query;
	}

	/**
	 * The query rendered for the dialect of its own configuration (jOOQ's default dialect when
	 * it has none), for logs and messages. What runs is {@link #renderFor(DatabaseURL)}'s
	 * rendering for the database's dialect.
	 * @return the SQL, with {@code :name} parameters
	 */
	@Override
	public String sql() {
		return JooqRenderer.render(this.query, ownDialect()).sql();
	}

	/**
	 * The bind values, by the parameter names {@link #sql()} uses.
	 * @return the values; they may include {@code null}
	 */
	@Override
	public Map<String, ?> values() {
		return JooqRenderer.render(this.query, ownDialect()).values();
	}

	/**
	 * The query rendered for the dialect of {@code url}, with its bind values.
	 * @param url the URL of the database the query is about to run on
	 * @return a plain query with {@code :name} parameters
	 * @throws IllegalArgumentException if the database is not one this library supports
	 */
	@Override
	public Query renderFor(DatabaseURL url) {
		return JooqRenderer.render(this.query, JooqDialects.of(url.dialect()));
	}

	private SQLDialect ownDialect() {
		Configuration configuration = this.query.configuration();
		return (configuration != null) ? configuration.dialect() : SQLDialect.DEFAULT;
	}

	@Override
	public String toString() {
		// The values stay out: they may hold secrets, and messages and logs must not show them.
		return "JooqQuery[" + sql() + "]";
	}

}

package dev.databases.relational;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.databases.DatabaseURL;
import dev.databases.NoSuchColumnException;
import dev.databases.Query;
import dev.databases.Record;
import org.jspecify.annotations.Nullable;
import org.springframework.data.relational.core.sql.Column;
import org.springframework.data.relational.core.sql.Delete;
import org.springframework.data.relational.core.sql.Insert;
import org.springframework.data.relational.core.sql.Select;
import org.springframework.data.relational.core.sql.Update;
import org.springframework.data.relational.core.sql.render.SqlRenderer;

/**
 * A Spring Data Relational statement ({@link Select}, {@link Insert}, {@link Update} or
 * {@link Delete}) as a {@link Query}, rendered for the database it runs on.
 * <p>
 * Values are bound through named bind markers, {@code SQL.bindMarker(":name")}, and a map
 * of values by name, exactly as in raw SQL; a collection value expands for {@code IN}:
 * <pre class="code">
 * Table notes = Table.create("notes");
 * Column text = notes.column("text");
 * Column completed = notes.column("completed");
 * Select select = Select.builder().select(text).from(notes)
 * 	.where(completed.isEqualTo(SQL.bindMarker(":completed"))).build();
 * db.fetchAll(RelationalQuery.of(select, Map.of("completed", true)))
 * 	.map((rows) -&gt; rows.stream().map((row) -&gt; RelationalQuery.value(row, text)).toList());
 * </pre>
 * The dialect comes from the URL of the {@link dev.databases.Database}: Spring's
 * PostgreSQL, MySQL, MariaDB and H2 dialects, and for SQLite a dialect of this library's
 * own. Each dialect's rendering is made once and kept. Anonymous bind markers
 * ({@code SQL.bindMarker()}, rendered {@code ?}) cannot be given values here; name them.
 *
 * @since 0.1.0
 */
public final class RelationalQuery implements Query {

	private final Function<SqlRenderer, String> statement;

	private final Map<String, @Nullable Object> values;

	private final Map<String, Query> rendered = new ConcurrentHashMap<>(2);

	private RelationalQuery(Object statement, Function<SqlRenderer, String> render, Map<String, ?> values) {
		Objects.requireNonNull(statement, "'statement' must not be null");
		Objects.requireNonNull(values, "'values' must not be null");
		this.statement = render;
		// A copy, so the rendering kept per dialect never sees a changed map; null values allowed.
		this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

	/**
	 * A {@code SELECT} with values for its named bind markers.
	 * @param select the statement
	 * @param values the values by bind marker name (without the colon); {@code null} values
	 * are allowed
	 * @return the query
	 */
	public static RelationalQuery of(Select select, Map<String, ?> values) {
		return new RelationalQuery(select, (renderer) -> renderer.render(select), values);
	}

	/**
	 * A {@code SELECT} without bind markers.
	 * @param select the statement
	 * @return the query
	 */
	public static RelationalQuery of(Select select) {
		return of(select, Map.of());
	}

	/**
	 * An {@code INSERT} with values for its named bind markers.
	 * @param insert the statement
	 * @param values the values by bind marker name (without the colon); {@code null} values
	 * are allowed
	 * @return the query
	 */
	public static RelationalQuery of(Insert insert, Map<String, ?> values) {
		return new RelationalQuery(insert, (renderer) -> renderer.render(insert), values);
	}

	/**
	 * An {@code INSERT} without bind markers, or one whose values come later, from
	 * {@code executeMany}.
	 * @param insert the statement
	 * @return the query
	 */
	public static RelationalQuery of(Insert insert) {
		return of(insert, Map.of());
	}

	/**
	 * An {@code UPDATE} with values for its named bind markers.
	 * @param update the statement
	 * @param values the values by bind marker name (without the colon); {@code null} values
	 * are allowed
	 * @return the query
	 */
	public static RelationalQuery of(Update update, Map<String, ?> values) {
		return new RelationalQuery(update, (renderer) -> renderer.render(update), values);
	}

	/**
	 * An {@code UPDATE} without bind markers.
	 * @param update the statement
	 * @return the query
	 */
	public static RelationalQuery of(Update update) {
		return of(update, Map.of());
	}

	/**
	 * A {@code DELETE} with values for its named bind markers.
	 * @param delete the statement
	 * @param values the values by bind marker name (without the colon); {@code null} values
	 * are allowed
	 * @return the query
	 */
	public static RelationalQuery of(Delete delete, Map<String, ?> values) {
		return new RelationalQuery(delete, (renderer) -> renderer.render(delete), values);
	}

	/**
	 * A {@code DELETE} without bind markers.
	 * @param delete the statement
	 * @return the query
	 */
	public static RelationalQuery of(Delete delete) {
		return of(delete, Map.of());
	}

	/**
	 * The value of a column in a row, found by the column's alias when it has one, else by
	 * its name (unqualified: {@code notes.text} is read as {@code text}).
	 * @param record the row
	 * @param column the column, as used in the select list
	 * @return the value, or {@code null} for SQL NULL
	 * @throws NoSuchColumnException if the row has no such column
	 */
	public static @Nullable Object value(Record record, Column column) {
		return record.get(name(column));
	}

	/**
	 * The value of a column in a row, converted to {@code type}; see
	 * {@link #value(Record, Column)} and {@link Record#get(String, Class)}.
	 * @param <T> the type asked for
	 * @param record the row
	 * @param column the column, as used in the select list
	 * @param type the type to convert to
	 * @return the value, or {@code null} for SQL NULL
	 * @throws NoSuchColumnException if the row has no such column
	 * @throws IllegalArgumentException if the value cannot be converted
	 */
	public static <T> @Nullable T value(Record record, Column column, Class<T> type) {
		return record.get(name(column), type);
	}

	private static String name(Column column) {
		Objects.requireNonNull(column, "'column' must not be null");
		return column.getReferenceName().getReference();
	}

	/**
	 * The statement rendered as standard SQL, for logs and messages. What runs is
	 * {@link #renderFor(DatabaseURL)}'s rendering for the database's own dialect.
	 * @return the SQL, with {@code :name} parameters
	 */
	@Override
	public String sql() {
		return this.statement.apply(RelationalDialects.ANSI_RENDERER);
	}

	/**
	 * The values of the named bind markers.
	 * @return an unmodifiable map; it may hold {@code null} values
	 */
	@Override
	public Map<String, ?> values() {
		return this.values;
	}

	/**
	 * The statement rendered for the dialect of {@code url}, with this query's values.
	 * @param url the URL of the database the query is about to run on
	 * @return a plain query with {@code :name} parameters
	 * @throws IllegalArgumentException if the database is not one this library supports
	 */
	@Override
	public Query renderFor(DatabaseURL url) {
		String dialect = url.dialect().toLowerCase(Locale.ROOT);
		return this.rendered.computeIfAbsent(dialect,
				(key) -> Query.of(this.statement.apply(RelationalDialects.renderer(key)), this.values));
	}

	@Override
	public String toString() {
		// The values stay out: they may hold secrets, and messages and logs must not show them.
		return "RelationalQuery[" + sql() + "]";
	}

}

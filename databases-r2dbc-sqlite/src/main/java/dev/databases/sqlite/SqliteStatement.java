package dev.databases.sqlite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.NoSuchElementException;

import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * A statement with SQLite's bind markers: {@code ?} and {@code ?NNN} bound by zero-based
 * index ({@code ?NNN} is index {@code NNN - 1}), and {@code :name}, {@code @name} and
 * {@code $name} bound by index or by name (with or without the prefix). The SQL may hold
 * several statements separated by semicolons; each gives its own {@code Result}.
 *
 * @author databases
 */
final class SqliteStatement implements Statement {

	private final SqliteConnection connection;

	private final SqlScript script;

	private final List<Object[]> bindings = new ArrayList<>();

	private Object[] current;

	private String @Nullable [] generatedColumns;

	private int fetchSize;

	SqliteStatement(SqliteConnection connection, SqlScript script) {
		this.connection = connection;
		this.script = script;
		this.current = unset();
	}

	private Object[] unset() {
		Object[] values = new Object[this.script.parameterCount()];
		Arrays.fill(values, Codecs.UNSET);
		return values;
	}

	@Override
	public Statement add() {
		checkComplete(this.current);
		this.bindings.add(this.current);
		this.current = unset();
		return this;
	}

	@Override
	public Statement bind(int index, Object value) {
		requireValue(value);
		checkIndex(index);
		this.current[index] = Codecs.encode(value);
		return this;
	}

	@Override
	public Statement bind(String name, Object value) {
		int[] indexes = indexesOf(name);
		requireValue(value);
		Object encoded = Codecs.encode(value);
		for (int index : indexes) {
			this.current[index] = encoded;
		}
		return this;
	}

	@Override
	public Statement bindNull(int index, Class<?> type) {
		Codecs.checkNullType(type);
		checkIndex(index);
		this.current[index] = Codecs.NULL;
		return this;
	}

	@Override
	public Statement bindNull(String name, Class<?> type) {
		int[] indexes = indexesOf(name);
		Codecs.checkNullType(type);
		for (int index : indexes) {
			this.current[index] = Codecs.NULL;
		}
		return this;
	}

	/**
	 * Run the statement once per set of bindings.
	 * @return the results, one per statement of the SQL and set of bindings
	 * @throws IllegalStateException when a parameter has no value, or {@link #add()}
	 * was the last call
	 */
	@Override
	public Flux<SqliteResult> execute() {
		List<Object[]> runs = new ArrayList<>(this.bindings);
		if (this.script.parameterCount() == 0) {
			if (runs.isEmpty()) {
				runs.add(this.current);
			}
		}
		else if (isUntouched(this.current) && !runs.isEmpty()) {
			throw new IllegalStateException("add() was called without binding a further set of parameters");
		}
		else {
			checkComplete(this.current);
			runs.add(this.current);
		}
		this.bindings.clear();
		this.current = unset();
		return this.connection.execute(this.script, runs, this.generatedColumns, this.fetchSize);
	}

	/**
	 * Return generated values: without column names the generated key of an
	 * {@code INSERT} (its {@code rowid}, named after the table's
	 * {@code INTEGER PRIMARY KEY} column), otherwise the named columns of the rows an
	 * {@code INSERT}, {@code UPDATE} or {@code DELETE} changed. Both use SQLite's
	 * {@code RETURNING}; SQL that has its own {@code RETURNING} is left alone.
	 * @param columns the columns to return
	 * @return this statement
	 */
	@Override
	public Statement returnGeneratedValues(String... columns) {
		if (columns == null) {
			throw new IllegalArgumentException("'columns' must not be null");
		}
		for (String column : columns) {
			if (column == null || column.isBlank()) {
				throw new IllegalArgumentException("'columns' must not contain null or blank names");
			}
		}
		this.generatedColumns = columns.clone();
		return this;
	}

	/**
	 * Set how many rows are read in one turn of the connection thread when demand is
	 * larger; rows are never read ahead of demand.
	 * @param rows the number of rows, 0 for the default (256)
	 * @return this statement
	 */
	@Override
	public Statement fetchSize(int rows) {
		if (rows < 0) {
			throw new IllegalArgumentException("'rows' must not be negative");
		}
		this.fetchSize = rows;
		return this;
	}

	private int[] indexesOf(@Nullable String name) {
		if (name == null) {
			throw new IllegalArgumentException("'name' must not be null");
		}
		int[] indexes = this.script.indexesOf(name);
		if (indexes == null) {
			throw new NoSuchElementException("No parameter named '" + name + "'; the statement has "
					+ (this.script.parameterNames().isEmpty() ? "no named parameters"
							: "the named parameters " + this.script.parameterNames()));
		}
		return indexes;
	}

	private void checkIndex(int index) {
		if (index < 0 || index >= this.script.parameterCount()) {
			throw new IndexOutOfBoundsException("Parameter index " + index + " is out of range; the statement has "
					+ this.script.parameterCount() + " parameters");
		}
	}

	private static void requireValue(@Nullable Object value) {
		if (value == null) {
			throw new IllegalArgumentException("'value' must not be null; use bindNull(...) for NULL");
		}
	}

	private boolean isUntouched(Object[] values) {
		for (Object value : values) {
			if (value != Codecs.UNSET) {
				return false;
			}
		}
		return true;
	}

	private void checkComplete(Object[] values) {
		BitSet required = this.script.required();
		List<Integer> missing = new ArrayList<>();
		for (int index = required.nextSetBit(0); index >= 0; index = required.nextSetBit(index + 1)) {
			if (values[index] == Codecs.UNSET) {
				missing.add(index);
			}
		}
		if (!missing.isEmpty()) {
			throw new IllegalStateException("No value bound for the parameter(s) at index " + missing);
		}
	}

	@Override
	public String toString() {
		return "SqliteStatement{parts=" + this.script.parts().size() + ", parameters="
				+ this.script.parameterCount() + "}";
	}

}

package dev.databases.sqlite;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.RowMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The columns of a result. Names match exactly first, then ignoring case, as SQLite
 * matches identifiers; with duplicate names the first column wins.
 *
 * @author databases
 */
final class SqliteRowMetadata implements RowMetadata {

	private final List<SqliteColumnMetadata> columns;

	private final Map<String, Integer> exact = new HashMap<>();

	private final Map<String, Integer> folded = new HashMap<>();

	SqliteRowMetadata(List<SqliteColumnMetadata> columns) {
		this.columns = Collections.unmodifiableList(columns);
		for (int i = 0; i < columns.size(); i++) {
			String name = columns.get(i).getName();
			this.exact.putIfAbsent(name, i);
			this.folded.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
		}
	}

	/**
	 * Read the metadata of an open result set; must run on the connection thread.
	 * @param metaData the JDBC metadata
	 * @return the metadata
	 * @throws SQLException if sqlite-jdbc fails
	 */
	static SqliteRowMetadata of(ResultSetMetaData metaData) throws SQLException {
		int count = metaData.getColumnCount();
		List<SqliteColumnMetadata> columns = new ArrayList<>(count);
		for (int i = 1; i <= count; i++) {
			columns.add(new SqliteColumnMetadata(metaData.getColumnLabel(i), metaData.getColumnTypeName(i)));
		}
		return new SqliteRowMetadata(columns);
	}

	int size() {
		return this.columns.size();
	}

	int indexOf(@Nullable String name) {
		if (name == null) {
			throw new IllegalArgumentException("'name' must not be null");
		}
		Integer index = this.exact.get(name);
		if (index == null) {
			index = this.folded.get(name.toLowerCase(Locale.ROOT));
		}
		return (index != null) ? index : -1;
	}

	int requireIndex(String name) {
		int index = indexOf(name);
		if (index < 0) {
			throw new NoSuchElementException("No column named '" + name + "'; the columns are " + names());
		}
		return index;
	}

	void checkIndex(int index) {
		if (index < 0 || index >= this.columns.size()) {
			throw new IndexOutOfBoundsException(
					"Column index " + index + " is out of range; the row has " + this.columns.size() + " columns");
		}
	}

	String name(int index) {
		return this.columns.get(index).getName();
	}

	private List<String> names() {
		List<String> names = new ArrayList<>(this.columns.size());
		this.columns.forEach((column) -> names.add(column.getName()));
		return names;
	}

	@Override
	public ColumnMetadata getColumnMetadata(int index) {
		checkIndex(index);
		return this.columns.get(index);
	}

	@Override
	public ColumnMetadata getColumnMetadata(String name) {
		return this.columns.get(requireIndex(name));
	}

	@Override
	public List<? extends ColumnMetadata> getColumnMetadatas() {
		return this.columns;
	}

	@Override
	public boolean contains(String columnName) {
		return indexOf(columnName) >= 0;
	}

	@Override
	public String toString() {
		return "SqliteRowMetadata" + this.columns;
	}

}

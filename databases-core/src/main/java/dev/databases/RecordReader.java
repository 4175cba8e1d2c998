package dev.databases;

import java.util.List;
import java.util.function.BiFunction;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.jspecify.annotations.Nullable;

/** Reads rows into {@link Record}s; the column names are read once per result. */
final class RecordReader implements BiFunction<Row, RowMetadata, Record> {

	private final DatabaseRuntime runtime;

	private final String sql;

	private @Nullable Columns columns;

	/** Per column, the type to read it as instead of the driver's default; {@code null} when none needs one. */
	private @Nullable Class<?> @Nullable [] readTypes;

	RecordReader(DatabaseRuntime runtime, String sql) {
		this.runtime = runtime;
		this.sql = sql;
	}

	@Override
	public Record apply(Row row, RowMetadata metadata) {
		Columns columns = this.columns;
		if (columns == null) {
			columns = this.runtime.columns(this.sql, metadata);
			this.columns = columns;
			this.readTypes = readTypes(metadata);
		}
		Class<?>[] readTypes = this.readTypes;
		Object[] values = new Object[columns.size()];
		for (int i = 0; i < values.length; i++) {
			try {
				values[i] = (readTypes != null && readTypes[i] != null) ? row.get(i, readTypes[i]) : row.get(i);
			}
			catch (StackOverflowError ex) {
				// r2dbc-h2 1.1 recurses without end decoding a ROW value. Reactor treats a
				// StackOverflowError as fatal and throws it at the caller, leaving the
				// connection held; as an ordinary error the query fails and the connection
				// goes back to the pool.
				throw new DatabaseException("The driver cannot read column " + (i + 1) + " ("
						+ columns.name(i) + "): it overflowed the stack decoding its value", null, 0, null,
						null);
			}
		}
		return new Record(columns, values);
	}

	private @Nullable Class<?> @Nullable [] readTypes(RowMetadata metadata) {
		List<? extends ColumnMetadata> columns = metadata.getColumnMetadatas();
		Class<?>[] types = null;
		for (int i = 0; i < columns.size(); i++) {
			Class<?> type = this.runtime.backend().readType(columns.get(i));
			if (type != null) {
				if (types == null) {
					types = new Class<?>[columns.size()];
				}
				types[i] = type;
			}
		}
		return types;
	}

}

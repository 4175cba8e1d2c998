package dev.databases.sqlite;

import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.jspecify.annotations.Nullable;

/**
 * One row, read from the cursor on the connection thread and immutable afterwards, so it
 * may be read on any thread and after the result has moved on.
 *
 * @author databases
 */
final class SqliteRow implements Row {

	private final @Nullable Object[] values;

	private final SqliteRowMetadata metadata;

	SqliteRow(@Nullable Object[] values, SqliteRowMetadata metadata) {
		this.values = values;
		this.metadata = metadata;
	}

	@Override
	public <T> @Nullable T get(int index, Class<T> type) {
		requireType(type);
		this.metadata.checkIndex(index);
		return Codecs.decode(this.values[index], type, this.metadata.name(index));
	}

	@Override
	public <T> @Nullable T get(String name, Class<T> type) {
		requireType(type);
		int index = this.metadata.requireIndex(name);
		return Codecs.decode(this.values[index], type, this.metadata.name(index));
	}

	@Override
	public RowMetadata getMetadata() {
		return this.metadata;
	}

	private static void requireType(@Nullable Class<?> type) {
		if (type == null) {
			throw new IllegalArgumentException("'type' must not be null");
		}
	}

	@Override
	public String toString() {
		StringBuilder builder = new StringBuilder("SqliteRow{");
		for (int i = 0; i < this.values.length; i++) {
			builder.append((i > 0) ? ", " : "").append(this.metadata.name(i)).append('=').append(this.values[i]);
		}
		return builder.append('}').toString();
	}

}

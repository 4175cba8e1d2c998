package dev.databases;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One row of a result: immutable, in column order, readable by index or by name.
 * <p>
 * A {@code Record} is a read-only {@link Map} from column name to value, so Jackson and
 * templates see a JSON object. Through the {@code Record} type, {@link #get(String)} is
 * strict and throws {@link NoSuchColumnException} for an unknown column; through
 * {@link Map#get(Object)} it keeps Map's contract and returns {@code null}. Names match
 * case-insensitively when no column matches exactly. When a result has duplicate column
 * names, {@link #keys()} and {@link #values()} keep them all and a lookup by name finds the
 * first.
 *
 * @since 0.1.0
 */
public final class Record implements Map<String, @Nullable Object> {

	private final Columns columns;

	private final @Nullable Object[] values;

	Record(Columns columns, @Nullable Object[] values) {
		this.columns = columns;
		this.values = values;
	}

	/**
	 * The value of the column at {@code index}.
	 * @param index the column index, from 0
	 * @return the value, or {@code null} for SQL NULL
	 * @throws NoSuchColumnException if there is no such column
	 */
	public @Nullable Object get(int index) {
		if (index < 0 || index >= this.values.length) {
			throw new NoSuchColumnException("#" + index, this.columns.names());
		}
		return this.values[index];
	}

	/**
	 * The value of the column named {@code column}.
	 * @param column the column name (matched case-insensitively when no column matches exactly)
	 * @return the value, or {@code null} for SQL NULL
	 * @throws NoSuchColumnException if there is no such column; the message lists the columns
	 */
	public @Nullable Object get(String column) {
		return this.values[indexOf(column)];
	}

	/**
	 * The value of the column at {@code index}, converted to {@code type}.
	 * @param <T> the type asked for
	 * @param index the column index, from 0
	 * @param type the type; numbers, booleans, text and date/time types convert between each other
	 * where no precision is lost, and a JSON column reads as a record, Map or bean through
	 * Jackson when it is present
	 * @return the value, or {@code null} for SQL NULL
	 * @throws NoSuchColumnException if there is no such column
	 * @throws IllegalArgumentException if the value cannot be converted
	 */
	public <T> @Nullable T get(int index, Class<T> type) {
		return Conversions.convert(get(index), type, this.columns.name(index));
	}

	/**
	 * The value of the column named {@code column}, converted to {@code type}.
	 * @param <T> the type asked for
	 * @param column the column name
	 * @param type the type
	 * @return the value, or {@code null} for SQL NULL
	 * @throws NoSuchColumnException if there is no such column
	 * @throws IllegalArgumentException if the value cannot be converted
	 */
	public <T> @Nullable T get(String column, Class<T> type) {
		int index = indexOf(column);
		return Conversions.convert(this.values[index], type, this.columns.name(index));
	}

	/**
	 * The column names in column order, duplicates included.
	 * @return an unmodifiable list
	 */
	public List<String> keys() {
		return this.columns.names();
	}

	/**
	 * The values in column order, duplicates included.
	 * @return an unmodifiable list
	 */
	@Override
	public List<@Nullable Object> values() {
		return Collections.unmodifiableList(Arrays.asList(this.values));
	}

	/**
	 * A mutable, insertion-ordered copy of this record; of duplicate names, the first is kept.
	 * @return a new map
	 */
	public Map<String, @Nullable Object> asMap() {
		Map<String, @Nullable Object> map = new LinkedHashMap<>(this.values.length * 2);
		for (int i = 0; i < this.values.length; i++) {
			map.putIfAbsent(this.columns.name(i), this.values[i]);
		}
		return map;
	}

	private int indexOf(String column) {
		int index = this.columns.indexOf(column);
		if (index < 0) {
			throw new NoSuchColumnException(column, this.columns.names());
		}
		return index;
	}

	// Map<String, Object>, read-only

	@Override
	public int size() {
		return this.columns.distinctSize();
	}

	@Override
	public boolean isEmpty() {
		return this.values.length == 0;
	}

	@Override
	public boolean containsKey(Object key) {
		return (key instanceof String name) && this.columns.indexOf(name) >= 0;
	}

	@Override
	public boolean containsValue(Object value) {
		return values().contains(value);
	}

	@Override
	public @Nullable Object get(Object key) {
		if (!(key instanceof String name)) {
			return null;
		}
		int index = this.columns.indexOf(name);
		return (index >= 0) ? this.values[index] : null;
	}

	@Override
	public Set<String> keySet() {
		return new AbstractSet<>() {

			@Override
			public Iterator<String> iterator() {
				Iterator<Entry<String, @Nullable Object>> entries = entrySet().iterator();
				return new Iterator<>() {

					@Override
					public boolean hasNext() {
						return entries.hasNext();
					}

					@Override
					public String next() {
						return entries.next().getKey();
					}

				};
			}

			@Override
			public int size() {
				return Record.this.size();
			}

			@Override
			public boolean contains(Object o) {
				return containsKey(o);
			}

		};
	}

	@Override
	public Set<Entry<String, @Nullable Object>> entrySet() {
		return new AbstractSet<>() {

			@Override
			public Iterator<Entry<String, @Nullable Object>> iterator() {
				return new Iterator<>() {

					private int next = advance(0);

					private int advance(int from) {
						int i = from;
						while (i < Record.this.values.length && !Record.this.columns.isFirstOfName(i)) {
							i++;
						}
						return i;
					}

					@Override
					public boolean hasNext() {
						return this.next < Record.this.values.length;
					}

					@Override
					public Entry<String, @Nullable Object> next() {
						if (!hasNext()) {
							throw new NoSuchElementException();
						}
						int i = this.next;
						this.next = advance(i + 1);
						return new AbstractMap.SimpleImmutableEntry<>(Record.this.columns.name(i),
								Record.this.values[i]);
					}

				};
			}

			@Override
			public int size() {
				return Record.this.size();
			}

		};
	}

	@Override
	public @Nullable Object put(String key, @Nullable Object value) {
		throw readOnly();
	}

	@Override
	public @Nullable Object remove(Object key) {
		throw readOnly();
	}

	@Override
	public void putAll(Map<? extends String, ? extends @Nullable Object> m) {
		throw readOnly();
	}

	@Override
	public void clear() {
		throw readOnly();
	}

	@Override
	public @Nullable Object putIfAbsent(String key, @Nullable Object value) {
		throw readOnly();
	}

	@Override
	public boolean remove(Object key, Object value) {
		throw readOnly();
	}

	@Override
	public boolean replace(String key, @Nullable Object oldValue, @Nullable Object newValue) {
		throw readOnly();
	}

	@Override
	public @Nullable Object replace(String key, @Nullable Object value) {
		throw readOnly();
	}

	@Override
	public void replaceAll(BiFunction<? super String, ? super @Nullable Object, ? extends @Nullable Object> function) {
		throw readOnly();
	}

	@Override
	public @Nullable Object computeIfAbsent(String key,
			Function<? super String, ? extends @Nullable Object> mappingFunction) {
		throw readOnly();
	}

	@Override
	public @Nullable Object computeIfPresent(String key,
			BiFunction<? super String, ? super Object, ? extends @Nullable Object> remappingFunction) {
		throw readOnly();
	}

	@Override
	public @Nullable Object compute(String key,
			BiFunction<? super String, ? super @Nullable Object, ? extends @Nullable Object> remappingFunction) {
		throw readOnly();
	}

	@Override
	public @Nullable Object merge(String key, Object value,
			BiFunction<? super Object, ? super Object, ? extends @Nullable Object> remappingFunction) {
		throw readOnly();
	}

	private static UnsupportedOperationException readOnly() {
		return new UnsupportedOperationException("A Record is read-only; use asMap() for a mutable copy");
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof Map<?, ?> map) || map.size() != size()) {
			return false;
		}
		return asMap().equals(map);
	}

	@Override
	public int hashCode() {
		return asMap().hashCode();
	}

	@Override
	public String toString() {
		List<String> parts = new ArrayList<>(this.values.length);
		for (int i = 0; i < this.values.length; i++) {
			parts.add(this.columns.name(i) + "=" + this.values[i]);
		}
		return "Record{" + String.join(", ", parts) + "}";
	}

}

package dev.databases.internal.parsing;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * SQL split once into literal text and {@code :name} references, ready to be bound many times.
 * Immutable and safe to share between threads.
 * <p>
 * Internal to {@code dev.databases}; not a public API.
 *
 * @since 0.1.0
 */
public final class ParsedSql {

	private final String sql;

	private final boolean indexedMarkers;

	// literals[k] precedes the k-th reference; the last one follows the last reference.
	private final String[] literals;

	// For each reference in order, the index of its name in parameterNames.
	private final int[] references;

	private final List<String> parameterNames;

	// The SQL to send when no value is a collection: rendered once, so binding does not re-scan.
	private final String singleValueSql;

	ParsedSql(String sql, boolean indexedMarkers, String[] literals, int[] references, List<String> parameterNames) {
		this.sql = sql;
		this.indexedMarkers = indexedMarkers;
		this.literals = literals;
		this.references = references;
		this.parameterNames = parameterNames;
		this.singleValueSql = renderSingleValues();
	}

	private String renderSingleValues() {
		if (this.references.length == 0) {
			return this.literals[0];
		}
		StringBuilder rendered = new StringBuilder(this.sql.length() + 2 * this.references.length);
		rendered.append(this.literals[0]);
		for (int k = 0; k < this.references.length; k++) {
			if (this.indexedMarkers) {
				rendered.append('$').append(this.references[k] + 1);
			}
			else {
				rendered.append('?');
			}
			rendered.append(this.literals[k + 1]);
		}
		return rendered.toString();
	}

	/**
	 * The SQL as the caller wrote it.
	 * @return the SQL, with {@code :name} parameters
	 * @since 0.1.0
	 */
	public String sql() {
		return this.sql;
	}

	/**
	 * The names of the parameters.
	 * @return the distinct names, without the colon, in order of first appearance
	 * @since 0.1.0
	 */
	public List<String> parameterNames() {
		return this.parameterNames;
	}

	/**
	 * Rewrite the SQL to bind markers and list the values to bind by position.
	 * <p>
	 * A {@link Collection} expands to one marker per element, for {@code IN (:ids)}; an element
	 * that is an {@code Object[]} becomes a parenthesised tuple, for {@code (a, b) IN (:pairs)}.
	 * An array is one value, so that it binds as a SQL array ({@code = ANY(:ids)} on
	 * PostgreSQL), as in Spring's {@code NamedParameterUtils}. Values are never written into
	 * the SQL.
	 * Keys with no parameter in the SQL are ignored.
	 * @param values the value of each parameter by name; a key mapped to {@code null} binds SQL
	 * {@code NULL}
	 * @return the SQL with markers and the values in marker order
	 * @throws UnboundParameterException if a parameter of the SQL has no key in {@code values}
	 * @throws IllegalArgumentException if a collection or tuple value is empty
	 * @since 0.1.0
	 */
	public BoundSql bind(Map<String, ?> values) {
		Objects.requireNonNull(values, "'values' must not be null");
		int count = this.parameterNames.size();
		@Nullable Object[] resolved = new Object[count];
		boolean expands = false;
		for (int i = 0; i < count; i++) {
			String name = this.parameterNames.get(i);
			Object value = values.get(name);
			if (value == null && !values.containsKey(name)) {
				throw new UnboundParameterException(name, this.sql);
			}
			resolved[i] = value;
			expands |= isExpandable(value);
		}
		if (!expands) {
			return new BoundSql(this.singleValueSql, Collections.unmodifiableList(singleValues(resolved)));
		}
		return expand(resolved);
	}

	private List<@Nullable Object> singleValues(@Nullable Object[] resolved) {
		// resolved is this call's own array: viewed as a list, not copied.
		if (this.indexedMarkers) {
			return Arrays.asList(resolved);
		}
		@Nullable Object[] values = new Object[this.references.length];
		for (int k = 0; k < this.references.length; k++) {
			values[k] = resolved[this.references[k]];
		}
		return Arrays.asList(values);
	}

	private BoundSql expand(@Nullable Object[] resolved) {
		List<@Nullable Object> bound = new ArrayList<>();
		StringBuilder rendered = new StringBuilder(this.sql.length() + 16);
		rendered.append(this.literals[0]);
		// For numbered markers, the first marker index given to each name, so a repeat reuses it.
		int @Nullable [] firstMarker = this.indexedMarkers ? new int[resolved.length] : null;
		for (int k = 0; k < this.references.length; k++) {
			int reference = this.references[k];
			String name = this.parameterNames.get(reference);
			Object value = resolved[reference];
			if (firstMarker == null) {
				appendMarkers(rendered, name, value, 0, bound);
			}
			else if (firstMarker[reference] == 0) {
				firstMarker[reference] = bound.size() + 1;
				appendMarkers(rendered, name, value, firstMarker[reference], bound);
			}
			else {
				appendMarkers(rendered, name, value, firstMarker[reference], null);
			}
			rendered.append(this.literals[k + 1]);
		}
		return new BoundSql(rendered.toString(), Collections.unmodifiableList(bound));
	}

	/**
	 * Append the markers for one reference, numbered from {@code marker} (ignored for {@code ?}),
	 * and add its values to {@code bound} unless {@code null} (a repeat that reuses numbers).
	 * @return the next marker number
	 */
	private int appendMarkers(StringBuilder rendered, String name, @Nullable Object value, int marker,
			@Nullable List<@Nullable Object> bound) {
		if (!isExpandable(value)) {
			return appendMarker(rendered, value, marker, bound);
		}
		Collection<?> elements = elements(value);
		if (elements.isEmpty()) {
			throw new IllegalArgumentException(
					"Parameter :" + name + " expands to nothing; IN () is not valid SQL: " + this.sql);
		}
		int next = marker;
		boolean first = true;
		for (Object element : elements) {
			if (!first) {
				rendered.append(", ");
			}
			first = false;
			if (element instanceof Object[] tuple) {
				next = appendTuple(rendered, name, tuple, next, bound);
			}
			else {
				next = appendMarker(rendered, element, next, bound);
			}
		}
		return next;
	}

	private int appendTuple(StringBuilder rendered, String name, @Nullable Object[] tuple, int marker,
			@Nullable List<@Nullable Object> bound) {
		if (tuple.length == 0) {
			throw new IllegalArgumentException(
					"Parameter :" + name + " has an empty tuple; () is not valid SQL: " + this.sql);
		}
		rendered.append('(');
		int next = marker;
		for (int i = 0; i < tuple.length; i++) {
			if (i > 0) {
				rendered.append(", ");
			}
			next = appendMarker(rendered, tuple[i], next, bound);
		}
		rendered.append(')');
		return next;
	}

	private int appendMarker(StringBuilder rendered, @Nullable Object value, int marker,
			@Nullable List<@Nullable Object> bound) {
		if (this.indexedMarkers) {
			rendered.append('$').append(marker);
		}
		else {
			rendered.append('?');
		}
		if (bound != null) {
			bound.add(value);
		}
		return marker + 1;
	}

	private static boolean isExpandable(@Nullable Object value) {
		return value instanceof Collection;
	}

	private static Collection<?> elements(Object value) {
		return (Collection<?>) value;
	}

	@Override
	public String toString() {
		return "ParsedSql[" + this.sql + "]";
	}

}

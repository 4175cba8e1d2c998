package dev.databases.internal.parsing;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses SQL with {@code :name} parameters, once per distinct SQL and {@link SqlSyntax}.
 * <p>
 * A name is a colon followed by {@code [A-Za-z_][A-Za-z0-9_]*}. Not parameters: {@code ::} casts
 * ({@code :id::text} is the parameter {@code id} then a cast), a colon followed by anything else
 * ({@code :=}, array slices {@code a[1:2]}), {@code \:} (a literal colon; the backslash is
 * removed), and anything inside strings, quoted identifiers, comments or dollar quotes as the
 * syntax defines them. A colon between identifiers, as in {@code a[lo:hi]}, does read as a
 * parameter; write {@code a[lo\:hi]}.
 * <p>
 * Thread-safe. Results are cached in a bounded map per syntax; when it is full an arbitrary entry
 * is dropped, which is cheap and enough for applications that reuse a bounded set of statements.
 * <p>
 * Internal to {@code dev.databases}; not a public API.
 *
 * @since 0.1.0
 */
public final class NamedParameterParser {

	private static final int DEFAULT_CAPACITY = 1000;

	private final int capacity;

	private final Map<SqlSyntax, ConcurrentHashMap<String, ParsedSql>> caches = new EnumMap<>(SqlSyntax.class);

	/**
	 * Create a parser that caches up to 1,000 statements per syntax.
	 * @since 0.1.0
	 */
	public NamedParameterParser() {
		this(DEFAULT_CAPACITY);
	}

	NamedParameterParser(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("'capacity' must be positive");
		}
		this.capacity = capacity;
		for (SqlSyntax syntax : SqlSyntax.values()) {
			this.caches.put(syntax, new ConcurrentHashMap<>());
		}
	}

	/**
	 * Parse SQL, or return the cached result of an earlier parse of the same SQL and syntax.
	 * Never fails on malformed SQL; the server reports that.
	 * @param sql the SQL with {@code :name} parameters
	 * @param syntax the dialect whose quoting and comment rules apply
	 * @return the parsed SQL
	 * @since 0.1.0
	 */
	public ParsedSql parse(String sql, SqlSyntax syntax) {
		Objects.requireNonNull(sql, "'sql' must not be null");
		Objects.requireNonNull(syntax, "'syntax' must not be null");
		ConcurrentHashMap<String, ParsedSql> cache = this.caches.get(syntax);
		ParsedSql parsed = cache.get(sql);
		if (parsed != null) {
			return parsed;
		}
		parsed = SqlScanner.scan(sql, syntax);
		makeRoom(cache);
		ParsedSql raced = cache.putIfAbsent(sql, parsed);
		return (raced != null) ? raced : parsed;
	}

	private void makeRoom(ConcurrentHashMap<String, ParsedSql> cache) {
		Iterator<String> keys = cache.keySet().iterator();
		while (cache.size() >= this.capacity && keys.hasNext()) {
			keys.next();
			keys.remove();
		}
	}

	/** The number of cached statements for a syntax (for tests). */
	int cachedCount(SqlSyntax syntax) {
		return this.caches.get(syntax).size();
	}

}

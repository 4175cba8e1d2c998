package dev.databases;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Rewrites {@code INSERT ... VALUES (:a, :b)} into {@code VALUES (:a__r0, :b__r0), (:a__r1,
 * :b__r1), ...} so that {@code executeMany} writes many rows per round trip. On PostgreSQL
 * an R2DBC batch costs one round trip per row; one multi-row statement costs one.
 * <p>
 * Only SQL whose shape is certain is rewritten: a single VALUES tuple holding no quotes,
 * comments or escapes, and nothing after it that takes parameters. Anything else runs as
 * an ordinary batch.
 */
final class MultiRowInsert {

	private static final Pattern INSERT = Pattern.compile("^\\s*(?:insert|replace)\\b.*?\\bvalues\\s*\\(",
			Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

	private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");

	private static final String SUFFIX = "__r";

	/** Rows per statement at most: larger statements gain little and cost the server parse time. */
	static final int MAX_ROWS = 1000;

	private final String prefix;

	private final String tuple;

	private final String suffix;

	private final List<String> occurrences;

	private final List<String> names;

	private final Map<Integer, String> sqlByRows = new HashMap<>();

	private MultiRowInsert(String prefix, String tuple, String suffix, List<String> occurrences) {
		this.prefix = prefix;
		this.tuple = tuple;
		this.suffix = suffix;
		this.occurrences = occurrences;
		this.names = occurrences.stream().distinct().toList();
	}

	static @Nullable MultiRowInsert of(String sql) {
		Matcher insert = INSERT.matcher(sql);
		if (!insert.find()) {
			return null;
		}
		int open = insert.end() - 1;
		String head = sql.substring(0, open);
		if (head.indexOf('\'') >= 0 || head.contains("--") || head.contains("/*") || head.indexOf(':') >= 0) {
			return null;
		}
		int close = matchingParenthesis(sql, open);
		if (close < 0) {
			return null;
		}
		String tuple = sql.substring(open, close + 1);
		String tail = sql.substring(close + 1);
		if (containsAny(tuple, "'", "\"", "`", "--", "/*", "$", "\\", "#") || tail.indexOf(':') >= 0
				|| tail.trim().startsWith(",")) {
			return null;
		}
		String end = tail.trim().toLowerCase(Locale.ROOT);
		if (!(end.isEmpty() || end.equals(";") || end.startsWith("on ") || end.startsWith("returning"))) {
			return null;
		}
		List<String> occurrences = new ArrayList<>();
		Matcher parameter = PARAMETER.matcher(tuple);
		while (parameter.find()) {
			occurrences.add(parameter.group(1));
		}
		if (occurrences.isEmpty()) {
			return null;
		}
		return new MultiRowInsert(head, tuple, tail.replaceFirst(";\\s*$", ""), occurrences);
	}

	private static int matchingParenthesis(String sql, int open) {
		int depth = 0;
		for (int i = open; i < sql.length(); i++) {
			char c = sql.charAt(i);
			if (c == '(') {
				depth++;
			}
			else if (c == ')' && --depth == 0) {
				return i;
			}
		}
		return -1;
	}

	private static boolean containsAny(String text, String... parts) {
		for (String part : parts) {
			if (text.contains(part)) {
				return true;
			}
		}
		return false;
	}

	/** How many rows fit one statement within the server's limit on bind parameters. */
	int rowsPerStatement(int maxParameters) {
		return Math.max(1, Math.min(MAX_ROWS, maxParameters / this.occurrences.size()));
	}

	synchronized String sql(int rows) {
		return this.sqlByRows.computeIfAbsent(rows, this::render);
	}

	private String render(int rows) {
		StringBuilder sql = new StringBuilder(this.prefix.length() + rows * (this.tuple.length() + 16));
		sql.append(this.prefix);
		for (int row = 0; row < rows; row++) {
			if (row > 0) {
				sql.append(", ");
			}
			String marker = SUFFIX + row;
			sql.append(PARAMETER.matcher(this.tuple).replaceAll((match) -> ":" + match.group(1) + marker));
		}
		return sql.append(this.suffix).toString();
	}

	Map<String, @Nullable Object> values(List<? extends Map<String, ?>> rows, Map<String, ?> defaults, int from,
			int to, String sql) {
		Map<String, @Nullable Object> values = new HashMap<>((to - from) * this.names.size() * 2);
		for (int row = from; row < to; row++) {
			Map<String, ?> source = rows.get(row);
			for (String name : this.names) {
				Object value;
				if (source.containsKey(name)) {
					value = source.get(name);
				}
				else if (defaults.containsKey(name)) {
					value = defaults.get(name);
				}
				else {
					throw new MissingParameterException(name, sql);
				}
				values.put(name + SUFFIX + (row - from), value);
			}
		}
		return values;
	}

}

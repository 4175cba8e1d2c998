package dev.databases.boot.observation;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What of a statement's SQL may become an observation's key values. The Database reports
 * the SQL as written, with {@code :name} parameters and never their values; but a caller may
 * still have written values into it as literals, and every distinct SQL makes a new time
 * series. So the SQL is a low-cardinality value only when it is short and holds no
 * literal.
 */
final class QueryText {

	/** The longest SQL kept as a low-cardinality value, after collapsing white space. */
	static final int MAX_LOW_CARDINALITY_LENGTH = 200;

	private static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT",
			"REPLACE", "WITH", "VALUES", "CALL", "EXPLAIN", "CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE",
			"BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET", "SHOW", "PRAGMA", "LOCK", "ANALYZE",
			"VACUUM", "COPY", "DO");

	private final String operation;

	private final @Nullable String text;

	private final boolean lowCardinality;

	private QueryText(String operation, @Nullable String text, boolean lowCardinality) {
		this.operation = operation;
		this.text = text;
		this.lowCardinality = lowCardinality;
	}

	/**
	 * Read a statement's SQL.
	 * @param sql the SQL as written
	 * @return what of it may be shown
	 */
	static QueryText of(String sql) {
		String text = hasLiterals(sql) ? null : collapse(sql);
		return new QueryText(firstKeyword(sql), text, text != null && text.length() <= MAX_LOW_CARDINALITY_LENGTH);
	}

	/**
	 * The statement's first keyword.
	 * @return the keyword, upper case, or {@code OTHER}
	 */
	String operation() {
		return this.operation;
	}

	/**
	 * The SQL, white space collapsed, if it is short and holds no literal.
	 * @return the SQL to use as a low-cardinality value, or {@code null}
	 */
	@Nullable String lowCardinality() {
		return this.lowCardinality ? this.text : null;
	}

	/**
	 * The SQL, white space collapsed, if it holds no literal but is too long to be a
	 * low-cardinality value.
	 * @return the SQL to use as a high-cardinality value, or {@code null}
	 */
	@Nullable String highCardinality() {
		return this.lowCardinality ? null : this.text;
	}

	/**
	 * The statement's first keyword, upper case, from a fixed set.
	 * @param sql the SQL
	 * @return the keyword, or {@code OTHER}
	 */
	static String firstKeyword(String sql) {
		int i = skipSpaceAndComments(sql, 0);
		while (i < sql.length() && sql.charAt(i) == '(') {
			i = skipSpaceAndComments(sql, i + 1);
		}
		int start = i;
		while (i < sql.length() && Character.isLetter(sql.charAt(i))) {
			i++;
		}
		String word = sql.substring(start, i).toUpperCase(Locale.ROOT);
		return OPERATIONS.contains(word) ? word : "OTHER";
	}

	/**
	 * Whether the SQL holds a string, dollar-quoted or numeric literal, outside comments
	 * and quoted identifiers.
	 * @param sql the SQL
	 * @return whether it has a literal
	 */
	static boolean hasLiterals(String sql) {
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			if (c == '\'') {
				return true;
			}
			if (c == '"' || c == '`') {
				int end = sql.indexOf(c, i + 1);
				i = (end < 0) ? length : end + 1;
			}
			else if (startsComment(sql, i)) {
				i = skipComment(sql, i);
			}
			else if (c == '$') {
				if (i + 1 < length && Character.isDigit(sql.charAt(i + 1))) {
					// a positional parameter, $1
					i += 2;
					while (i < length && Character.isDigit(sql.charAt(i))) {
						i++;
					}
				}
				else if (isDollarQuote(sql, i)) {
					return true;
				}
				else {
					i++;
				}
			}
			else if (Character.isDigit(c)) {
				if (i == 0 || !isWordPart(sql.charAt(i - 1))) {
					return true;
				}
				i++;
			}
			else {
				i++;
			}
		}
		return false;
	}

	private static boolean isWordPart(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '$';
	}

	/** PostgreSQL's {@code $$...$$} or {@code $tag$...$tag$}. */
	private static boolean isDollarQuote(String sql, int i) {
		if (i > 0 && isWordPart(sql.charAt(i - 1))) {
			return false;
		}
		int j = i + 1;
		while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
			j++;
		}
		return j < sql.length() && sql.charAt(j) == '$';
	}

	private static boolean startsComment(String sql, int i) {
		return (sql.startsWith("--", i) || sql.startsWith("/*", i));
	}

	private static int skipComment(String sql, int i) {
		if (sql.startsWith("--", i)) {
			int end = sql.indexOf('\n', i);
			return (end < 0) ? sql.length() : end + 1;
		}
		int end = sql.indexOf("*/", i + 2);
		return (end < 0) ? sql.length() : end + 2;
	}

	private static int skipSpaceAndComments(String sql, int from) {
		int i = from;
		while (i < sql.length()) {
			if (Character.isWhitespace(sql.charAt(i))) {
				i++;
			}
			else if (startsComment(sql, i)) {
				i = skipComment(sql, i);
			}
			else {
				break;
			}
		}
		return i;
	}

	private static String collapse(String sql) {
		StringBuilder collapsed = new StringBuilder(sql.length());
		boolean space = false;
		for (int i = 0; i < sql.length(); i++) {
			char c = sql.charAt(i);
			if (Character.isWhitespace(c)) {
				space = collapsed.length() > 0;
			}
			else {
				if (space) {
					collapsed.append(' ');
					space = false;
				}
				collapsed.append(c);
			}
		}
		return collapsed.toString();
	}

}

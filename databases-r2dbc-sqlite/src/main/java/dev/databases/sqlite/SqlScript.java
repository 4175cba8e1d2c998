package dev.databases.sqlite;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * SQL text split into the statements SQLite would run one after another, with the bind
 * markers of each numbered the way SQLite numbers them. sqlite-jdbc silently ignores
 * everything after the first statement, and parameters must be counted before anything
 * reaches the connection thread, so both are done here in one pass.
 *
 * @author databases
 */
final class SqlScript {

	private final List<Part> parts;

	private final int[] offsets;

	private final int parameterCount;

	private final BitSet required;

	private final Map<String, int[]> names;

	private SqlScript(List<Part> parts) {
		this.parts = parts;
		this.offsets = new int[parts.size()];
		this.required = new BitSet();
		Map<String, List<Integer>> names = new HashMap<>();
		int offset = 0;
		for (int i = 0; i < parts.size(); i++) {
			Part part = parts.get(i);
			this.offsets[i] = offset;
			for (int local = part.used.nextSetBit(1); local >= 0; local = part.used.nextSetBit(local + 1)) {
				this.required.set(offset + local - 1);
			}
			for (Map.Entry<String, Integer> marker : part.markers.entrySet()) {
				int global = offset + marker.getValue() - 1;
				names.computeIfAbsent(marker.getKey(), (key) -> new ArrayList<>()).add(global);
				String bare = bareName(marker.getKey());
				if (bare != null) {
					names.computeIfAbsent(bare, (key) -> new ArrayList<>()).add(global);
				}
			}
			offset += part.parameterCount;
		}
		this.parameterCount = offset;
		Map<String, int[]> indexes = new HashMap<>();
		names.forEach((name, list) -> indexes.put(name, list.stream().distinct().mapToInt(Integer::intValue).toArray()));
		this.names = indexes;
	}

	private static @Nullable String bareName(String marker) {
		char prefix = marker.charAt(0);
		if (prefix == ':' || prefix == '@' || prefix == '$') {
			return marker.substring(1);
		}
		return null;
	}

	List<Part> parts() {
		return this.parts;
	}

	/**
	 * Return the index of a part's first parameter among all parameters of the script.
	 * @param part the index of the part
	 * @return the zero-based global index of the part's parameter {@code ?1}
	 */
	int offset(int part) {
		return this.offsets[part];
	}

	int parameterCount() {
		return this.parameterCount;
	}

	/**
	 * Whether a bind marker refers to a parameter; {@code ?3} alone leaves {@code ?1} and
	 * {@code ?2} unused, and SQLite binds those to {@code NULL}.
	 * @param index the zero-based global index
	 * @return whether a value must be bound
	 */
	boolean isRequired(int index) {
		return this.required.get(index);
	}

	BitSet required() {
		return (BitSet) this.required.clone();
	}

	/**
	 * Return the global indexes a name binds, either the marker as written
	 * ({@code :id}, {@code $id}, {@code @id}, {@code ?2}) or its name ({@code id}).
	 * @param name the name
	 * @return the zero-based indexes, or {@code null} when no marker has that name
	 */
	int @Nullable [] indexesOf(String name) {
		return this.names.get(name);
	}

	List<String> parameterNames() {
		List<String> list = new ArrayList<>(this.names.keySet());
		Collections.sort(list);
		return list;
	}

	static SqlScript parse(String sql) {
		List<Part> parts = new ArrayList<>();
		PartBuilder part = new PartBuilder(sql);
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			int start = i;
			if (Character.isWhitespace(c)) {
				i++;
			}
			else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				int end = sql.indexOf('\n', i + 2);
				i = (end < 0) ? length : end + 1;
			}
			else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				int end = sql.indexOf("*/", i + 2);
				i = (end < 0) ? length : end + 2;
			}
			else if (c == ';') {
				i++;
				if (part.endsAtSemicolon()) {
					part.build(parts);
					part = new PartBuilder(sql);
				}
				else {
					part.token(Token.SEMICOLON, null, start, i);
				}
			}
			else if (c == '\'') {
				i = skipQuoted(sql, i, '\'');
				part.token(Token.OTHER, null, start, i);
			}
			else if (c == '"' || c == '`') {
				i = skipQuoted(sql, i, c);
				String quote = String.valueOf(c);
				String name = sql.substring(start + 1, Math.max(start + 1, i - 1)).replace(quote + quote, quote);
				part.token(Token.NAME, name, start, i);
			}
			else if (c == '[') {
				int end = sql.indexOf(']', i + 1);
				i = (end < 0) ? length : end + 1;
				part.token(Token.NAME, sql.substring(start + 1, Math.max(start + 1, i - 1)), start, i);
			}
			else if (c == '?') {
				i++;
				while (i < length && isDigit(sql.charAt(i))) {
					i++;
				}
				part.parameter(sql.substring(start, i), start, i);
			}
			else if ((c == ':' || c == '@' || c == '$') && i + 1 < length && isIdentifierPart(sql.charAt(i + 1))) {
				i = skipIdentifier(sql, i + 1);
				if (c == '$') {
					// Tcl-style names, as SQLite's tokenizer accepts them: $a::b(c)
					while (i + 2 < length && sql.startsWith("::", i) && isIdentifierPart(sql.charAt(i + 2))) {
						i = skipIdentifier(sql, i + 2);
					}
					if (i < length && sql.charAt(i) == '(') {
						int end = sql.indexOf(')', i);
						i = (end < 0) ? length : end + 1;
					}
				}
				part.parameter(sql.substring(start, i), start, i);
			}
			else if (isIdentifierStart(c)) {
				i = skipIdentifier(sql, i + 1);
				part.token(Token.WORD, sql.substring(start, i).toUpperCase(Locale.ROOT), start, i);
			}
			else if (isDigit(c) || (c == '.' && i + 1 < length && isDigit(sql.charAt(i + 1)))) {
				i++;
				while (i < length && (isIdentifierPart(sql.charAt(i)) || sql.charAt(i) == '.')) {
					i++;
				}
				part.token(Token.OTHER, null, start, i);
			}
			else if (c == '(') {
				i++;
				part.token(Token.OPEN, null, start, i);
			}
			else if (c == ')') {
				i++;
				part.token(Token.CLOSE, null, start, i);
			}
			else {
				i++;
				part.token(Token.OTHER, null, start, i);
			}
		}
		part.build(parts);
		return new SqlScript(Collections.unmodifiableList(parts));
	}

	private static int skipQuoted(String sql, int start, char quote) {
		int i = start + 1;
		int length = sql.length();
		while (i < length) {
			if (sql.charAt(i) == quote) {
				if (i + 1 < length && sql.charAt(i + 1) == quote) {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return length;
	}

	private static int skipIdentifier(String sql, int from) {
		int i = from;
		while (i < sql.length() && isIdentifierPart(sql.charAt(i))) {
			i++;
		}
		return i;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isIdentifierStart(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
	}

	private static boolean isIdentifierPart(char c) {
		return isIdentifierStart(c) || isDigit(c) || c == '$';
	}

	private enum Token {

		WORD, NAME, OPEN, CLOSE, SEMICOLON, OTHER

	}

	/**
	 * The first keyword of a statement, after any common table expressions.
	 */
	enum Verb {

		SELECT, VALUES, INSERT, REPLACE, UPDATE, DELETE, BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE, OTHER;

		boolean isDml() {
			return this == INSERT || this == REPLACE || this == UPDATE || this == DELETE;
		}

		boolean controlsTransaction() {
			return this == BEGIN || this == COMMIT || this == END || this == ROLLBACK || this == SAVEPOINT
					|| this == RELEASE;
		}

		static Verb of(String word) {
			return switch (word) {
				case "SELECT" -> SELECT;
				case "VALUES" -> VALUES;
				case "INSERT" -> INSERT;
				case "REPLACE" -> REPLACE;
				case "UPDATE" -> UPDATE;
				case "DELETE" -> DELETE;
				case "BEGIN" -> BEGIN;
				case "COMMIT" -> COMMIT;
				case "END" -> END;
				case "ROLLBACK" -> ROLLBACK;
				case "SAVEPOINT" -> SAVEPOINT;
				case "RELEASE" -> RELEASE;
				default -> OTHER;
			};
		}

	}

	/**
	 * One statement of a script.
	 *
	 * @param text the statement without its terminating semicolon and trailing comments
	 * @param parameterCount the highest parameter number, as
	 * {@code sqlite3_bind_parameter_count} reports it
	 * @param used the one-based numbers a marker refers to
	 * @param markers each named or numbered marker as written, with its number
	 * @param verb the statement's verb
	 * @param returning whether the statement has its own {@code RETURNING} clause
	 * @param savepoint the savepoint a {@code SAVEPOINT}, {@code RELEASE} or
	 * {@code ROLLBACK TO} names
	 * @param rollbackTo whether a {@code ROLLBACK} only goes back to a savepoint
	 */
	record Part(String text, int parameterCount, BitSet used, Map<String, Integer> markers, Verb verb,
			boolean returning, @Nullable String savepoint, boolean rollbackTo) {

		/**
		 * Return the statement with a {@code RETURNING} clause for generated values. Without
		 * column names an {@code INSERT} returns its {@code rowid}, which SQLite names
		 * after an {@code INTEGER PRIMARY KEY} column when the table has one.
		 * @param columns the requested columns, empty for the generated key
		 * @return the SQL to prepare
		 */
		String returning(String[] columns) {
			if (!this.verb.isDml() || this.returning) {
				return this.text;
			}
			if (columns.length == 0) {
				return (this.verb == Verb.INSERT || this.verb == Verb.REPLACE) ? this.text + " RETURNING rowid"
						: this.text;
			}
			return this.text + " RETURNING " + String.join(", ", columns);
		}

	}

	private static final class PartBuilder {

		private final String sql;

		private final List<String> head = new ArrayList<>(6);

		private final BitSet used = new BitSet();

		private final Map<String, Integer> markers = new LinkedHashMap<>();

		private int start = -1;

		private int end = -1;

		private int depth;

		private int parameterCount;

		private @Nullable Verb verb;

		private boolean returning;

		private @Nullable Token previous;

		private @Nullable String previousWord;

		private @Nullable Token beforePrevious;

		PartBuilder(String sql) {
			this.sql = sql;
		}

		void token(Token token, @Nullable String text, int from, int to) {
			if (this.start < 0) {
				this.start = from;
			}
			this.end = to;
			if (this.head.size() < 6) {
				this.head.add((token == Token.WORD || token == Token.NAME) ? text : token.name());
			}
			if (token == Token.OPEN) {
				this.depth++;
			}
			else if (token == Token.CLOSE) {
				this.depth = Math.max(0, this.depth - 1);
			}
			else if (token == Token.WORD) {
				word(text);
			}
			this.beforePrevious = this.previous;
			this.previous = token;
			this.previousWord = (token == Token.WORD) ? text : null;
		}

		private void word(@Nullable String word) {
			if (this.verb == null && this.head.size() == 1) {
				this.verb = "WITH".equals(word) ? null : Verb.of(word);
				if (this.verb == null) {
					return;
				}
			}
			if (this.verb == null && this.depth == 0) {
				// the statement after WITH ... AS (...): its verb decides what it is
				Verb main = Verb.of(word);
				if (main == Verb.SELECT || main == Verb.VALUES || main.isDml()) {
					this.verb = main;
				}
			}
			else if (this.depth == 0 && "RETURNING".equals(word) && this.verb != null && this.verb.isDml()) {
				this.returning = true;
			}
		}

		void parameter(String marker, int from, int to) {
			token(Token.OTHER, null, from, to);
			int number;
			if (marker.equals("?")) {
				number = ++this.parameterCount;
			}
			else if (marker.charAt(0) == '?') {
				number = parseNumber(marker);
				this.parameterCount = Math.max(this.parameterCount, number);
				this.markers.putIfAbsent(marker, number);
			}
			else {
				Integer known = this.markers.get(marker);
				number = (known != null) ? known : ++this.parameterCount;
				this.markers.putIfAbsent(marker, number);
			}
			this.used.set(number);
		}

		private static int parseNumber(String marker) {
			try {
				return Math.max(1, Integer.parseInt(marker.substring(1)));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("Bind marker " + marker + " is out of range", ex);
			}
		}

		/**
		 * Whether a semicolon here ends the statement. Inside {@code CREATE TRIGGER} only
		 * {@code ; END ;} does, as in SQLite's {@code sqlite3_complete}.
		 */
		boolean endsAtSemicolon() {
			if (!isTrigger()) {
				return true;
			}
			return "END".equals(this.previousWord) && this.beforePrevious == Token.SEMICOLON;
		}

		private boolean isTrigger() {
			int i = 0;
			if (i < this.head.size() && "EXPLAIN".equals(this.head.get(i))) {
				i++;
				if (i < this.head.size() && "QUERY".equals(this.head.get(i))) {
					i += 2;
				}
			}
			if (i >= this.head.size() || !"CREATE".equals(this.head.get(i))) {
				return false;
			}
			i++;
			if (i < this.head.size() && ("TEMP".equals(this.head.get(i)) || "TEMPORARY".equals(this.head.get(i)))) {
				i++;
			}
			return i < this.head.size() && "TRIGGER".equals(this.head.get(i));
		}

		void build(List<Part> parts) {
			if (this.start < 0) {
				return;
			}
			Verb verb = (this.verb != null) ? this.verb : Verb.OTHER;
			String savepoint = null;
			boolean rollbackTo = false;
			if (verb == Verb.SAVEPOINT) {
				savepoint = headAt(1);
			}
			else if (verb == Verb.RELEASE) {
				savepoint = "SAVEPOINT".equals(headAt(1)) ? headAt(2) : headAt(1);
			}
			else if (verb == Verb.ROLLBACK) {
				int to = this.head.indexOf("TO");
				rollbackTo = to > 0;
				if (rollbackTo) {
					savepoint = "SAVEPOINT".equals(headAt(to + 1)) ? headAt(to + 2) : headAt(to + 1);
				}
			}
			parts.add(new Part(this.sql.substring(this.start, this.end), this.parameterCount, this.used,
					Collections.unmodifiableMap(this.markers), verb, this.returning, savepoint, rollbackTo));
		}

		private @Nullable String headAt(int index) {
			return (index < this.head.size()) ? this.head.get(index) : null;
		}

	}

}

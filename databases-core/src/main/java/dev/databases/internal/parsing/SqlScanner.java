package dev.databases.internal.parsing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass over raw SQL that splits it into literal text and {@code :name} references, skipping
 * everything the server would not read as an expression: strings, quoted identifiers, comments
 * and dollar quotes, following the rules of a {@link SqlSyntax}.
 * <p>
 * Never throws on malformed SQL: an unterminated string or comment runs to the end, as the server
 * would read it, and the server reports the error.
 */
final class SqlScanner {

	private final String sql;

	private final SqlSyntax syntax;

	private final int length;

	private final List<String> literals = new ArrayList<>();

	private final List<String> names = new ArrayList<>();

	private final Map<String, Integer> indexByName = new HashMap<>();

	private int[] references = new int[4];

	private int referenceCount;

	// Literal text before the current position that is already final (only used after a \: escape).
	private final StringBuilder pending = new StringBuilder();

	private int literalStart;

	private SqlScanner(String sql, SqlSyntax syntax) {
		this.sql = sql;
		this.syntax = syntax;
		this.length = sql.length();
	}

	static ParsedSql scan(String sql, SqlSyntax syntax) {
		return new SqlScanner(sql, syntax).scan();
	}

	private ParsedSql scan() {
		int i = 0;
		while (i < this.length) {
			i = step(i);
		}
		String last = closeLiteral(this.length);
		this.literals.add(last);
		int[] refs = new int[this.referenceCount];
		System.arraycopy(this.references, 0, refs, 0, this.referenceCount);
		return new ParsedSql(this.sql, this.syntax.indexedMarkers(), this.literals.toArray(new String[0]), refs,
				List.copyOf(this.names));
	}

	/** Look at the character at {@code i} and return where scanning continues. */
	private int step(int i) {
		char c = this.sql.charAt(i);
		switch (c) {
			case '\'':
				return skipQuoted(i + 1, '\'', this.syntax.backslashEscapes());
			case '"':
				return skipQuoted(i + 1, '"', this.syntax.doubleQuotedStrings() && this.syntax.backslashEscapes());
			case '`':
				return this.syntax.backtickIdentifiers() ? skipQuoted(i + 1, '`', false) : i + 1;
			case '[':
				return this.syntax.bracketIdentifiers() ? skipTo(i + 1, ']') : i + 1;
			case '-':
				return isLineCommentAfterDashes(i) ? skipLine(i + 2) : i + 1;
			case '#':
				return this.syntax.hashComments() ? skipLine(i + 1) : i + 1;
			case '/':
				if (at(i + 1) == '*') {
					return skipBlockComment(i + 2);
				}
				return (at(i + 1) == '/' && this.syntax.doubleSlashComments()) ? skipLine(i + 2) : i + 1;
			case '$':
				return this.syntax.dollarQuotes() ? skipDollarQuoted(i) : i + 1;
			case 'E':
			case 'e':
				if (this.syntax.escapeStrings() && at(i + 1) == '\'' && !isIdentifierPart(at(i - 1))) {
					return skipQuoted(i + 2, '\'', true);
				}
				return i + 1;
			case '\\':
				if (at(i + 1) == ':') {
					// "\:" is a literal colon: drop the backslash, keep the colon as text.
					this.pending.append(this.sql, this.literalStart, i);
					this.literalStart = i + 1;
					return i + 2;
				}
				return i + 1;
			case ':':
				return colon(i);
			default:
				return i + 1;
		}
	}

	private int colon(int i) {
		char next = at(i + 1);
		if (next == ':') {
			// A PostgreSQL/H2 cast; skipping both keeps "::text" from reading as a parameter "text".
			return i + 2;
		}
		if (!isNameStart(next)) {
			// ":=", array slices a[1:2], time literals: not a parameter.
			return i + 1;
		}
		int end = i + 2;
		while (end < this.length && isNamePart(this.sql.charAt(end))) {
			end++;
		}
		this.literals.add(closeLiteral(i));
		this.literalStart = end;
		addReference(this.sql.substring(i + 1, end));
		return end;
	}

	private String closeLiteral(int end) {
		if (this.pending.length() == 0) {
			return this.sql.substring(this.literalStart, end);
		}
		String literal = this.pending.append(this.sql, this.literalStart, end).toString();
		this.pending.setLength(0);
		return literal;
	}

	private void addReference(String name) {
		Integer index = this.indexByName.get(name);
		if (index == null) {
			index = this.names.size();
			this.names.add(name);
			this.indexByName.put(name, index);
		}
		if (this.referenceCount == this.references.length) {
			int[] grown = new int[this.references.length * 2];
			System.arraycopy(this.references, 0, grown, 0, this.referenceCount);
			this.references = grown;
		}
		this.references[this.referenceCount++] = index;
	}

	/**
	 * Skip to just after the closing quote. A doubled quote is an escaped quote; with
	 * {@code backslash}, a backslash escapes the next character.
	 */
	private int skipQuoted(int start, char quote, boolean backslash) {
		int i = start;
		while (i < this.length) {
			char c = this.sql.charAt(i);
			if (backslash && c == '\\') {
				i += 2;
			}
			else if (c == quote) {
				if (at(i + 1) != quote) {
					return i + 1;
				}
				i += 2;
			}
			else {
				i++;
			}
		}
		return this.length;
	}

	private int skipTo(int start, char close) {
		int end = this.sql.indexOf(close, start);
		return (end < 0) ? this.length : end + 1;
	}

	/** Skip to the line break (kept as text) or the end. */
	private int skipLine(int start) {
		int i = start;
		while (i < this.length) {
			char c = this.sql.charAt(i);
			if (c == '\n' || c == '\r') {
				return i;
			}
			i++;
		}
		return this.length;
	}

	private boolean isLineCommentAfterDashes(int i) {
		if (at(i + 1) != '-') {
			return false;
		}
		if (!this.syntax.dashDashNeedsWhitespace()) {
			return true;
		}
		// MySQL reads "--" as a comment only before whitespace or a control character.
		return i + 2 >= this.length || this.sql.charAt(i + 2) <= ' ';
	}

	private int skipBlockComment(int start) {
		boolean nested = this.syntax.nestedBlockComments();
		int depth = 1;
		int i = start;
		while (i < this.length) {
			char c = this.sql.charAt(i);
			if (c == '*' && at(i + 1) == '/') {
				i += 2;
				if (--depth == 0) {
					return i;
				}
			}
			else if (nested && c == '/' && at(i + 1) == '*') {
				depth++;
				i += 2;
			}
			else {
				i++;
			}
		}
		return this.length;
	}

	/**
	 * Skip a {@code $$...$$} or {@code $tag$...$tag$} string starting at {@code i}, or just the
	 * {@code $} when it is not one ({@code $1}, or part of an identifier such as {@code a$b}).
	 */
	private int skipDollarQuoted(int i) {
		if (isIdentifierPart(at(i - 1))) {
			return i + 1;
		}
		int tagEnd = i + 1;
		if (at(tagEnd) != '$') {
			if (!this.syntax.taggedDollarQuotes() || !isTagStart(at(tagEnd))) {
				return i + 1;
			}
			tagEnd++;
			while (tagEnd < this.length && isTagPart(this.sql.charAt(tagEnd))) {
				tagEnd++;
			}
			if (at(tagEnd) != '$') {
				return i + 1;
			}
		}
		String tag = this.sql.substring(i, tagEnd + 1);
		int close = this.sql.indexOf(tag, tagEnd + 1);
		return (close < 0) ? this.length : close + tag.length();
	}

	/** The character at {@code i}, or {@code 0} outside the SQL. */
	private char at(int i) {
		return (i >= 0 && i < this.length) ? this.sql.charAt(i) : 0;
	}

	static boolean isNameStart(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
	}

	static boolean isNamePart(char c) {
		return isNameStart(c) || (c >= '0' && c <= '9');
	}

	private static boolean isTagStart(char c) {
		return isNameStart(c) || c >= 0x80;
	}

	private static boolean isTagPart(char c) {
		return isNamePart(c) || c >= 0x80;
	}

	/** Whether {@code c} can continue an unquoted identifier or number, so a following quote is not a prefix. */
	private static boolean isIdentifierPart(char c) {
		return isNamePart(c) || c == '$' || c >= 0x80;
	}

}

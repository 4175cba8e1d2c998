package dev.databases.internal.parsing;

/**
 * The lexical rules of a SQL dialect that matter when finding {@code :name} parameters: how
 * strings, quoted identifiers and comments are written, and which bind markers the driver
 * expects.
 * <p>
 * Internal to {@code dev.databases}; not a public API.
 *
 * @since 0.1.0
 */
public enum SqlSyntax {

	/**
	 * PostgreSQL: {@code $1} markers; {@code '...'} strings, {@code E'...'} escape strings,
	 * {@code $$...$$} and {@code $tag$...$tag$} dollar quotes, {@code "..."} identifiers,
	 * {@code --} and nested {@code /* *}{@code /} comments.
	 */
	POSTGRESQL,

	/**
	 * MySQL and MariaDB: {@code ?} markers; {@code '...'} and {@code "..."} strings with backslash
	 * escapes, {@code `...`} identifiers, {@code #}, {@code -- } (dashes then whitespace) and
	 * {@code /* *}{@code /} comments.
	 */
	MYSQL,

	/**
	 * H2: {@code $1} markers; {@code '...'} strings, {@code $$...$$} strings, {@code "..."} and
	 * {@code `...`} identifiers, {@code --}, {@code //} and nested {@code /* *}{@code /} comments.
	 */
	H2,

	/**
	 * SQLite: {@code ?} markers; {@code '...'} strings, {@code "..."}, {@code `...`} and
	 * {@code [...]} identifiers, {@code --} and {@code /* *}{@code /} comments.
	 */
	SQLITE;

	/**
	 * Whether markers are numbered ({@code $1}), so a name used twice reuses its index, rather
	 * than anonymous ({@code ?}), where each use binds the value again.
	 */
	boolean indexedMarkers() {
		return this == POSTGRESQL || this == H2;
	}

	/** Whether a backslash escapes the next character inside {@code '...'} (and MySQL's {@code "..."}). */
	boolean backslashEscapes() {
		return this == MYSQL;
	}

	/** Whether {@code "..."} is a string (MySQL without ANSI_QUOTES) rather than an identifier. */
	boolean doubleQuotedStrings() {
		return this == MYSQL;
	}

	/** Whether {@code E'...'} strings, with backslash escapes, exist. */
	boolean escapeStrings() {
		return this == POSTGRESQL;
	}

	/** Whether {@code `...`} quotes an identifier. PostgreSQL allows a backtick in operator names. */
	boolean backtickIdentifiers() {
		return this != POSTGRESQL;
	}

	/** Whether {@code [...]} quotes an identifier. Elsewhere brackets are array subscripts. */
	boolean bracketIdentifiers() {
		return this == SQLITE;
	}

	/** Whether {@code $$...$$} is a string. */
	boolean dollarQuotes() {
		return this == POSTGRESQL || this == H2;
	}

	/** Whether dollar quotes may carry a tag, as in {@code $fn$...$fn$}. */
	boolean taggedDollarQuotes() {
		return this == POSTGRESQL;
	}

	/** Whether block comments nest, so {@code /* /* *}{@code / *}{@code /} is one comment. */
	boolean nestedBlockComments() {
		return this == POSTGRESQL || this == H2;
	}

	/** Whether {@code #} starts a comment (on PostgreSQL it is the XOR operator). */
	boolean hashComments() {
		return this == MYSQL;
	}

	/** Whether {@code //} starts a comment. */
	boolean doubleSlashComments() {
		return this == H2;
	}

	/** Whether {@code --} starts a comment only when whitespace follows, so {@code 1--1} is arithmetic. */
	boolean dashDashNeedsWhitespace() {
		return this == MYSQL;
	}

}

package dev.databases;

import java.util.Locale;

import dev.databases.parsing.SqlSyntax;

/**
 * What differs between the databases this library supports: parameter syntax, the driver
 * to add, and the limits that shape batching.
 */
enum Backend {

	POSTGRESQL("PostgreSQL", SqlSyntax.POSTGRESQL, "org.postgresql:r2dbc-postgresql", 65535, true),

	MYSQL("MySQL/MariaDB", SqlSyntax.MYSQL, "io.asyncer:r2dbc-mysql", 65535, false),

	H2("H2", SqlSyntax.H2, "io.r2dbc:r2dbc-h2", 32767, false),

	// sqlite-jdbc builds SQLite with MAX_VARIABLE_NUMBER=250000 (PRAGMA compile_options).
	SQLITE("SQLite", SqlSyntax.SQLITE, "dev.databases:databases-r2dbc-sqlite", 250000, false);

	private final String displayName;

	private final SqlSyntax syntax;

	private final String artifact;

	private final int maxParameters;

	private final boolean keyFromReturning;

	Backend(String displayName, SqlSyntax syntax, String artifact, int maxParameters, boolean keyFromReturning) {
		this.displayName = displayName;
		this.syntax = syntax;
		this.artifact = artifact;
		this.maxParameters = maxParameters;
		this.keyFromReturning = keyFromReturning;
	}

	static Backend of(DatabaseURL url) {
		String dialect = url.dialect().toLowerCase(Locale.ROOT);
		return switch (dialect) {
			case "postgresql", "postgres" -> POSTGRESQL;
			case "mysql", "mariadb" -> MYSQL;
			case "h2" -> H2;
			case "sqlite" -> SQLITE;
			default -> throw new IllegalArgumentException("Unsupported database '" + url.dialect() + "' in URL "
					+ url + ": expected postgresql, mysql, mariadb, sqlite or h2");
		};
	}

	SqlSyntax syntax() {
		return this.syntax;
	}

	/** The Maven coordinates of the driver, for the error a missing driver gives. */
	String artifact() {
		return this.artifact;
	}

	/** How many bind parameters one statement may carry, which bounds a multi-row INSERT. */
	int maxParameters() {
		return this.maxParameters;
	}

	/**
	 * Whether the generated key comes back as the inserted row ({@code RETURNING *} on
	 * PostgreSQL) rather than as the driver's own generated-key column.
	 */
	boolean keyFromReturning() {
		return this.keyFromReturning;
	}

	/** The type to declare for a NULL value, whose real type the caller did not say. */
	Class<?> nullType() {
		// PostgreSQL infers an untyped NULL's type from its use; a varchar NULL fails for other columns.
		return (this == POSTGRESQL) ? Object.class : String.class;
	}

	@Override
	public String toString() {
		return this.displayName;
	}

}

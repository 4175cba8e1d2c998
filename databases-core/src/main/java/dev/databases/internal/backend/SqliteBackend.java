package dev.databases.internal.backend;

import java.util.List;

import dev.databases.internal.parsing.SqlSyntax;

/** SQLite through this project's R2DBC driver, databases-r2dbc-sqlite. */
final class SqliteBackend implements Backends.Named {

	@Override
	public List<String> dialects() {
		return List.of("sqlite");
	}

	@Override
	public String productName() {
		return "SQLite";
	}

	@Override
	public SqlSyntax syntax() {
		return SqlSyntax.SQLITE;
	}

	@Override
	public String artifact() {
		return "dev.databases:databases-r2dbc-sqlite";
	}

	@Override
	public int maxParameters() {
		// sqlite-jdbc builds SQLite with MAX_VARIABLE_NUMBER=250000 (PRAGMA compile_options).
		return 250000;
	}

	@Override
	public boolean anchorsInMemory() {
		// An in-memory SQLite database lives only while one of its connections is open.
		return true;
	}

	@Override
	public String toString() {
		return "SQLite";
	}

}

package dev.databases.internal.backend;

import java.util.List;

import dev.databases.internal.parsing.SqlSyntax;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;
import io.r2dbc.spi.IsolationLevel;

/** PostgreSQL through r2dbc-postgresql. */
final class PostgresBackend implements Backends.Named {

	@Override
	public List<String> dialects() {
		return List.of("postgresql", "postgres");
	}

	@Override
	public String productName() {
		return "PostgreSQL";
	}

	@Override
	public SqlSyntax syntax() {
		return SqlSyntax.POSTGRESQL;
	}

	@Override
	public String artifact() {
		return "org.postgresql:r2dbc-postgresql";
	}

	@Override
	public int maxParameters() {
		return 65535;
	}

	@Override
	public boolean keyFromReturning() {
		return true;
	}

	@Override
	public Class<?> nullType() {
		// PostgreSQL infers an untyped NULL's type from its use; a varchar NULL fails for other columns.
		return Object.class;
	}

	@Override
	public Object jsonParameter(String json) {
		return PostgresJson.of(json);
	}

	@Override
	public @Nullable Class<?> readType(ColumnMetadata column) {
		// JSON and JSONB read as their text, as on the other backends.
		return PostgresJson.isJson(column.getJavaType()) ? String.class : null;
	}

	@Override
	public List<String> beginStatements(@Nullable IsolationLevel isolation, boolean readOnly) {
		StringBuilder begin = new StringBuilder("BEGIN");
		if (isolation != null) {
			begin.append(" ISOLATION LEVEL ").append(isolation.asSql());
		}
		if (readOnly) {
			begin.append(" READ ONLY");
		}
		return List.of(begin.toString());
	}

	@Override
	public StreamBeside streamBeside() {
		return StreamBeside.CURSOR;
	}

	@Override
	public boolean fetchSizeHelps() {
		// r2dbc-postgresql already streams with back-pressure; a fetch size there only adds a
		// round trip per batch (W6 ran at 0.74 of the raw driver with it).
		return false;
	}

	@Override
	public String toString() {
		return "PostgreSQL";
	}

}

package dev.databases.internal.backend;

import java.util.List;
import java.util.Map;

import dev.databases.internal.parsing.SqlSyntax;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlParts;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;

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
	public SqlFamily sqlFamily() {
		return SqlFamily.POSTGRESQL;
	}

	/**
	 * {@code r2dbc:postgresql://}; {@code ssl} becomes {@code sslMode} (libpq's names are
	 * ours), a Unix socket {@code socket}.
	 */
	@Override
	public String toR2dbcUrl(UrlParts url) {
		Map<String, String> options = url.driverOptions(true);
		String socket = url.socket(false);
		if (socket != null) {
			options.put("socket", socketFile(socket, url.port()));
		}
		SslMode ssl = url.ssl();
		if (ssl != null) {
			options.put("sslMode", ssl.toString());
		}
		return url.toDriverUrl(url.isR2dbc() ? url.scheme().text() : "r2dbc:postgresql", socket != null,
				url.database(), options);
	}

	/** {@code jdbc:postgresql://}, with pgjdbc's {@code sslmode}; pgjdbc needs a library for sockets. */
	@Override
	public String toJdbcUrl(UrlParts url) {
		Map<String, String> options = url.driverOptions(true);
		String socket = url.socket(false);
		if (socket != null) {
			throw ServerUrls.noJdbcOverSocket(url);
		}
		SslMode ssl = url.ssl();
		if (ssl != null) {
			options.put("sslmode", ssl.toString());
		}
		return ServerUrls.jdbcUrl(url, null, options);
	}

	/** libpq takes the socket's directory; r2dbc-postgresql wants the socket file itself. */
	static String socketFile(String socket, @Nullable Integer port) {
		String name = socket.substring(socket.lastIndexOf('/') + 1);
		if (name.startsWith(".s.PGSQL.")) {
			return socket;
		}
		String directory = socket.endsWith("/") ? socket.substring(0, socket.length() - 1) : socket;
		return directory + "/.s.PGSQL." + ((port != null) ? port : 5432);
	}

	@Override
	public String toString() {
		return "PostgreSQL";
	}

}

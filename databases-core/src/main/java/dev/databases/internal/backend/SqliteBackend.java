package dev.databases.internal.backend;

import java.util.List;
import java.util.Map;

import dev.databases.internal.parsing.SqlSyntax;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlFormat;
import dev.databases.internal.url.UrlParts;
import org.jspecify.annotations.Nullable;

/** SQLite through this project's R2DBC driver, databases-r2dbc-sqlite. */
final class SqliteBackend implements Backends.Named {

	/** The options of this project's SQLite driver. */
	private final DriverOptions options = new DriverOptions("databases-r2dbc-sqlite", Map.of(), Map.of(),
			List.of("dev.databases.sqlite.SqliteConnectionFactoryProvider"), (name) -> false);

	private static final String FORMS = "sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:///:memory:";

	private static final String MEMORY = ":memory:";

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
	public SqlFamily sqlFamily() {
		return SqlFamily.SQLITE;
	}

	@Override
	public String forms() {
		return FORMS;
	}

	@Override
	public void check(UrlParts url) {
		Embedded.checkNoHostOption(url);
		if (url.isR2dbc()) {
			return;
		}
		if (url.username() != null) {
			throw new IllegalArgumentException("Invalid sqlite URL: SQLite has no user or password; write " + FORMS);
		}
		if (url.host() != null || url.port() != null) {
			throw new IllegalArgumentException("Invalid sqlite URL: SQLite has no host or port"
					+ Embedded.foundHost(url) + "; write " + FORMS);
		}
	}

	@Override
	public void checkSsl(UrlParts url, SslMode ssl) {
		Embedded.checkSsl(url, ssl);
	}

	/**
	 * {@code sqlite://}, {@code sqlite:///:memory:}, {@code sqlite:///file::memory:?cache=shared}
	 * and {@code ?mode=memory}.
	 */
	@Override
	public boolean isInMemory(UrlParts url) {
		String database = url.database();
		return database == null || database.equals(MEMORY) || database.startsWith("file::memory:")
				|| "memory".equals(url.options().get("mode"));
	}

	/** {@code r2dbc:sqlite:///path} or {@code r2dbc:sqlite:///:memory:}. */
	@Override
	public String toR2dbcUrl(UrlParts url) {
		Map<String, String> options = this.options.forR2dbc(url.driverOptions(false));
		if (url.isR2dbc()) {
			return url.toDriverUrl(url.scheme().text(), false, url.database(), options);
		}
		return url.toDriverUrl("r2dbc:sqlite", false, inMemoryIfNone(url.database()), options);
	}

	/** {@code jdbc:sqlite:relative.db}, {@code jdbc:sqlite:/absolute.db} or {@code jdbc:sqlite::memory:}. */
	@Override
	public String toJdbcUrl(UrlParts url) {
		Map<String, String> options = this.options.forJdbc(url.driverOptions(false));
		return "jdbc:sqlite:" + inMemoryIfNone(url.database())
				+ (options.isEmpty() ? "" : "?" + UrlFormat.query(options, false));
	}

	private static String inMemoryIfNone(@Nullable String database) {
		return (database != null) ? database : MEMORY;
	}

	@Override
	public @Nullable String optionProblem(String name) {
		return this.options.problem(name, productName());
	}

	@Override
	public String toString() {
		return "SQLite";
	}

}

package dev.databases.relational;

import dev.databases.internal.backend.Backend;
import org.springframework.data.relational.core.dialect.AnsiDialect;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.dialect.H2Dialect;
import org.springframework.data.relational.core.dialect.MariaDbDialect;
import org.springframework.data.relational.core.dialect.MySqlDialect;
import org.springframework.data.relational.core.dialect.PostgresDialect;
import org.springframework.data.relational.core.dialect.RenderContextFactory;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.data.relational.core.sql.IdentifierProcessing.LetterCasing;
import org.springframework.data.relational.core.sql.IdentifierProcessing.Quoting;
import org.springframework.data.relational.core.sql.render.SqlRenderer;

/**
 * The Spring Data Relational dialect, and a renderer for it, for each database this library
 * supports, as its backend names the SQL it speaks.
 */
final class RelationalDialects {

	// The singletons Spring offers for these are deprecated in favour of spring-data-r2dbc's,
	// which we do not depend on; the constructors are protected, hence the subclasses.
	private static final Dialect POSTGRES = new PostgresDialect() {
	};

	private static final Dialect H2 = new H2Dialect() {
	};

	// Table names are case-sensitive on MySQL for Linux, so quoted names keep their case.
	private static final IdentifierProcessing MYSQL_IDENTIFIERS = IdentifierProcessing.create(new Quoting("`"),
			LetterCasing.AS_IS);

	private static final Dialect MYSQL = new MySqlDialect(MYSQL_IDENTIFIERS);

	private static final Dialect MARIADB = new MariaDbDialect(MYSQL_IDENTIFIERS);

	static final SqlRenderer ANSI_RENDERER = renderer(AnsiDialect.INSTANCE);

	private static final SqlRenderer POSTGRES_RENDERER = renderer(POSTGRES);

	private static final SqlRenderer MYSQL_RENDERER = renderer(MYSQL);

	private static final SqlRenderer MARIADB_RENDERER = renderer(MARIADB);

	private static final SqlRenderer H2_RENDERER = renderer(H2);

	private static final SqlRenderer SQLITE_RENDERER = renderer(SqliteDialect.INSTANCE);

	private RelationalDialects() {
	}

	/**
	 * The renderer for a {@code DatabaseURL.dialect()}.
	 * @throws IllegalArgumentException for a database this library does not support
	 */
	static SqlRenderer renderer(String dialect) {
		Backend backend = Backend.find(dialect);
		if (backend == null) {
			throw new IllegalArgumentException("No Spring Data Relational dialect for database '" + dialect
					+ "': expected " + Backend.SUPPORTED);
		}
		return switch (backend.sqlFamily()) {
			case POSTGRESQL -> POSTGRES_RENDERER;
			case MYSQL -> MYSQL_RENDERER;
			case MARIADB -> MARIADB_RENDERER;
			case H2 -> H2_RENDERER;
			case SQLITE -> SQLITE_RENDERER;
		};
	}


	private static SqlRenderer renderer(Dialect dialect) {
		return SqlRenderer.create(new RenderContextFactory(dialect).createRenderContext());
	}

}

package dev.databases.jooq;

import dev.databases.internal.backend.Backend;
import org.jooq.SQLDialect;

/**
 * The jOOQ dialect for each database this library supports, as its backend names the SQL it
 * speaks.
 */
final class JooqDialects {

	private JooqDialects() {
	}

	/**
	 * The dialect for a {@code DatabaseURL.dialect()}.
	 * @throws IllegalArgumentException for a database this library does not support
	 */
	static SQLDialect of(String dialect) {
		Backend backend = Backend.find(dialect);
		if (backend == null) {
			throw new IllegalArgumentException(
					"No jOOQ dialect for database '" + dialect + "': expected " + Backend.SUPPORTED);
		}
		return switch (backend.sqlFamily()) {
			case POSTGRESQL -> SQLDialect.POSTGRES;
			case MYSQL -> SQLDialect.MYSQL;
			case MARIADB -> SQLDialect.MARIADB;
			case H2 -> SQLDialect.H2;
			case SQLITE -> SQLDialect.SQLITE;
		};
	}

}

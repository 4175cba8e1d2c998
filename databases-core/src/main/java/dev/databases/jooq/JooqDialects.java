package dev.databases.jooq;

import java.util.Locale;

import org.jooq.SQLDialect;

/**
 * The jOOQ dialect for each database this library supports.
 */
final class JooqDialects {

	private JooqDialects() {
	}

	/**
	 * The dialect for a {@code DatabaseURL.dialect()}.
	 * @throws IllegalArgumentException for a database this library does not support
	 */
	static SQLDialect of(String dialect) {
		return switch (dialect.toLowerCase(Locale.ROOT)) {
			case "postgresql", "postgres" -> SQLDialect.POSTGRES;
			case "mysql" -> SQLDialect.MYSQL;
			case "mariadb" -> SQLDialect.MARIADB;
			case "h2" -> SQLDialect.H2;
			case "sqlite" -> SQLDialect.SQLITE;
			default -> throw new IllegalArgumentException("No jOOQ dialect for database '" + dialect
					+ "': expected postgresql, mysql, mariadb, sqlite or h2");
		};
	}

}

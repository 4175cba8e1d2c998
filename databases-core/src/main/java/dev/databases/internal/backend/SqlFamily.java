package dev.databases.internal.backend;

/**
 * The SQL a query builder renders for a backend: each builder adapter maps these to its own
 * dialects, so that it never reads a database's name.
 */
public enum SqlFamily {

	/** PostgreSQL's SQL. */
	POSTGRESQL,

	/** MySQL's SQL. */
	MYSQL,

	/** MariaDB's SQL, MySQL's with its own additions. */
	MARIADB,

	/** H2's SQL. */
	H2,

	/** SQLite's SQL. */
	SQLITE

}

/**
 * An R2DBC driver for SQLite over sqlite-jdbc: each connection owns one thread on which
 * every JDBC call runs, rows are streamed with back-pressure, and in-memory databases are
 * shared by all connections of one {@link dev.databases.sqlite.SqliteConnectionFactory}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.databases.sqlite;

import org.jspecify.annotations.NullMarked;

/**
 * Simple reactive access to PostgreSQL, MySQL/MariaDB, SQLite and H2: {@link dev.databases.Database},
 * {@link dev.databases.DatabaseURL}, {@link dev.databases.Record} and transactions.
 */
@NullMarked
package dev.databases;

import org.jspecify.annotations.NullMarked;

/**
 * Flyway migrations run from {@code databases.url}, through its JDBC form, before the database connects.
 */
@NullMarked
package dev.databases.boot.flyway;

import org.jspecify.annotations.NullMarked;

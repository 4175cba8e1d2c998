/**
 * The errors of a {@link dev.databases.Database} as Spring's {@code DataAccessException}
 * types, as {@code DatabaseClient} gives them.
 */
@NullMarked
package dev.databases.boot.dao;

import org.jspecify.annotations.NullMarked;

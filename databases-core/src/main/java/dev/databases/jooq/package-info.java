/**
 * jOOQ queries as {@link dev.databases.Query queries}: {@link dev.databases.jooq.JooqQuery}.
 * Needs {@code org.jooq:jooq} on the classpath; nothing else in this library does.
 */
@NullMarked
package dev.databases.jooq;

import org.jspecify.annotations.NullMarked;

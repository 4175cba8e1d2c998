package dev.databases.internal.parsing;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * SQL rewritten to the driver's bind markers, with the values to bind by position.
 * <p>
 * Internal to {@code dev.databases}; not a public API.
 *
 * @param sql the SQL with {@code $1}/{@code ?} markers in place of {@code :name} parameters
 * @param values the values in marker order ({@code values.get(0)} binds {@code $1} or the first
 * {@code ?}); {@code null} elements stand for SQL {@code NULL}
 * @since 0.1.0
 */
public record BoundSql(String sql, List<@Nullable Object> values) {

}

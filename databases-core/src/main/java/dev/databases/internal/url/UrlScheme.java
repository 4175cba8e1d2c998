package dev.databases.internal.url;

import org.jspecify.annotations.Nullable;

/**
 * The scheme of a database URL, read: {@code postgres+asyncpg} is dialect {@code postgresql}
 * with driver {@code asyncpg}, {@code h2:mem} is dialect {@code h2} with protocol
 * {@code mem}, {@code r2dbc:pool:postgresql} is an R2DBC URL of dialect {@code postgresql}.
 *
 * @param text the scheme as written, in lower case
 * @param dialect the database it names, aliases resolved; for an R2DBC URL its driver's name
 * @param driver the part after {@code +}, or {@code null}
 * @param protocol the part after the dialect's {@code :}, or {@code null}
 * @param r2dbc whether the URL is an R2DBC URL, passed on as it is
 */
public record UrlScheme(String text, String dialect, @Nullable String driver, @Nullable String protocol,
		boolean r2dbc) {
}

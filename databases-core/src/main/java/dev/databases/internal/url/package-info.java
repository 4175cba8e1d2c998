/**
 * Internal: the plain parts of a database URL as the backends read them, and what any URL
 * needs whatever the database (percent-encoding, formatting with the password masked, the
 * {@code ssl} modes, the names of the library's own options). Knows no database and
 * nothing of the library; {@code dev.databases} and the backends are its callers, and these
 * types may change in any release.
 */
@NullMarked
package dev.databases.internal.url;

import org.jspecify.annotations.NullMarked;

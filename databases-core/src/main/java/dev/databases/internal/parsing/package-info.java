/**
 * Internal: the {@code :name} parameter parser that turns raw SQL into each driver's bind
 * markers. Not a public API; {@code dev.databases} is the only intended caller and these types
 * may change in any release.
 */
@NullMarked
package dev.databases.internal.parsing;

import org.jspecify.annotations.NullMarked;

/**
 * Wrappers of R2DBC SPI types that the pool and the backends build on. Internal: not
 * exported by the module.
 */
@NullMarked
package dev.databases.internal.r2dbc;

import org.jspecify.annotations.NullMarked;

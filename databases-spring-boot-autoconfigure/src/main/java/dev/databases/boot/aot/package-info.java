/**
 * Ahead-of-time processing and native images: runtime hints for migration scripts, mapped
 * records and the driver internals the library reads reflectively.
 */
@NullMarked
package dev.databases.boot.aot;

import org.jspecify.annotations.NullMarked;

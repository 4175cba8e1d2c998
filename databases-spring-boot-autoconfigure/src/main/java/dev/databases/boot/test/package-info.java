/**
 * The {@code @DatabaseTest} slice: only the databases auto-configuration, rolled back after every test method.
 */
@NullMarked
package dev.databases.boot.test;

import org.jspecify.annotations.NullMarked;

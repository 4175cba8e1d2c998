/**
 * Micrometer Observation of the statements a Database runs.
 */
@NullMarked
package dev.databases.boot.observation;

import org.jspecify.annotations.NullMarked;

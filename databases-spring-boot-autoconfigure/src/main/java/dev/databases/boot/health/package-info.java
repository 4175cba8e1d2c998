/**
 * Actuator health for databases: a validation query and the pool's figures.
 */
@NullMarked
package dev.databases.boot.health;

import org.jspecify.annotations.NullMarked;

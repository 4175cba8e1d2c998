/**
 * A small WebFlux notes application on the databases Spring Boot starter.
 */
@NullMarked
package dev.databases.sample;

import org.jspecify.annotations.NullMarked;

/**
 * Spring Boot auto-configuration for databases: the {@code Database} bean from {@code databases.*}, its lifecycle,
 * the shared {@code ConnectionFactory}, and the failure analysis of a bad URL.
 */
@NullMarked
package dev.databases.boot;

import org.jspecify.annotations.NullMarked;

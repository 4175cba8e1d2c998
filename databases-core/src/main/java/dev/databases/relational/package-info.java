/**
 * Spring Data Relational statements as {@link dev.databases.Query queries}:
 * {@link dev.databases.relational.RelationalQuery}. Needs
 * {@code org.springframework.data:spring-data-relational} on the classpath; nothing else in
 * this library does.
 */
@NullMarked
package dev.databases.relational;

import org.jspecify.annotations.NullMarked;

/**
 * Micrometer metrics for databases: pool gauges and connection timers (acquire, usage,
 * creation) and acquire timeouts.
 */
@NullMarked
package dev.databases.boot.metrics;

import org.jspecify.annotations.NullMarked;

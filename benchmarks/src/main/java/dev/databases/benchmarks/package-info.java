/**
 * JMH benchmarks of the workloads W1-W7 ({@code /work/shared/WORKLOADS.md}): this library
 * against raw R2DBC with r2dbc-pool, Spring's {@code DatabaseClient} and JDBC, on
 * PostgreSQL, MariaDB, H2 and SQLite. Run them with {@code benchmarks/run}.
 */
@NullMarked
package dev.databases.benchmarks;

import org.jspecify.annotations.NullMarked;

package dev.databases.boot.metrics;

import java.util.function.ToDoubleFunction;

import dev.databases.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.pool.PoolMetrics;

/**
 * Micrometer gauges of a {@link Database}'s pool, named like HikariCP's:
 * {@code databases.connections.active} (lent out), {@code .idle}, {@code .pending} (callers
 * waiting), {@code .total} (open) and {@code .max}, read from the pool whoever uses it. Each
 * is tagged {@code name} with the Database bean's name. The timers are
 * {@link DatabaseConnectionMetrics}'.
 *
 * @since 0.1.0
 */
public final class DatabasePoolMetrics implements MeterBinder {

	private final Database database;

	private final Tags tags;

	/**
	 * Create metrics for a database.
	 * @param database the database
	 * @param name its name, the {@code name} tag
	 * @param tags further tags
	 */
	public DatabasePoolMetrics(Database database, String name, Iterable<Tag> tags) {
		this.database = database;
		this.tags = Tags.of(tags).and("name", name);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "active", "Connections lent out", PoolMetrics::acquiredSize);
		gauge(registry, "idle", "Open connections not in use", PoolMetrics::idleSize);
		gauge(registry, "pending", "Callers waiting for a connection", PoolMetrics::pendingAcquireSize);
		gauge(registry, "total", "Open connections", PoolMetrics::allocatedSize);
		gauge(registry, "max", "Maximum number of connections", PoolMetrics::getMaxAllocatedSize);
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToDoubleFunction<PoolMetrics> value) {
		ToDoubleFunction<Database> read = (database) -> database.poolMetrics().map(value::applyAsDouble).orElse(0.0);
		Gauge.builder(DatabaseConnectionMetrics.PREFIX + "." + name, this.database, read)
			.description(description)
			.tags(this.tags)
			.baseUnit("connections")
			.register(registry);
	}

}

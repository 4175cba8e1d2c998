package dev.databases.boot.metrics;

import java.util.function.ToDoubleFunction;

import dev.databases.Database;
import dev.databases.boot.PoolFigure;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer gauges of a {@link Database}'s pool, named like HikariCP's:
 * {@code databases.connections.active} (lent out), {@code .idle}, {@code .pending} (callers
 * waiting), {@code .total} (open) and {@code .max}, read from the pool whoever uses it; the health indicator
 * shows the same {@link PoolFigure}s under the same names. Each
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
		for (PoolFigure figure : PoolFigure.values()) {
			gauge(registry, figure);
		}
	}

	private void gauge(MeterRegistry registry, PoolFigure figure) {
		ToDoubleFunction<Database> read = (database) -> database.poolMetrics()
			.map((metrics) -> (double) figure.read(metrics))
			.orElse(0.0);
		Gauge.builder(DatabaseConnectionMetrics.PREFIX + "." + figure.figureName(), this.database, read)
			.description(figure.description())
			.tags(this.tags)
			.baseUnit("connections")
			.register(registry);
	}

}

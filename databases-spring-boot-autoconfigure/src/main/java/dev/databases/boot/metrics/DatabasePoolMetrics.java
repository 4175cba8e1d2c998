package dev.databases.boot.metrics;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import dev.databases.Database;
import dev.databases.boot.PoolFigure;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.pool.PoolMetrics;

/**
 * Micrometer gauges of a {@link Database}'s pool, named like HikariCP's:
 * {@code databases.connections.active} (lent out), {@code .idle}, {@code .pending} (callers
 * waiting), {@code .total} (open) and {@code .max}, read from the pool whoever uses it; the health indicator
 * shows the same {@link PoolFigure}s under the same names. Each
 * is tagged {@code name} with the Database bean's name. With read replicas, each server
 * has its own set, tagged {@code server}: {@code primary}, {@code replica-0}, ... The timers are
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
		int replicas = this.database.replicas().size();
		// The server tag only with replicas: without them the meters stay as they always were.
		Tags primary = (replicas > 0) ? this.tags.and("server", "primary") : this.tags;
		for (PoolFigure figure : PoolFigure.values()) {
			gauge(registry, figure, primary, Database::poolMetrics);
			for (int i = 0; i < replicas; i++) {
				int index = i;
				gauge(registry, figure, this.tags.and("server", "replica-" + i),
						(database) -> database.replicas().get(index).poolMetrics());
			}
		}
	}

	private void gauge(MeterRegistry registry, PoolFigure figure, Tags tags,
			Function<Database, Optional<PoolMetrics>> pool) {
		ToDoubleFunction<Database> read = (database) -> pool.apply(database)
			.map((metrics) -> (double) figure.read(metrics))
			.orElse(0.0);
		Gauge.builder(DatabaseConnectionMetrics.PREFIX + "." + figure.figureName(), this.database, read)
			.description(figure.description())
			.tags(tags)
			.baseUnit("connections")
			.register(registry);
	}

}

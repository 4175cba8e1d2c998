package dev.databases.boot.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.databases.AcquireTimeoutException;
import dev.databases.DatabaseListener;
import dev.databases.boot.ConnectionLeaseListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer timers of a {@link dev.databases.Database}'s connections, named like
 * HikariCP's:
 * <ul>
 * <li>{@code databases.connections.acquire}: the wait for a connection, granted or not;</li>
 * <li>{@code databases.connections.usage}: how long a connection was held;</li>
 * <li>{@code databases.connections.creation}: how long opening a new connection took;</li>
 * <li>the counter {@code databases.connections.timeout}: waits that timed out.</li>
 * </ul>
 * It hears of the connections the Database borrows for its own work as its
 * {@link DatabaseListener}, and of those lent through the {@code ConnectionFactory} bean to
 * Spring's {@code DatabaseClient}, {@code R2dbcEntityTemplate} and transaction manager as a
 * {@link ConnectionLeaseListener}: the two never see the same connection, so each is counted
 * once. Every meter is tagged {@code name} with the Database bean's name. Events before it is
 * bound to a registry are not recorded.
 *
 * @since 0.1.0
 */
public final class DatabaseConnectionMetrics implements MeterBinder, DatabaseListener, ConnectionLeaseListener {

	static final String PREFIX = "databases.connections";

	private final Tags tags;

	private final List<Meters> bound = new CopyOnWriteArrayList<>();

	/**
	 * Create the metrics of a database.
	 * @param name the Database bean's name, the {@code name} tag
	 * @param tags further tags
	 */
	public DatabaseConnectionMetrics(String name, Iterable<Tag> tags) {
		this.tags = Tags.of(tags).and("name", name);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Timer acquire = Timer.builder(PREFIX + ".acquire")
			.description("Time waited for a connection")
			.tags(this.tags)
			.register(registry);
		Timer usage = Timer.builder(PREFIX + ".usage")
			.description("Time a connection was held")
			.tags(this.tags)
			.register(registry);
		Timer creation = Timer.builder(PREFIX + ".creation")
			.description("Time taken to open a new connection")
			.tags(this.tags)
			.register(registry);
		Counter timeout = Counter.builder(PREFIX + ".timeout")
			.description("Requests for a connection that timed out")
			.tags(this.tags)
			.register(registry);
		this.bound.add(new Meters(acquire, usage, creation, timeout));
	}

	// As the Database's listener: its own work

	@Override
	public @Nullable Object connectionAcquired(Duration waited) {
		acquired(waited);
		return null;
	}

	@Override
	public void connectionAcquireFailed(Duration waited, Throwable error) {
		acquireFailed(waited, error);
	}

	@Override
	public void connectionReleased(@Nullable Object context, Duration held) {
		released(held);
	}

	@Override
	public void connectionCreated(Duration took) {
		this.bound.forEach((meters) -> meters.creation.record(took));
	}

	// As a ConnectionLeaseListener: what Spring borrows through the ConnectionFactory bean

	@Override
	public void acquired(Duration waited) {
		this.bound.forEach((meters) -> meters.acquire.record(waited));
	}

	@Override
	public void acquireFailed(Duration waited, Throwable error) {
		boolean timedOut = error instanceof AcquireTimeoutException || error instanceof R2dbcTimeoutException;
		this.bound.forEach((meters) -> {
			meters.acquire.record(waited);
			if (timedOut) {
				meters.timeout.increment();
			}
		});
	}

	@Override
	public void released(Duration held) {
		this.bound.forEach((meters) -> meters.usage.record(held));
	}

	@Override
	public String toString() {
		return "DatabaseConnectionMetrics" + this.tags;
	}

	private record Meters(Timer acquire, Timer usage, Timer creation, Counter timeout) {

	}

}

package dev.databases.boot.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.databases.AcquireTimeoutException;
import dev.databases.DatabaseListener;
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
 * <li>the counter {@code databases.connections.timeout}: waits that timed out;</li>
 * <li>the counter {@code databases.transactions.retries}: transactions run again after a
 * serialization failure or a deadlock ({@code TransactionOptions.retry}).</li>
 * </ul>
 * As the Database's {@link DatabaseListener} it hears of every connection once: those the
 * Database borrows for its own work and those lent through the {@code ConnectionFactory}
 * bean to Spring's {@code DatabaseClient}, {@code R2dbcEntityTemplate} and transaction
 * manager. Every meter is tagged {@code name} with the Database bean's name. Events before
 * it is bound to a registry are not recorded.
 *
 * @since 0.1.0
 */
public final class DatabaseConnectionMetrics implements MeterBinder, DatabaseListener {

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
		Timer acquire = timer(registry, "acquire", "Time waited for a connection");
		Timer usage = timer(registry, "usage", "Time a connection was held");
		Timer creation = timer(registry, "creation", "Time taken to open a new connection");
		Counter timeout = Counter.builder(PREFIX + ".timeout")
			.description("Requests for a connection that timed out")
			.tags(this.tags)
			.register(registry);
		Counter retries = Counter.builder("databases.transactions.retries")
			.description("Transactions run again after a serialization failure or a deadlock")
			.tags(this.tags)
			.register(registry);
		this.bound.add(new Meters(acquire, usage, creation, timeout, retries));
	}

	private Timer timer(MeterRegistry registry, String name, String description) {
		return Timer.builder(PREFIX + "." + name).description(description).tags(this.tags).register(registry);
	}

	@Override
	public @Nullable Object connectionAcquired(Duration waited) {
		this.bound.forEach((meters) -> meters.acquire.record(waited));
		return null;
	}

	@Override
	public void connectionAcquireFailed(Duration waited, Throwable error) {
		// A wait on the Database's own pool fails with AcquireTimeoutException, one through the
		// ConnectionFactory bean with r2dbc-pool's R2dbcTimeoutException.
		boolean timedOut = error instanceof AcquireTimeoutException || error instanceof R2dbcTimeoutException;
		this.bound.forEach((meters) -> {
			meters.acquire.record(waited);
			if (timedOut) {
				meters.timeout.increment();
			}
		});
	}

	@Override
	public void connectionReleased(@Nullable Object context, Duration held) {
		this.bound.forEach((meters) -> meters.usage.record(held));
	}

	@Override
	public void connectionCreated(Duration took) {
		this.bound.forEach((meters) -> meters.creation.record(took));
	}

	@Override
	public void transactionRetried(int attempt, Throwable error) {
		this.bound.forEach((meters) -> meters.retries.increment());
	}

	@Override
	public String toString() {
		return "DatabaseConnectionMetrics" + this.tags;
	}

	private record Meters(Timer acquire, Timer usage, Timer creation, Counter timeout, Counter retries) {

	}

}

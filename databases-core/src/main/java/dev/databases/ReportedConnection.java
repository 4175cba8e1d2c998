package dev.databases;

import dev.databases.internal.r2dbc.DelegatingConnection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A connection lent through {@link DatabaseConnectionFactory} (to Spring's DatabaseClient,
 * R2dbcEntityTemplate and transaction manager) whose lease is told to the Database's
 * {@link DatabaseListener} as the leases of its own work are: the wait once it is handed
 * over or has failed, and how long it was held when it is first closed. So one listener
 * hears of every connection once, whoever borrowed it.
 */
final class ReportedConnection extends DelegatingConnection {

	private final DatabaseListener listener;

	private final long acquiredAt;

	private final @Nullable Object leaseContext;

	private final AtomicBoolean released = new AtomicBoolean();

	private ReportedConnection(io.r2dbc.spi.Connection target, DatabaseListener listener, long acquiredAt,
			@Nullable Object leaseContext) {
		super(target);
		this.listener = listener;
		this.acquiredAt = acquiredAt;
		this.leaseContext = leaseContext;
	}

	/**
	 * {@code lending}, its connections reported to {@code listener}.
	 * @param lending the pool's lending, timed from its subscription
	 * @param listener the Database's listener
	 * @return the connections, wrapped
	 */
	static Mono<io.r2dbc.spi.Connection> lend(Mono<io.r2dbc.spi.Connection> lending, DatabaseListener listener) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return lending.<io.r2dbc.spi.Connection>map((connection) -> {
				long acquired = System.nanoTime();
				@Nullable Object context = Listeners.acquired(listener, Duration.ofNanos(acquired - start));
				return new ReportedConnection(connection, listener, acquired, context);
			}).doOnError((error) -> {
				Duration waited = Duration.ofNanos(System.nanoTime() - start);
				Listeners.acquireFailed(listener, waited, error);
			});
		});
	}

	/**
	 * Tell the listener the lease ended (on the first close only), then give the connection back.
	 * @return the pool's close
	 */
	@Override
	public Publisher<Void> close() {
		return Mono.defer(() -> {
			if (this.released.compareAndSet(false, true)) {
				Listeners.released(this.listener, this.leaseContext,
						Duration.ofNanos(System.nanoTime() - this.acquiredAt));
			}
			return Mono.from(this.target.close());
		});
	}

}

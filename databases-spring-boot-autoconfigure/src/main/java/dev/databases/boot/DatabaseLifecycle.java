package dev.databases.boot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.databases.Database;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * Connects the application's {@link Database} beans when the application context starts
 * and disconnects them when it closes.
 * <p>
 * Its {@link #PHASE phase} is below the web server's ({@code DEFAULT_PHASE - 2048}), so the
 * databases are connected before the server takes traffic and disconnected after it has
 * stopped. A database that cannot be reached fails the startup. Use the databases from
 * {@code ApplicationRunner}s, {@code CommandLineRunner}s and requests, not from
 * {@code @PostConstruct} methods, which run before the context starts.
 *
 * @since 0.1.0
 */
public final class DatabaseLifecycle implements SmartLifecycle {

	/** The phase: before the web server starts, after it stops. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(DatabaseLifecycle.class);

	private final List<Database> databases;

	private volatile boolean running;

	/**
	 * Create a lifecycle for the given databases.
	 * @param databases the databases, connected in this order and disconnected in reverse
	 */
	public DatabaseLifecycle(List<Database> databases) {
		this.databases = List.copyOf(databases);
	}

	@Override
	public void start() {
		// Lifecycle callbacks are synchronous: the context must not go on (and the web server
		// must not start) before the pool is open, so this waits. connect() fails within the
		// connect_timeout when the server cannot be reached.
		for (Database database : this.databases) {
			database.connect().block();
			if (logger.isDebugEnabled()) {
				logger.debug("Connected " + database);
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		disconnectAll().block();
	}

	@Override
	public void stop(Runnable callback) {
		// Disconnecting waits for work in flight (at most disconnect_timeout): the other beans
		// of this phase stop meanwhile, and the context waits for the callback.
		this.running = false;
		disconnectAll().doFinally((signal) -> callback.run()).subscribe();
	}

	private Mono<Void> disconnectAll() {
		List<Database> reversed = new ArrayList<>(this.databases);
		Collections.reverse(reversed);
		return Flux.fromIterable(reversed)
			.concatMap((database) -> database.disconnect().onErrorResume((error) -> {
				logger.warn("Disconnecting " + database + " failed", error);
				return Mono.empty();
			}))
			.then();
	}

	/**
	 * Not pauseable: when Spring's test context cache pauses an unused context, its
	 * databases stay connected, so an in-memory database keeps its data and migrations and a
	 * force-rollback database keeps its outer transaction.
	 * @return {@code false}
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}

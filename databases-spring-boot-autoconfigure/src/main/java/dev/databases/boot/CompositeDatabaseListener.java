package dev.databases.boot;

import java.time.Duration;
import java.util.List;

import dev.databases.DatabaseListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Several {@link DatabaseListener}s as the one a {@link dev.databases.Database} takes. Each
 * listener gets back the context it returned for a connection, and one that fails does not
 * keep the others from being told.
 */
final class CompositeDatabaseListener implements DatabaseListener {

	private static final Log logger = LogFactory.getLog(CompositeDatabaseListener.class);

	private final List<DatabaseListener> listeners;

	private CompositeDatabaseListener(List<DatabaseListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * The listener for a database.
	 * @param listeners the listeners, in order
	 * @return {@code null} for none, the listener itself for one, or a composite
	 */
	static @Nullable DatabaseListener of(List<DatabaseListener> listeners) {
		return switch (listeners.size()) {
			case 0 -> null;
			case 1 -> listeners.get(0);
			default -> new CompositeDatabaseListener(listeners);
		};
	}

	@Override
	public @Nullable Object connectionAcquired(Duration waited) {
		@Nullable Object[] contexts = new Object[this.listeners.size()];
		for (int i = 0; i < contexts.length; i++) {
			DatabaseListener listener = this.listeners.get(i);
			contexts[i] = call(listener, () -> listener.connectionAcquired(waited));
		}
		return contexts;
	}

	@Override
	public void connectionAcquireFailed(Duration waited, Throwable error) {
		this.listeners.forEach((listener) -> run(listener, () -> listener.connectionAcquireFailed(waited, error)));
	}

	@Override
	public void connectionReleased(@Nullable Object context, Duration held) {
		@Nullable Object[] contexts = (context instanceof Object[] array && array.length == this.listeners.size())
				? array : new Object[this.listeners.size()];
		for (int i = 0; i < contexts.length; i++) {
			DatabaseListener listener = this.listeners.get(i);
			Object own = contexts[i];
			run(listener, () -> listener.connectionReleased(own, held));
		}
	}

	@Override
	public void connectionCreated(Duration took) {
		this.listeners.forEach((listener) -> run(listener, () -> listener.connectionCreated(took)));
	}

	@Override
	public void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
		this.listeners.forEach((listener) -> run(listener, () -> listener.queryCompleted(sql, duration, error)));
	}

	private static void run(DatabaseListener listener, Runnable callback) {
		call(listener, () -> {
			callback.run();
			return null;
		});
	}

	private static @Nullable Object call(DatabaseListener listener, Callback callback) {
		try {
			return callback.call();
		}
		catch (RuntimeException ex) {
			// The Database would swallow it too, but then the listeners after it would miss the event.
			logger.debug("DatabaseListener " + listener + " failed", ex);
			return null;
		}
	}

	@Override
	public String toString() {
		return "CompositeDatabaseListener" + this.listeners;
	}

	@FunctionalInterface
	private interface Callback {

		@Nullable Object call();

	}

}

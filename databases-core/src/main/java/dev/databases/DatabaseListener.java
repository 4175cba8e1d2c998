package dev.databases;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Callbacks on a {@link Database}'s connections and statements, for metrics, tracing and
 * leak warnings (the Spring Boot starter registers one for Micrometer). Set with
 * {@link Database.Builder#listener(DatabaseListener)}. The connection callbacks cover every
 * connection lent out of the pool once: those the Database borrows for its own work and
 * those lent through {@link Database#connectionFactory()} (to Spring's
 * {@code DatabaseClient} or transaction manager), whose lease ends when they are closed.
 * <p>
 * Callbacks run on the thread that completed the event, often a driver's event loop:
 * they must be quick and must not block. An exception thrown by a callback is ignored.
 *
 * @since 0.1.0
 */
public interface DatabaseListener {

	/**
	 * A connection was lent out of the pool.
	 * @param waited how long the caller waited for it
	 * @return any object to be handed back to {@link #connectionReleased} for this
	 * connection (for example the caller's stack, to name it in a leak warning), or
	 * {@code null}
	 */
	default @Nullable Object connectionAcquired(Duration waited) {
		return null;
	}

	/**
	 * No connection could be lent: the pool was exhausted or the server unreachable.
	 * @param waited how long the caller waited
	 * @param error the error the caller receives
	 */
	default void connectionAcquireFailed(Duration waited, Throwable error) {
	}

	/**
	 * A lent connection came back to the pool.
	 * @param context what {@link #connectionAcquired} returned for it
	 * @param held how long it was held
	 */
	default void connectionReleased(@Nullable Object context, Duration held) {
	}

	/**
	 * The pool opened a new connection to the server.
	 * @param took how long opening it took
	 */
	default void connectionCreated(Duration took) {
	}

	/**
	 * A statement finished.
	 * @param sql the SQL as the caller wrote it, with {@code :name} parameters and never values
	 * @param duration from sending it to its last row or its error
	 * @param error the error it ended with, or {@code null} when it succeeded (or was cancelled)
	 */
	default void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
	}

	/**
	 * A transaction ended in a serialization failure or a deadlock and runs again, as
	 * {@link TransactionOptions#retry(int)} asked.
	 * @param attempt the attempt about to start (2 for the first retry)
	 * @param error the error that ended the attempt before it
	 */
	default void transactionRetried(int attempt, Throwable error) {
	}

}

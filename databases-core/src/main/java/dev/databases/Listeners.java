package dev.databases;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** Calls a {@link DatabaseListener}, never letting its failure reach the caller's work. */
final class Listeners {

	private Listeners() {
	}

	static @Nullable Object acquired(DatabaseListener listener, Duration waited) {
		try {
			return listener.connectionAcquired(waited);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	static void acquireFailed(DatabaseListener listener, Duration waited, Throwable error) {
		try {
			listener.connectionAcquireFailed(waited, error);
		}
		catch (RuntimeException ex) {
			// a listener's failure must not change the caller's outcome
		}
	}

	static void released(DatabaseListener listener, @Nullable Object context, Duration held) {
		try {
			listener.connectionReleased(context, held);
		}
		catch (RuntimeException ex) {
			// a listener's failure must not change the caller's outcome
		}
	}

	static void created(DatabaseListener listener, Duration took) {
		try {
			listener.connectionCreated(took);
		}
		catch (RuntimeException ex) {
			// a listener's failure must not change the caller's outcome
		}
	}

	static void query(DatabaseListener listener, String sql, long start, @Nullable Throwable error) {
		try {
			listener.queryCompleted(sql, Duration.ofNanos(System.nanoTime() - start), error);
		}
		catch (RuntimeException ex) {
			// a listener's failure must not change the caller's outcome
		}
	}

	static void retried(DatabaseListener listener, int attempt, Throwable error) {
		try {
			listener.transactionRetried(attempt, error);
		}
		catch (RuntimeException ex) {
			// a listener's failure must not change the caller's outcome
		}
	}

}

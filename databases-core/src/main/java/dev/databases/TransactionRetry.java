package dev.databases;

import dev.databases.internal.backend.Backend;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs an outermost transaction again when the database ended it with a conflict that a
 * new attempt can resolve (a serialization failure, a deadlock), as
 * {@link TransactionOptions#retry(int)} asks. Each attempt has been rolled back before the
 * next begins, and the values of a transaction are held back until it commits, so no
 * caller sees the work of a failed attempt.
 */
final class TransactionRetry {

	/** The first pause; each further one doubles, with jitter, so that the conflicting transactions part. */
	private static final Duration FIRST_BACKOFF = Duration.ofMillis(10);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

	private TransactionRetry() {
	}

	/**
	 * {@code attempt} subscribed again up to {@code maxAttempts} times in all while it fails
	 * with an error the backend calls a retryable conflict.
	 */
	static <T> Mono<T> retried(Mono<T> attempt, int maxAttempts, Backend backend, @Nullable DatabaseListener listener) {
		return Mono.defer(() -> {
			int[] runs = new int[1];
			Retry retry = Retry.backoff(maxAttempts - 1, FIRST_BACKOFF)
				.maxBackoff(MAX_BACKOFF)
				.filter((error) -> isConflict(error, backend))
				.doBeforeRetry((signal) -> {
					if (listener != null) {
						Listeners.retried(listener, runs[0] + 1, signal.failure());
					}
				})
				.onRetryExhaustedThrow((spec, signal) -> signal.failure());
			return Mono.defer(() -> {
				runs[0]++;
				return attempt;
			}).retryWhen(retry).onErrorMap((error) -> {
				if (Errors.untranslated(error) instanceof DatabaseException failure) {
					failure.attempts(runs[0]);
				}
				return error;
			});
		});
	}

	private static boolean isConflict(Throwable error, Backend backend) {
		return Errors.untranslated(error) instanceof DatabaseException failure
				&& backend.isRetryableConflict(failure.sqlState(), failure.vendorCode());
	}

}

package dev.databases;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * No connection became free in the pool within the acquire timeout.
 * <p>
 * The message gives the pool size and the timeout, the two numbers to change when this
 * happens under normal load; if it happens at low load, look for work that holds
 * connections for too long.
 *
 * @since 0.1.0
 */
public class AcquireTimeoutException extends ConnectionException {

	private static final long serialVersionUID = 1L;

	private final int maxSize;

	private final Duration timeout;

	/**
	 * Create an exception.
	 * @param maxSize the pool's maximum size
	 * @param timeout the acquire timeout that elapsed
	 * @param cause the pool's own timeout error, or {@code null}
	 */
	public AcquireTimeoutException(int maxSize, Duration timeout, @Nullable Throwable cause) {
		super("No connection became free within the acquire timeout of " + format(timeout) + " (pool max_size="
				+ maxSize + "): raise max_size or acquire_timeout, or release connections sooner", null, 0, null,
				cause);
		this.maxSize = maxSize;
		this.timeout = timeout;
	}

	/**
	 * The pool's maximum size when the timeout happened.
	 * @return the maximum number of connections
	 */
	public int maxSize() {
		return this.maxSize;
	}

	/**
	 * The acquire timeout that elapsed.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	private static String format(Duration timeout) {
		return (timeout.toMillis() % 1000 == 0) ? (timeout.toSeconds() + " s") : (timeout.toMillis() + " ms");
	}

}

package dev.databases;

import java.util.Objects;

import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * How a transaction begins and ends: isolation level, read-only, and whether it always
 * rolls back. Immutable; each method returns a copy.
 * <pre class="code">
 * TransactionOptions.defaults().isolation(IsolationLevel.SERIALIZABLE).readOnly(true)
 * </pre>
 * A nested transaction is a savepoint of the outer one, so its isolation and read-only
 * settings are those of the outer transaction, and only the outermost transaction is
 * retried ({@link #retry(int)}).
 *
 * @since 0.1.0
 */
public final class TransactionOptions {

	private static final TransactionOptions DEFAULTS = new TransactionOptions(null, false, false, 1);

	private final @Nullable IsolationLevel isolation;

	private final boolean readOnly;

	private final boolean forceRollback;

	private final int maxAttempts;

	private TransactionOptions(@Nullable IsolationLevel isolation, boolean readOnly, boolean forceRollback,
			int maxAttempts) {
		this.isolation = isolation;
		this.readOnly = readOnly;
		this.forceRollback = forceRollback;
		this.maxAttempts = maxAttempts;
	}

	/**
	 * The defaults: the server's isolation level, read-write, commit on completion.
	 * @return the default options
	 */
	public static TransactionOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * A copy with the given isolation level.
	 * @param isolation the isolation level, or {@code null} for the server's default
	 * @return the new options
	 */
	public TransactionOptions isolation(@Nullable IsolationLevel isolation) {
		return new TransactionOptions(isolation, this.readOnly, this.forceRollback, this.maxAttempts);
	}

	/**
	 * A copy that is read-only or not.
	 * @param readOnly whether the transaction may only read
	 * @return the new options
	 */
	public TransactionOptions readOnly(boolean readOnly) {
		return new TransactionOptions(this.isolation, readOnly, this.forceRollback, this.maxAttempts);
	}

	/**
	 * A copy that rolls back even when the work completes, for tests.
	 * @param forceRollback whether to roll back on completion
	 * @return the new options
	 */
	public TransactionOptions forceRollback(boolean forceRollback) {
		return new TransactionOptions(this.isolation, this.readOnly, forceRollback, this.maxAttempts);
	}

	/**
	 * A copy that runs the whole transaction again, up to {@code maxAttempts} times in all,
	 * when the database ends it with a serialization failure or a deadlock (SQLSTATE
	 * {@code 40001} and {@code 40P01}; MySQL's and MariaDB's errors 1213 and 1205). Each attempt
	 * first rolls back, then waits a growing, jittered pause (10 ms doubling up to 1 s). Only
	 * the outermost transaction is retried, never a savepoint on its own nor a transaction
	 * inside a force-rollback database or a Spring transaction, so the work function must be
	 * safe to run again: it is called anew for each attempt. The value of
	 * {@code transaction(...)} reaches the caller only after the commit, so no caller sees a
	 * failed attempt; {@code transactionMany(...)}, whose values go downstream before the
	 * commit, is never run again. When the attempts run out, the
	 * last error reaches the caller, with {@link DatabaseException#attempts()} telling how many
	 * ran.
	 * @param maxAttempts how many times the transaction may run, at least 1 (1: no retry)
	 * @return the new options
	 * @throws IllegalArgumentException if {@code maxAttempts} is less than 1
	 */
	public TransactionOptions retry(int maxAttempts) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("retry(maxAttempts) takes at least 1 (one attempt, no retry), not "
					+ maxAttempts);
		}
		return new TransactionOptions(this.isolation, this.readOnly, this.forceRollback, maxAttempts);
	}

	/**
	 * How many times the transaction may run; see {@link #retry(int)}.
	 * @return at least 1
	 */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * The isolation level.
	 * @return the level, or {@code null} for the server's default
	 */
	public @Nullable IsolationLevel isolation() {
		return this.isolation;
	}

	/**
	 * Whether the transaction is read-only.
	 * @return {@code true} if it may only read
	 */
	public boolean isReadOnly() {
		return this.readOnly;
	}

	/**
	 * Whether the transaction rolls back even when its work completes.
	 * @return {@code true} if it always rolls back
	 */
	public boolean isForceRollback() {
		return this.forceRollback;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof TransactionOptions that) && Objects.equals(this.isolation, that.isolation)
				&& this.readOnly == that.readOnly && this.forceRollback == that.forceRollback
				&& this.maxAttempts == that.maxAttempts;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.isolation, this.readOnly, this.forceRollback, this.maxAttempts);
	}

	@Override
	public String toString() {
		return "TransactionOptions[isolation=" + ((this.isolation != null) ? this.isolation.asSql() : "default")
				+ ", readOnly=" + this.readOnly + ", forceRollback=" + this.forceRollback + ", maxAttempts="
				+ this.maxAttempts + "]";
	}

}

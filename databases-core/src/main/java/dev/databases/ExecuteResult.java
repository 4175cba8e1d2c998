package dev.databases;

import org.jspecify.annotations.Nullable;

/**
 * What a statement run with {@code execute} did.
 *
 * @since 0.1.0
 */
public final class ExecuteResult {

	private final long rowsAffected;

	private final @Nullable Long lastRowId;

	ExecuteResult(long rowsAffected, @Nullable Long lastRowId) {
		this.rowsAffected = rowsAffected;
		this.lastRowId = lastRowId;
	}

	/**
	 * How many rows the statement inserted, updated or deleted.
	 * @return the count, 0 for statements that change no rows
	 */
	public long rowsAffected() {
		return this.rowsAffected;
	}

	/**
	 * The key the database generated for the row an INSERT added, the same on every backend:
	 * the auto-increment or serial/identity value. On PostgreSQL it is read from the
	 * inserted row (its {@code id} column, or else its first column), so it costs no extra
	 * round trip.
	 * @return the generated key, or {@code null} when the statement generated none
	 */
	public @Nullable Long lastRowId() {
		return this.lastRowId;
	}

	@Override
	public String toString() {
		return "ExecuteResult[rowsAffected=" + this.rowsAffected + ", lastRowId=" + this.lastRowId + "]";
	}

}

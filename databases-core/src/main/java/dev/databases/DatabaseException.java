package dev.databases;

import org.jspecify.annotations.Nullable;

/**
 * An error from the database or the driver, translated once at the edge of this library.
 * <p>
 * It keeps the SQLSTATE, the vendor code and the SQL as the caller wrote it, but never the
 * bound values or a password, so the message is safe to log.
 *
 * @since 0.1.0
 */
public class DatabaseException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final @Nullable String sqlState;

	private final int vendorCode;

	private final @Nullable String sql;

	private volatile int attempts = 1;

	/** What the caller was given instead, when the Database has an exception translator. */
	private transient volatile @Nullable RuntimeException translation;

	/**
	 * Create an exception.
	 * @param message what went wrong
	 * @param sqlState the SQLSTATE reported by the server, or {@code null}
	 * @param vendorCode the vendor-specific error code, or {@code 0} when the driver has none
	 * @param sql the SQL as the caller wrote it, or {@code null}
	 * @param cause the underlying error, or {@code null}
	 */
	public DatabaseException(String message, @Nullable String sqlState, int vendorCode, @Nullable String sql,
			@Nullable Throwable cause) {
		super(message, cause);
		this.sqlState = sqlState;
		this.vendorCode = vendorCode;
		this.sql = sql;
	}

	/**
	 * Create an exception with no SQLSTATE, vendor code or SQL.
	 * @param message what went wrong
	 * @param cause the underlying error, or {@code null}
	 */
	public DatabaseException(String message, @Nullable Throwable cause) {
		this(message, null, 0, null, cause);
	}

	/**
	 * The SQLSTATE reported by the server.
	 * @return the five-character SQLSTATE, or {@code null} when there is none
	 */
	public @Nullable String sqlState() {
		return this.sqlState;
	}

	/**
	 * The vendor-specific error code.
	 * @return the code, or {@code 0} when the driver reports none
	 */
	public int vendorCode() {
		return this.vendorCode;
	}

	/**
	 * The SQL that failed, as the caller wrote it (with {@code :name} parameters, never values).
	 * @return the SQL, or {@code null} when the failure was not caused by a statement
	 */
	public @Nullable String sql() {
		return this.sql;
	}

	/**
	 * How many times the transaction that ended with this error ran: more than 1 when
	 * {@link TransactionOptions#retry(int)} ran it again and every attempt failed.
	 * @return the attempts, 1 unless retried
	 */
	public int attempts() {
		return this.attempts;
	}

	void attempts(int attempts) {
		this.attempts = attempts;
	}

	@Nullable RuntimeException translation() {
		return this.translation;
	}

	void translation(RuntimeException translation) {
		this.translation = translation;
	}

}

package dev.databases;

import org.jspecify.annotations.Nullable;

/**
 * The server cannot be reached, or the connection to it was lost.
 * <p>
 * A query that failed this way may or may not have been applied if it was a commit; any other open transaction was rolled back by the server.
 *
 * @since 0.1.0
 */
public class ConnectionException extends DatabaseException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong
	 * @param sqlState the SQLSTATE reported by the server, or {@code null}
	 * @param vendorCode the vendor-specific error code, or {@code 0}
	 * @param sql the SQL as the caller wrote it, or {@code null}
	 * @param cause the underlying error, or {@code null}
	 */
	public ConnectionException(String message, @Nullable String sqlState, int vendorCode, @Nullable String sql,
			@Nullable Throwable cause) {
		super(message, sqlState, vendorCode, sql, cause);
	}

}

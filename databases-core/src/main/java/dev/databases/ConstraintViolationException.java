package dev.databases;

import org.jspecify.annotations.Nullable;

/**
 * A statement broke an integrity constraint (unique, foreign key, not null or check).

 *
 * @since 0.1.0
 */
public class ConstraintViolationException extends DatabaseException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong
	 * @param sqlState the SQLSTATE reported by the server, or {@code null}
	 * @param vendorCode the vendor-specific error code, or {@code 0}
	 * @param sql the SQL as the caller wrote it, or {@code null}
	 * @param cause the underlying error, or {@code null}
	 */
	public ConstraintViolationException(String message, @Nullable String sqlState, int vendorCode, @Nullable String sql,
			@Nullable Throwable cause) {
		super(message, sqlState, vendorCode, sql, cause);
	}

}

package dev.databases;

/**
 * A query was issued on a {@link Database} that is not connected: {@code connect()} was
 * not called yet, or {@code disconnect()} was.
 *
 * @since 0.1.0
 */
public class NotConnectedException extends DatabaseException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what was attempted, and on which database (password masked)
	 */
	public NotConnectedException(String message) {
		super(message, null);
	}

}

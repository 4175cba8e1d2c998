package dev.databases;

/**
 * A {@code :name} parameter of the SQL has no value. Raised before anything is sent to the
 * server.
 *
 * @since 0.1.0
 */
public class MissingParameterException extends DatabaseException {

	private static final long serialVersionUID = 1L;

	private final String parameter;

	/**
	 * Create an exception.
	 * @param parameter the name of the parameter with no value
	 * @param sql the SQL as the caller wrote it
	 */
	public MissingParameterException(String parameter, String sql) {
		super("No value for parameter :" + parameter + " in SQL: " + sql, null, 0, sql, null);
		this.parameter = parameter;
	}

	/**
	 * The parameter with no value.
	 * @return its name, without the colon
	 */
	public String parameter() {
		return this.parameter;
	}

}

package dev.databases.internal.parsing;

/**
 * A named parameter of the SQL has no value. The facade turns it into the public
 * {@code MissingParameterException}, which this package does not know.
 */
public final class UnboundParameterException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String parameter;

	private final String sql;

	UnboundParameterException(String parameter, String sql) {
		super("No value for parameter :" + parameter + " in SQL: " + sql);
		this.parameter = parameter;
		this.sql = sql;
	}

	/**
	 * The parameter with no value.
	 * @return its name, without the colon
	 */
	public String parameter() {
		return this.parameter;
	}

	/**
	 * The SQL as the caller wrote it.
	 * @return the SQL
	 */
	public String sql() {
		return this.sql;
	}

}

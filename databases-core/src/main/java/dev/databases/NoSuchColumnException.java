package dev.databases;

import java.util.List;

/**
 * A {@link Record} has no column of the requested name, or no column at the requested
 * index.
 *
 * @since 0.1.0
 */
public class NoSuchColumnException extends DatabaseException {

	private static final long serialVersionUID = 1L;

	private final String column;

	/**
	 * Create an exception.
	 * @param column the name (or index) asked for
	 * @param columns the columns the record has, in order
	 */
	public NoSuchColumnException(String column, List<String> columns) {
		super("No column '" + column + "' in this record; its columns are " + columns, null);
		this.column = column;
	}

	/**
	 * The column asked for.
	 * @return its name, or its index as text
	 */
	public String column() {
		return this.column;
	}

}

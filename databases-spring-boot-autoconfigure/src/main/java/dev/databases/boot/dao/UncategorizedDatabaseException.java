package dev.databases.boot.dao;

import dev.databases.DatabaseException;

import org.springframework.dao.UncategorizedDataAccessException;

/**
 * A {@link DatabaseException} that no more specific {@code DataAccessException} describes,
 * as Spring's {@code UncategorizedR2dbcException} is for {@code DatabaseClient}.
 */
final class UncategorizedDatabaseException extends UncategorizedDataAccessException {

	private static final long serialVersionUID = 1L;

	UncategorizedDatabaseException(String message, DatabaseException cause) {
		super(message, cause);
	}

}

package dev.databases.boot.dao;

import java.util.function.Function;

import dev.databases.ConnectionException;
import dev.databases.ConstraintViolationException;
import dev.databases.Database;
import dev.databases.DatabaseException;
import dev.databases.MissingParameterException;
import dev.databases.NotConnectedException;
import io.r2dbc.spi.R2dbcException;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.r2dbc.connection.ConnectionFactoryUtils;

/**
 * Turns a {@link DatabaseException} into the {@link DataAccessException} that Spring's
 * {@code DatabaseClient} throws for the same driver error: the driver's
 * {@link R2dbcException} is classified by {@link ConnectionFactoryUtils#convertR2dbcException},
 * so a duplicate key is a {@link DuplicateKeyException} and another constraint a
 * {@link DataIntegrityViolationException}. The translation's cause is the
 * {@link DatabaseException}, whose {@code sqlState()}, {@code vendorCode()} and
 * {@code sql()} stay readable. Bad SQL is an {@link InvalidDataAccessResourceUsageException},
 * the parent of Spring's {@code BadSqlGrammarException}s, as those can only carry the
 * driver's exception as their cause. Install it with
 * {@link Database.Builder#exceptionTranslator}; the Spring Boot starter does.
 *
 * @since 0.1.0
 */
public final class DataAccessExceptionTranslator implements Function<DatabaseException, RuntimeException> {

	@Override
	public RuntimeException apply(DatabaseException error) {
		String message = String.valueOf(error.getMessage());
		if (error instanceof ConnectionException) {
			// Lost, unreachable or exhausted: what DatabaseClient reports when it cannot get a connection.
			return new DataAccessResourceFailureException(message, error);
		}
		if (error instanceof MissingParameterException || error instanceof NotConnectedException) {
			return new InvalidDataAccessApiUsageException(message, error);
		}
		if (error.getCause() instanceof R2dbcException driverError) {
			return withCause(ConnectionFactoryUtils.convertR2dbcException("databases", error.sql(), driverError),
					message, error);
		}
		if (error instanceof ConstraintViolationException) {
			return "23505".equals(error.sqlState()) ? new DuplicateKeyException(message, error)
					: new DataIntegrityViolationException(message, error);
		}
		return new UncategorizedDatabaseException(message, error);
	}

	/** Spring's classification, made again with the DatabaseException as its cause. */
	private static DataAccessException withCause(DataAccessException classified, String message,
			DatabaseException error) {
		if (classified instanceof DuplicateKeyException) {
			return new DuplicateKeyException(message, error);
		}
		if (classified instanceof DataIntegrityViolationException) {
			return new DataIntegrityViolationException(message, error);
		}
		if (classified instanceof CannotAcquireLockException) {
			return new CannotAcquireLockException(message, error);
		}
		if (classified instanceof PessimisticLockingFailureException) {
			return new PessimisticLockingFailureException(message, error);
		}
		if (classified instanceof QueryTimeoutException) {
			return new QueryTimeoutException(message, error);
		}
		if (classified instanceof TransientDataAccessResourceException) {
			return new TransientDataAccessResourceException(message, error);
		}
		if (classified instanceof DataAccessResourceFailureException) {
			return new DataAccessResourceFailureException(message, error);
		}
		if (classified instanceof PermissionDeniedDataAccessException) {
			return new PermissionDeniedDataAccessException(message, error);
		}
		if (classified instanceof InvalidDataAccessResourceUsageException) {
			return new InvalidDataAccessResourceUsageException(message, error);
		}
		return new UncategorizedDatabaseException(message, error);
	}

}

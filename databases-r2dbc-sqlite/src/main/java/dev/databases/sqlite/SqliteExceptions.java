package dev.databases.sqlite;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteException;

/**
 * Translates sqlite-jdbc exceptions to the R2DBC exception tree. The vendor code is
 * SQLite's extended result code; SQLSTATEs follow the SQL standard classes
 * ({@code 23505} for a unique constraint, {@code 42000} for bad SQL) so that code that
 * classifies by SQLSTATE, as Spring does, understands SQLite too.
 *
 * @author databases
 */
final class SqliteExceptions {

	private static final Pattern MESSAGE = Pattern.compile("^\\[(\\w+)][^(]*\\((.*)\\)$", Pattern.DOTALL);

	private SqliteExceptions() {
	}

	/**
	 * Translate an exception thrown on a connection thread.
	 * @param ex the exception
	 * @param sql the SQL that failed, if any
	 * @param context describes the database and its current settings
	 * @param timedOut whether the statement timeout interrupted the statement
	 * @return the R2DBC exception, or {@code ex} itself when it is already one or is not
	 * a database error
	 */
	static Throwable translate(Throwable ex, @Nullable String sql, Context context, boolean timedOut) {
		if (!(ex instanceof SQLException sqlException)) {
			return ex;
		}
		int code = sqlException.getErrorCode();
		String name = null;
		String detail = sqlException.getMessage();
		if (sqlException instanceof SQLiteException sqlite) {
			code = sqlite.getResultCode().code;
			name = sqlite.getResultCode().name();
		}
		if (detail != null) {
			Matcher matcher = MESSAGE.matcher(detail);
			if (matcher.matches()) {
				name = (name != null) ? name : matcher.group(1);
				detail = matcher.group(2);
			}
		}
		String text = (detail != null) ? detail : "SQLite error";
		String suffix = (name != null) ? " [" + name + "]" : "";
		int primary = code & 0xFF;
		switch (primary) {
			case 19: // SQLITE_CONSTRAINT
				return new R2dbcDataIntegrityViolationException(text + suffix, constraintState(code), code, sql, ex);
			case 20: // SQLITE_MISMATCH
			case 18: // SQLITE_TOOBIG
				return new R2dbcDataIntegrityViolationException(text + suffix, (primary == 20) ? "22000" : "22001",
						code, sql, ex);
			case 5: // SQLITE_BUSY
			case 6: // SQLITE_LOCKED
				if (code == 517) { // SQLITE_BUSY_SNAPSHOT: the snapshot this transaction read is stale
					return new R2dbcRollbackException("SQLite database " + context.database() + " was changed by"
							+ " another connection since this transaction read it; roll back and retry (" + text
							+ ")" + suffix, "40001", code, sql, ex);
				}
				return new R2dbcTransientResourceException("SQLite database " + context.database()
						+ " is locked by another connection (" + text + "; busy_timeout of "
						+ context.busyTimeoutMillis() + " ms)" + suffix, "HYT00", code, sql, ex);
			case 9: // SQLITE_INTERRUPT
				if (timedOut) {
					return new R2dbcTimeoutException("SQLite statement exceeded the statement timeout of "
							+ context.statementTimeoutMillis() + " ms" + suffix, "57014", code, sql, ex);
				}
				return new R2dbcTransientResourceException(text + suffix, "57014", code, sql, ex);
			case 8: // SQLITE_READONLY
				return new R2dbcPermissionDeniedException(
						"SQLite database " + context.database() + " is read-only here (" + text + ")" + suffix, "25006",
						code, sql, ex);
			case 3: // SQLITE_PERM
			case 23: // SQLITE_AUTH
				return new R2dbcPermissionDeniedException(text + suffix, "42501", code, sql, ex);
			case 4: // SQLITE_ABORT
				return new R2dbcRollbackException(text + suffix, "40000", code, sql, ex);
			case 14: // SQLITE_CANTOPEN
				return new R2dbcNonTransientResourceException(
						"Cannot open SQLite database " + context.database() + " (" + text + ")" + suffix, "08001", code,
						sql, ex);
			case 10: // SQLITE_IOERR
			case 13: // SQLITE_FULL
			case 11: // SQLITE_CORRUPT
			case 26: // SQLITE_NOTADB
				return new R2dbcNonTransientResourceException(
						"SQLite database " + context.database() + ": " + text + suffix, "58030", code, sql, ex);
			case 25: // SQLITE_RANGE
				return new R2dbcBadGrammarException(text + suffix, "07009", code, sql, ex);
			case 1: // SQLITE_ERROR
				if (isTransactionState(text)) {
					return new R2dbcNonTransientResourceException(text + suffix, "25000", code, sql, ex);
				}
				return new R2dbcBadGrammarException(text + suffix, "42000", code, sql, ex);
			default:
				String state = sqlException.getSQLState();
				return new R2dbcNonTransientResourceException(text + suffix, (state != null) ? state : "HY000", code,
						sql, ex);
		}
	}

	private static String constraintState(int code) {
		return switch (code) {
			case 2067, 1555, 2579 -> "23505"; // UNIQUE, PRIMARYKEY, ROWID
			case 787 -> "23503"; // FOREIGNKEY
			case 1299 -> "23502"; // NOTNULL
			case 275 -> "23514"; // CHECK
			default -> "23000";
		};
	}

	private static boolean isTransactionState(String message) {
		return message.contains("transaction") || message.contains("savepoint");
	}

	static R2dbcNonTransientResourceException closed(String database) {
		return new R2dbcNonTransientResourceException("Connection to SQLite database " + database + " is closed",
				"08003");
	}

	static R2dbcNonTransientResourceException released(String database) {
		return new R2dbcNonTransientResourceException("Connection to SQLite database " + database
				+ " was released to its pool (Lifecycle.preRelease) and is not in use until allocated again", "08003");
	}

	/**
	 * Return whether SQLite gave up on a lock another connection holds
	 * ({@code SQLITE_BUSY}, whatever its extended code).
	 * @param ex the exception
	 * @return whether it is {@code SQLITE_BUSY}
	 */
	static boolean isBusy(Throwable ex) {
		return ex instanceof SQLiteException sqlite && (sqlite.getResultCode().code & 0xFF) == 5;
	}

	static R2dbcException unwrapped(Throwable ex) {
		return (ex instanceof R2dbcException r2dbc) ? r2dbc
				: new R2dbcNonTransientResourceException(String.valueOf(ex.getMessage()), "HY000", 0, (String) null,
						ex);
	}

	/**
	 * What a message needs to know about the connection.
	 *
	 * @param database the database file, or a description of an in-memory database
	 * @param busyTimeoutMillis the busy timeout in effect
	 * @param statementTimeoutMillis the statement timeout in effect, 0 for none
	 */
	record Context(String database, long busyTimeoutMillis, long statementTimeoutMillis) {

	}

}

package dev.databases;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.jspecify.annotations.Nullable;

/**
 * Translates driver errors into the {@link DatabaseException} hierarchy, once, at the edge.
 * Classification goes by R2DBC subtype first, then by SQLSTATE, as Spring's
 * {@code ConnectionFactoryUtils} does.
 */
final class Errors {

	// MySQL and MariaDB quote the offending value in duplicate-key messages; values must
	// never reach a message, so the quoted part is replaced.
	private static final Pattern DUPLICATE_ENTRY = Pattern.compile("Duplicate entry '.*' for key",
			Pattern.DOTALL);

	private Errors() {
	}

	static Throwable translate(Throwable error, @Nullable String sql) {
		return translate(error, sql, (state) -> null);
	}

	/**
	 * {@link #translate(Throwable, String)}, with what the backend can tell the caller about
	 * an error of this SQLSTATE (what to set) added to the message.
	 */
	static Throwable translate(Throwable error, @Nullable String sql, Function<String, @Nullable String> hints) {
		if (error instanceof DatabaseException || untranslated(error) != error) {
			return error;
		}
		if (error instanceof R2dbcException r2dbc) {
			String state = r2dbc.getSqlState();
			int code = r2dbc.getErrorCode();
			String hint = (state != null) ? hints.apply(state) : null;
			String message = describe(r2dbc.getMessage(), state, code, sql) + ((hint != null) ? ". " + hint : "");
			if (isConnectionFailure(r2dbc, state, code)) {
				return new ConnectionException(message, state, code, sql, error);
			}
			if (error instanceof R2dbcDataIntegrityViolationException || (state != null && state.startsWith("23"))) {
				return new ConstraintViolationException(message, state, code, sql, error);
			}
			return new DatabaseException(message, state, code, sql, error);
		}
		if (isConnectionFailure(error)) {
			return new ConnectionException(describe("Connection to the database lost: " + error, null, 0, sql), null,
					0, sql, error);
		}
		if (error instanceof IllegalArgumentException || !(error instanceof RuntimeException)) {
			// Our own argument checks (an empty IN list) and JVM errors pass as they are.
			return error;
		}
		// A driver that throws something other than an R2dbcException still fails as a DatabaseException.
		return new DatabaseException(describe("The driver failed: " + error, null, 0, sql), null, 0, sql, error);
	}

	/**
	 * The {@link DatabaseException} that {@code error} was translated from by the Database's
	 * exception translator, so that retries and the pool decide on it; else {@code error}.
	 */
	static Throwable untranslated(Throwable error) {
		return (error.getCause() instanceof DatabaseException original && original.translation() == error) ? original
				: error;
	}

	private static boolean isConnectionFailure(R2dbcException error, @Nullable String state, int code) {
		// The R2DBC subtype alone does not say it: r2dbc-postgresql reports SQLSTATEs it does
		// not map (a RAISE, a statement timeout) as non-transient resource errors too.
		if ((error instanceof R2dbcNonTransientResourceException || error instanceof R2dbcTransientResourceException)
				&& state == null && String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("closed")) {
			return true;
		}
		if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
			// 57P01..57P03: administrator shutdown, crash shutdown, cannot connect now (pg_terminate_backend)
			return true;
		}
		// MySQL/MariaDB: 1927 connection killed, 2006 server gone away, 2013 lost connection
		return code == 1927 || code == 2006 || code == 2013 || isConnectionFailure(error.getCause());
	}

	private static boolean isConnectionFailure(@Nullable Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof ClosedChannelException || t instanceof IOException) {
				return true;
			}
			String name = t.getClass().getName();
			String message = String.valueOf(t.getMessage());
			// Reactor Netty's AbortedException: the channel closed before or while sending (r2dbc-mysql
			// wraps it, with no message of its own, when a pooled connection's server has gone).
			if (name.endsWith("ConnectionClosedException") || name.endsWith("PrematureCloseException")
					|| name.equals("reactor.netty.channel.AbortedException")
					|| name.contains("ClosedChannel") || (t instanceof IllegalStateException
							&& (message.contains("queue was disposed") || message.contains("closed")))) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	private static String describe(@Nullable String message, @Nullable String state, int code, @Nullable String sql) {
		StringBuilder text = new StringBuilder((message != null) ? redact(message) : "Database error");
		if (state != null || code != 0) {
			text.append(" [");
			if (state != null) {
				text.append("SQLSTATE ").append(state);
			}
			if (code != 0) {
				text.append((state != null) ? ", " : "").append("vendor code ").append(code);
			}
			text.append(']');
		}
		if (sql != null) {
			text.append(" in SQL: ").append(sql);
		}
		return text.toString();
	}

	private static String redact(String message) {
		return DUPLICATE_ENTRY.matcher(message).replaceAll("Duplicate entry '?' for key");
	}

}

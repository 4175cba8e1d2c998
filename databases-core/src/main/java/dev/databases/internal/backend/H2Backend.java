package dev.databases.internal.backend;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.databases.internal.parsing.SqlSyntax;
import org.jspecify.annotations.Nullable;

/** H2 through r2dbc-h2, embedded in the application's JVM. */
final class H2Backend implements Backends.Named {

	@Override
	public List<String> dialects() {
		return List.of("h2");
	}

	@Override
	public String productName() {
		return "H2";
	}

	@Override
	public SqlSyntax syntax() {
		return SqlSyntax.H2;
	}

	@Override
	public String artifact() {
		return "io.r2dbc:r2dbc-h2";
	}

	@Override
	public int maxParameters() {
		return 32767;
	}

	@Override
	public Object jsonParameter(String json) {
		// H2 turns text bound to a JSON column into a JSON string; bytes it parses as JSON.
		return json.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public boolean queuesStatements() {
		// H2 runs a statement on the caller's thread: nothing can be queued behind a ROLLBACK.
		return false;
	}

	/**
	 * The URL keeps an in-memory database open with {@code DB_CLOSE_DELAY=-1} (a pool may
	 * have no connection for a moment); at stop that becomes 0, so H2 closes the database
	 * with its last connection: at once, or when the last other Database sharing its name
	 * stops. A {@code DB_CLOSE_DELAY} of the user's own is left as it is.
	 */
	@Override
	public @Nullable String stopStatement(boolean inMemory, Map<String, String> options) {
		boolean own = options.keySet().stream().anyMatch("DB_CLOSE_DELAY"::equalsIgnoreCase);
		return (inMemory && !own) ? "SET DB_CLOSE_DELAY 0" : null;
	}

	@Override
	public String toString() {
		return "H2";
	}

}

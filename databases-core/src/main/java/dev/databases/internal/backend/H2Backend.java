package dev.databases.internal.backend;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.databases.internal.parsing.SqlSyntax;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlParts;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;

/** H2 through r2dbc-h2, embedded in the application's JVM. */
final class H2Backend implements Backends.Named {

	/**
	 * H2 takes any of its settings (DB_CLOSE_DELAY, MODE, ...) in the URL, written in capitals
	 * as its documentation does, besides what r2dbc-h2 declares.
	 */
	private final DriverOptions options = new DriverOptions("r2dbc-h2", Map.of(), Map.of(),
			List.of("io.r2dbc.h2.H2ConnectionFactoryProvider"), (name) -> name.matches("[A-Z][A-Z0-9_]*"));

	private static final String FORMS = "h2:mem:///name, h2:file:///relative/path or h2:file:////absolute/path";

	private static final String MEM = "mem";

	private static final String CLOSE_DELAY = "DB_CLOSE_DELAY";

	private static final Pattern WINDOWS_PATH = Pattern.compile("[A-Za-z]:[\\\\/].*");

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

	/** A LOCAL validation without r2dbc-h2's query; see {@link H2PooledConnection}. */
	@Override
	public ConnectionFactory decorate(ConnectionFactory driver) {
		return H2PooledConnection.factory(driver);
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
		return (inMemory && !hasCloseDelay(options)) ? "SET DB_CLOSE_DELAY 0" : null;
	}

	@Override
	public SqlFamily sqlFamily() {
		return SqlFamily.H2;
	}

	@Override
	public void checkProtocol(String scheme, @Nullable String protocol) {
		if (!MEM.equals(protocol) && !"file".equals(protocol)) {
			throw new IllegalArgumentException("Invalid h2 URL scheme '" + scheme
					+ "': expected h2:mem (in memory) or h2:file, as in " + FORMS);
		}
	}

	@Override
	public String forms() {
		return FORMS;
	}

	@Override
	public void check(UrlParts url) {
		Embedded.checkNoHostOption(url);
		if (url.isR2dbc()) {
			return;
		}
		if (url.host() != null || url.port() != null) {
			throw new IllegalArgumentException("Invalid h2 URL: an embedded H2 database has no host or port"
					+ Embedded.foundHost(url) + "; write " + FORMS);
		}
		if (url.database() == null) {
			throw new IllegalArgumentException("Invalid h2 URL: the database name is missing; write " + FORMS);
		}
	}

	@Override
	public void checkSsl(UrlParts url, SslMode ssl) {
		Embedded.checkSsl(url, ssl);
	}

	/** The {@code mem} protocol, also behind an R2DBC URL's wrapper ({@code r2dbc:pool:h2:mem}). */
	@Override
	public boolean isInMemory(UrlParts url) {
		String protocol = url.scheme().protocol();
		return protocol != null && (protocol.equals(MEM) || protocol.endsWith(":" + MEM));
	}

	/**
	 * {@code r2dbc:h2:mem:///name?DB_CLOSE_DELAY=-1} (so the database outlives a moment with
	 * no connection; the user's own {@code DB_CLOSE_DELAY} wins) or {@code r2dbc:h2:file:///./path}.
	 */
	@Override
	public String toR2dbcUrl(UrlParts url) {
		Map<String, String> options = this.options.forR2dbc(url.driverOptions(false));
		if (url.isR2dbc()) {
			return url.toDriverUrl(url.scheme().text(), false, url.database(), options);
		}
		String database = url.database();
		if (isInMemory(url)) {
			if (!hasCloseDelay(options)) {
				options.put(CLOSE_DELAY, "-1");
			}
		}
		else {
			database = filePath(Objects.requireNonNull(database));
		}
		return url.toDriverUrl("r2dbc:h2:" + url.scheme().protocol(), false, database, options);
	}

	/** {@code jdbc:h2:mem:name;DB_CLOSE_DELAY=-1} or {@code jdbc:h2:file:./path}, options as {@code ;NAME=value}. */
	@Override
	public String toJdbcUrl(UrlParts url) {
		Map<String, String> options = this.options.forJdbc(url.driverOptions(false));
		String protocol = Objects.requireNonNull(url.scheme().protocol());
		protocol = protocol.substring(protocol.lastIndexOf(':') + 1);
		StringBuilder jdbc = new StringBuilder("jdbc:h2:").append(protocol).append(':');
		String database = Objects.requireNonNull(url.database(), "H2 URLs are checked to have a database");
		if (protocol.equals(MEM)) {
			jdbc.append(database);
			if (!hasCloseDelay(options)) {
				jdbc.append(";DB_CLOSE_DELAY=-1");
			}
		}
		else {
			jdbc.append(url.isR2dbc() ? database : filePath(database));
		}
		options.forEach((name, value) -> jdbc.append(';').append(name).append('=').append(value));
		return jdbc.toString();
	}

	private static boolean hasCloseDelay(Map<String, String> options) {
		return options.keySet().stream().anyMatch(CLOSE_DELAY::equalsIgnoreCase);
	}

	/** H2 refuses a path "implicitly relative to the current working directory": make it explicit. */
	static String filePath(String path) {
		boolean explicit = path.startsWith("/") || path.startsWith("./") || path.startsWith("../")
				|| path.startsWith("~") || path.startsWith("\\") || path.startsWith(".\\")
				|| WINDOWS_PATH.matcher(path).matches();
		return explicit ? path : "./" + path;
	}

	@Override
	public @Nullable String optionProblem(String name) {
		return this.options.problem(name, productName());
	}

	@Override
	public String toString() {
		return "H2";
	}

}

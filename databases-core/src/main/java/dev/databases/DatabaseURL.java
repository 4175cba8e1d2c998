package dev.databases;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The address of a database, as {@code dialect[+driver]://user:password@host:port/database?option=value}:
 * an immutable value, equal to another when all its parts are.
 * <p>
 * Accepted forms:
 * <table>
 * <caption>URL forms</caption>
 * <tr><th>URL</th><th>meaning</th></tr>
 * <tr><td>{@code postgresql://user:pw@host:5432/db}, {@code postgres://...}</td><td>PostgreSQL
 * ({@link #dialect()} is {@code postgresql} for both; {@link #scheme()} keeps what was
 * written)</td></tr>
 * <tr><td>{@code mysql://...}, {@code mariadb://...}</td><td>MySQL and MariaDB, both served by
 * the MySQL R2DBC driver</td></tr>
 * <tr><td>{@code sqlite:///relative.db}, {@code sqlite:////absolute.db}</td><td>a SQLite file;
 * {@link #database()} is {@code relative.db} or {@code /absolute.db}</td></tr>
 * <tr><td>{@code sqlite://}, {@code sqlite:///:memory:}</td><td>SQLite in memory</td></tr>
 * <tr><td>{@code h2:mem:///name}</td><td>a named H2 database in memory: {@link #protocol()}
 * {@code mem}, {@link #database()} {@code name}</td></tr>
 * <tr><td>{@code h2:file:///relative/path}, {@code h2:file:////absolute/path}</td><td>an H2
 * database in files: {@link #protocol()} {@code file}, {@link #database()}
 * {@code relative/path} or {@code /absolute/path}</td></tr>
 * <tr><td>{@code r2dbc:driver[:protocol]://...}</td><td>any R2DBC URL, passed on as it is;
 * {@link #dialect()} is the R2DBC driver's name (for {@code r2dbc:pool:postgresql://...} the
 * pooled driver's, {@code postgresql})</td></tr>
 * </table>
 * <p>
 * The user name, password, host, database and options are percent-decoded; write
 * {@code @ : / ? # % [ ]} in them as {@code %40 %3A %2F %3F %23 %25 %5B %5D}. {@code +} means a
 * space only in the query string. Options keep their order; the last of two with the same
 * name wins and an option without a value is left out, as in Python's databases. Known
 * options ({@code ssl}, {@code min_size}, {@code max_size}, the timeouts) are checked here,
 * so a bad value fails in {@link #parse(String)}; every other option goes to the driver.
 * <p>
 * For PostgreSQL and MySQL a Unix socket may be given as {@code ?host=/path/to/socket} or
 * {@code ?unix_sock=/path/to/socket} (as in Python's databases; {@link #hostname()} then
 * returns the path), as {@code ?unix_socket=...}, or as a percent-encoded host starting with
 * {@code /}.
 * <p>
 * {@link #toString()} never shows the password (nor the value of an option whose name
 * contains "password" or "secret"), and no error message of this class does.
 *
 * @since 0.1.0
 */
public final class DatabaseURL {

	private static final String MASK = "********";

	private static final String FORMAT = "dialect[+driver]://user:password@host:port/database?option=value";

	private static final String EXAMPLE = "e.g. postgresql://localhost/example";

	private static final String SCHEMES = "postgresql, postgres, mysql, mariadb, sqlite, h2:mem, h2:file or r2dbc:<driver>, "
			+ "with an optional +driver (e.g. postgresql+asyncpg)";

	private static final String SQLITE_FORMS = "sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:///:memory:";

	private static final String H2_FORMS = "h2:mem:///name, h2:file:///relative/path or h2:file:////absolute/path";

	private static final Set<String> DIALECTS = Set.of("postgresql", "postgres", "mysql", "mariadb", "sqlite", "h2");

	/** R2DBC takes these from the URL's parts and refuses them in the query string. */
	private static final Set<String> URL_PARTS = Set.of("driver", "protocol", "user", "password", "port",
			"database");

	private static final String HOST_OPTION = "host";

	private static final String UNIX_SOCK_OPTION = "unix_sock";

	private static final String UNIX_SOCKET_OPTION = "unix_socket";

	private static final Set<String> SOCKET_OPTIONS = Set.of(HOST_OPTION, UNIX_SOCK_OPTION, UNIX_SOCKET_OPTION);

	private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.\\-]*(:[a-z0-9+.\\-]+)*");

	private static final Pattern WINDOWS_PATH = Pattern.compile("[A-Za-z]:[\\\\/].*");

	private final String scheme;

	private final String dialect;

	private final @Nullable String driver;

	private final @Nullable String protocol;

	private final boolean r2dbc;

	private final @Nullable String username;

	private final @Nullable String password;

	private final @Nullable String host;

	private final @Nullable Integer port;

	private final @Nullable String database;

	private final Map<String, String> options;

	private DatabaseURL(String scheme, @Nullable String username, @Nullable String password, @Nullable String host,
			@Nullable Integer port, @Nullable String database, Map<String, ?> options) {
		this.scheme = scheme.toLowerCase(Locale.ROOT);
		if (!SCHEME.matcher(this.scheme).matches()) {
			throw new IllegalArgumentException("Invalid database URL: the scheme must start with a letter and hold "
					+ "only letters, digits, '+', '-', '.' and ':'; expected " + FORMAT + ", " + EXAMPLE);
		}
		String[] segments = this.scheme.split(":");
		if (segments[0].equals("r2dbc")) {
			if (segments.length < 2) {
				throw unknownScheme();
			}
			this.r2dbc = true;
			this.driver = null;
			this.protocol = (segments.length > 2) ? this.scheme.substring(segments[0].length() + segments[1].length() + 2)
					: null;
			boolean wrapper = segments[1].equals("pool") || segments[1].equals("proxy");
			String named = (wrapper && segments.length > 2) ? segments[2] : segments[1];
			this.dialect = named.equals("postgres") ? "postgresql" : named;
		}
		else {
			this.r2dbc = false;
			int plus = segments[0].indexOf('+');
			String name = (plus >= 0) ? segments[0].substring(0, plus) : segments[0];
			if (!DIALECTS.contains(name)) {
				throw unknownScheme();
			}
			if (plus >= 0 && plus == segments[0].length() - 1) {
				throw new IllegalArgumentException("Invalid database URL scheme '" + this.scheme
						+ "': the driver after '+' is empty; expected e.g. postgresql+asyncpg or just postgresql");
			}
			this.driver = (plus >= 0) ? segments[0].substring(plus + 1) : null;
			this.dialect = name.equals("postgres") ? "postgresql" : name;
			this.protocol = (segments.length > 1) ? this.scheme.substring(segments[0].length() + 1) : null;
			if (this.dialect.equals("h2")) {
				if (!"mem".equals(this.protocol) && !"file".equals(this.protocol)) {
					throw new IllegalArgumentException("Invalid h2 URL scheme '" + this.scheme
							+ "': expected h2:mem (in memory) or h2:file, as in " + H2_FORMS);
				}
			}
			else if (this.protocol != null) {
				throw unknownScheme();
			}
		}
		this.host = emptyToNull(host);
		if (port != null && (port < 1 || port > 65535)) {
			throw new IllegalArgumentException(
					"Invalid port " + port + " in database URL: expected a number from 1 to 65535");
		}
		this.port = port;
		this.database = emptyToNull(database);
		// Python's databases reads "user:@host" as an empty password but "@host" as no user;
		// an empty user only exists next to a password.
		this.username = (username == null && password != null) ? ""
				: ("".equals(username) && password == null) ? null : username;
		this.password = password;
		this.options = Collections.unmodifiableMap(copyOptions(options));
		check();
	}

	/**
	 * Parse a database URL.
	 * @param url the URL, e.g. {@code postgresql://user:password@localhost:5432/example?ssl=true};
	 * leading and trailing white space is ignored
	 * @return the parsed URL
	 * @throws IllegalArgumentException when the URL is malformed, its scheme unknown, or a
	 * known option has a bad value; the message says what is wrong and what is accepted, and
	 * never contains the password
	 */
	public static DatabaseURL parse(String url) {
		if (url == null) {
			throw new IllegalArgumentException("Database URL must not be null");
		}
		String text = url.strip();
		if (text.isEmpty()) {
			throw new IllegalArgumentException("Database URL must not be empty: expected " + FORMAT + ", " + EXAMPLE);
		}
		if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
			throw new IllegalArgumentException("JDBC URLs are not accepted here: remove the 'jdbc:' prefix and write "
					+ FORMAT + ", " + EXAMPLE + " (toJdbcUrl() gives the JDBC form)");
		}
		int separator = text.indexOf("://");
		if (separator < 0) {
			throw missingSeparator(text);
		}
		if (separator == 0) {
			throw new IllegalArgumentException(
					"Invalid database URL: the scheme before '://' is missing; expected " + FORMAT + ", " + EXAMPLE);
		}
		String scheme = text.substring(0, separator);
		String rest = text.substring(separator + 3);
		if (rest.indexOf('#') >= 0) {
			throw new IllegalArgumentException("Invalid database URL: '#' must be percent-encoded as %23 "
					+ "(in a password, for example); these URLs have no fragment");
		}
		int authorityEnd = indexOfAny(rest, "/?");
		String authority = rest.substring(0, authorityEnd);
		String pathAndQuery = rest.substring(authorityEnd);
		int question = pathAndQuery.indexOf('?');
		String path = (question >= 0) ? pathAndQuery.substring(0, question) : pathAndQuery;
		String query = (question >= 0) ? pathAndQuery.substring(question + 1) : "";

		String username = null;
		String password = null;
		String hostAndPort = authority;
		int at = authority.lastIndexOf('@');
		if (at >= 0) {
			String userinfo = authority.substring(0, at);
			hostAndPort = authority.substring(at + 1);
			int colon = userinfo.indexOf(':');
			username = PercentCodec.decode((colon >= 0) ? userinfo.substring(0, colon) : userinfo, false,
					"user name");
			password = (colon >= 0) ? PercentCodec.decode(userinfo.substring(colon + 1), false, "password") : null;
		}
		String host;
		String port;
		if (hostAndPort.startsWith("[")) {
			int close = hostAndPort.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException(
						"Invalid database URL: the host starts with '[' but has no closing ']'");
			}
			host = PercentCodec.decode(hostAndPort.substring(1, close), false, "host");
			String after = hostAndPort.substring(close + 1);
			if (!after.isEmpty() && !after.startsWith(":")) {
				throw new IllegalArgumentException(
						"Invalid database URL: only ':port' may follow a host written in brackets");
			}
			port = after.isEmpty() ? "" : after.substring(1);
		}
		else {
			int colon = hostAndPort.indexOf(':');
			host = PercentCodec.decode((colon >= 0) ? hostAndPort.substring(0, colon) : hostAndPort, false, "host");
			port = (colon >= 0) ? hostAndPort.substring(colon + 1) : "";
		}
		String database = path.isEmpty() ? null : PercentCodec.decode(path.substring(1), false, "database name");
		return new DatabaseURL(scheme, username, password, host, parsePort(port), database, parseQuery(query));
	}

	private static @Nullable Integer parsePort(String port) {
		if (port.isEmpty()) {
			return null;
		}
		// The value is not shown: when a password holds an unencoded '/', part of it ends up here.
		boolean digits = port.length() <= 5 && port.chars().allMatch((c) -> c >= '0' && c <= '9');
		int value = digits ? Integer.parseInt(port) : -1;
		if (value < 1 || value > 65535) {
			throw new IllegalArgumentException("Invalid port in database URL: expected a number from 1 to 65535 "
					+ "(a '/', '?', '#' or '@' in a user name or password must be percent-encoded, e.g. '/' as %2F)");
		}
		return value;
	}

	private static Map<String, String> parseQuery(String query) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				continue;
			}
			String name = PercentCodec.decode(pair.substring(0, equals), true, "option names");
			String value = PercentCodec.decode(pair.substring(equals + 1), true, "option values");
			if (!name.isEmpty() && !value.isEmpty()) {
				options.put(name, value);
			}
		}
		return options;
	}

	private static IllegalArgumentException missingSeparator(String text) {
		int colon = text.indexOf(':');
		String first = (colon > 0) ? text.substring(0, colon).toLowerCase(Locale.ROOT) : "";
		String hint = switch (first) {
			case "sqlite" -> "; write " + SQLITE_FORMS;
			case "h2" -> "; write " + H2_FORMS;
			default -> "";
		};
		// Only a known scheme is named: the text may be anything, a password included.
		return new IllegalArgumentException("Invalid database URL: '://' is missing after the scheme; expected "
				+ FORMAT + ", " + EXAMPLE + hint);
	}

	private IllegalArgumentException unknownScheme() {
		return new IllegalArgumentException("Unknown database URL scheme '" + this.scheme + "': expected " + SCHEMES);
	}

	private static int indexOfAny(String text, String characters) {
		for (int i = 0; i < text.length(); i++) {
			if (characters.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return text.length();
	}

	private static @Nullable String emptyToNull(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	private static Map<String, String> copyOptions(Map<String, ?> options) {
		Map<String, String> copy = new LinkedHashMap<>();
		options.forEach((name, value) -> {
			if (name == null || name.isEmpty()) {
				throw new IllegalArgumentException("Option names in a database URL must not be empty");
			}
			String text = (value != null) ? ConnectOptions.asString(value) : "";
			if (!text.isEmpty()) {
				copy.put(name, text);
			}
		});
		return copy;
	}

	/** The rules that depend on the database, checked however the URL was made. */
	private void check() {
		for (String name : this.options.keySet()) {
			if (URL_PARTS.contains(name)) {
				throw new InvalidOptionException(name, "Option " + name + " is not accepted in the query string of a "
						+ "database URL: write it in the URL itself, as " + FORMAT);
			}
		}
		String style = driverStyle();
		boolean local = style.equals("sqlite") || style.equals("h2");
		if (local && this.options.containsKey(HOST_OPTION)) {
			throw new InvalidOptionException("host", "Option host is not supported for " + style + ": it has no server");
		}
		if (!this.r2dbc && this.dialect.equals("sqlite")) {
			if (this.username != null) {
				throw new IllegalArgumentException(
						"Invalid sqlite URL: SQLite has no user or password; write " + SQLITE_FORMS);
			}
			if (this.host != null || this.port != null) {
				throw new IllegalArgumentException("Invalid sqlite URL: SQLite has no host or port"
						+ ((this.host != null) ? " (found host '" + this.host + "')" : "") + "; write " + SQLITE_FORMS);
			}
		}
		if (!this.r2dbc && this.dialect.equals("h2")) {
			if (this.host != null || this.port != null) {
				throw new IllegalArgumentException("Invalid h2 URL: an embedded H2 database has no host or port"
						+ ((this.host != null) ? " (found host '" + this.host + "')" : "") + "; write " + H2_FORMS);
			}
			if (this.database == null) {
				throw new IllegalArgumentException("Invalid h2 URL: the database name is missing; write " + H2_FORMS);
			}
		}
		ConnectOptions known = ConnectOptions.of(this.options, Map.of());
		SslMode ssl = known.ssl();
		if (ssl != null && ssl != SslMode.DISABLE) {
			if (local) {
				throw new InvalidOptionException("ssl", "Option ssl=" + ssl + " is not supported for " + style
						+ ": the database is in this process, with no network connection; leave ssl out or set it to false");
			}
			if (!style.equals("postgresql") && !style.equals("mysql") && ssl != SslMode.REQUIRE) {
				throw new InvalidOptionException("ssl", "Option ssl=" + ssl + " is not supported for " + this.scheme
						+ " URLs: only true or false can be passed on (as R2DBC's ssl option); use the driver's own option instead");
			}
		}
	}

	/**
	 * The R2DBC driver the URL leads to, which decides how {@code ssl} and Unix sockets are
	 * spelled: {@code postgresql}, {@code mysql}, {@code sqlite}, {@code h2} or another name.
	 */
	private String driverStyle() {
		return switch (this.dialect) {
			case "mariadb" -> this.r2dbc ? "mariadb" : "mysql";
			default -> this.dialect;
		};
	}

	/**
	 * The scheme as written (lower case), e.g. {@code postgres+asyncpg}, {@code h2:mem} or
	 * {@code r2dbc:pool:postgresql}.
	 * @return the scheme
	 */
	public String scheme() {
		return this.scheme;
	}

	/**
	 * The kind of database: {@code postgresql} (also for {@code postgres://}), {@code mysql},
	 * {@code mariadb}, {@code sqlite}, {@code h2}, or for an {@code r2dbc:} URL the R2DBC driver's
	 * name (the pooled driver's for {@code r2dbc:pool:...}).
	 * @return the dialect
	 */
	public String dialect() {
		return this.dialect;
	}

	/**
	 * The part of the scheme after {@code +}, e.g. {@code asyncpg} for
	 * {@code postgresql+asyncpg://}. It is kept whatever it is; {@code Database} rejects one it
	 * does not support.
	 * @return the driver, or {@code null} when there is none ({@code r2dbc:} URLs never have
	 * one)
	 */
	public @Nullable String driver() {
		return this.driver;
	}

	/**
	 * The part of the scheme after the dialect's {@code :}: {@code mem} or {@code file} for H2,
	 * R2DBC's protocol for an {@code r2dbc:} URL (e.g. {@code mem} in {@code r2dbc:h2:mem://},
	 * {@code postgresql} in {@code r2dbc:pool:postgresql://}).
	 * @return the protocol, or {@code null} when there is none
	 */
	public @Nullable String protocol() {
		return this.protocol;
	}

	/**
	 * The user name, percent-decoded.
	 * @return the user name, or {@code null} when the URL has none ({@code ""} when only a
	 * password is given)
	 */
	public @Nullable String username() {
		return this.username;
	}

	/**
	 * The password, percent-decoded.
	 * @return the password, or {@code null} when the URL has none
	 */
	public @Nullable String password() {
		return this.password;
	}

	/**
	 * The host, percent-decoded, without the brackets of an IPv6 address. When the URL has no
	 * host, the value of the {@code host} option and then of the {@code unix_sock} option, as in
	 * Python's databases, so {@code postgresql://u@/db?host=/var/run/postgresql/.s.PGSQL.5432}
	 * gives that path.
	 * @return the host, or {@code null} when there is none
	 */
	public @Nullable String hostname() {
		if (this.host != null) {
			return this.host;
		}
		String fromOption = this.options.get(HOST_OPTION);
		return (fromOption != null) ? fromOption : this.options.get(UNIX_SOCK_OPTION);
	}

	/**
	 * The port.
	 * @return the port, or {@code null} when the URL has none and the driver's default applies
	 */
	public @Nullable Integer port() {
		return this.port;
	}

	/**
	 * The database: the path with one leading {@code /} removed, percent-decoded. A SQLite or
	 * H2 file path is relative unless it starts with {@code /} ({@code sqlite:////abs.db}).
	 * @return the database, or {@code null} when the path is empty (for SQLite: in memory)
	 */
	public @Nullable String database() {
		return this.database;
	}

	/**
	 * The options from the query string, decoded, in their order.
	 * @return an unmodifiable map
	 */
	public Map<String, String> options() {
		return this.options;
	}

	/**
	 * Whether the database lives in memory: {@code sqlite://}, {@code sqlite:///:memory:},
	 * {@code sqlite:///file::memory:?cache=shared} or {@code ?mode=memory}, and H2's {@code mem}
	 * protocol.
	 * @return {@code true} for an in-memory database
	 */
	public boolean isInMemory() {
		String style = driverStyle();
		if (style.equals("sqlite")) {
			return this.database == null || this.database.equals(":memory:")
					|| this.database.startsWith("file::memory:") || "memory".equals(this.options.get("mode"));
		}
		if (style.equals("h2")) {
			return this.protocol != null && (this.protocol.equals("mem") || this.protocol.endsWith(":mem"));
		}
		return false;
	}

	/**
	 * A copy with another scheme, e.g. {@code postgresql+asyncpg} or {@code h2:file}.
	 * @param scheme the new scheme
	 * @return the copy
	 * @throws IllegalArgumentException when the scheme is unknown or does not fit the rest of
	 * the URL
	 */
	public DatabaseURL withScheme(String scheme) {
		return new DatabaseURL(notNull(scheme, "scheme"), this.username, this.password, this.host, this.port,
				this.database, this.options);
	}

	/**
	 * A copy with another dialect, keeping the driver and protocol: {@code postgres+asyncpg}
	 * with dialect {@code mysql} becomes {@code mysql+asyncpg}.
	 * @param dialect the new dialect, e.g. {@code mysql}
	 * @return the copy
	 * @throws IllegalArgumentException for an {@code r2dbc:} URL (use
	 * {@link #withScheme(String)}) or an unknown dialect
	 */
	public DatabaseURL withDialect(String dialect) {
		notNull(dialect, "dialect");
		if (this.r2dbc) {
			throw new IllegalArgumentException("The dialect of an r2dbc: URL is its driver: use withScheme instead");
		}
		return withScheme(dialect + ((this.driver != null) ? "+" + this.driver : "")
				+ ((this.protocol != null) ? ":" + this.protocol : ""));
	}

	/**
	 * A copy with another driver after the {@code +}.
	 * @param driver the new driver, or {@code null} or {@code ""} to remove it
	 * @return the copy
	 * @throws IllegalArgumentException for an {@code r2dbc:} URL, which has no {@code +driver}
	 */
	public DatabaseURL withDriver(@Nullable String driver) {
		if (this.r2dbc) {
			throw new IllegalArgumentException("An r2dbc: URL has no +driver part: use withScheme instead");
		}
		String base = this.scheme.split(":")[0];
		int plus = base.indexOf('+');
		String name = (plus >= 0) ? base.substring(0, plus) : base;
		return withScheme(name + ((driver != null && !driver.isEmpty()) ? "+" + driver : "")
				+ ((this.protocol != null) ? ":" + this.protocol : ""));
	}

	/**
	 * A copy with another user name.
	 * @param username the user name, not encoded, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withUsername(@Nullable String username) {
		return new DatabaseURL(this.scheme, username, this.password, this.host, this.port, this.database,
				this.options);
	}

	/**
	 * A copy with another password.
	 * @param password the password, not encoded, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withPassword(@Nullable String password) {
		return new DatabaseURL(this.scheme, this.username, password, this.host, this.port, this.database,
				this.options);
	}

	/**
	 * A copy with another host.
	 * @param hostname the host, not encoded and without brackets, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withHostname(@Nullable String hostname) {
		return new DatabaseURL(this.scheme, this.username, this.password, hostname, this.port, this.database,
				this.options);
	}

	/**
	 * A copy with another port.
	 * @param port the port, from 1 to 65535, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withPort(@Nullable Integer port) {
		return new DatabaseURL(this.scheme, this.username, this.password, this.host, port, this.database,
				this.options);
	}

	/**
	 * A copy with another database; for SQLite and H2 a path, absolute when it starts with
	 * {@code /}.
	 * @param database the database, not encoded, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withDatabase(@Nullable String database) {
		return new DatabaseURL(this.scheme, this.username, this.password, this.host, this.port, database,
				this.options);
	}

	/**
	 * A copy with these options in place of the URL's. Values may be strings, numbers,
	 * booleans or {@link java.time.Duration}s; {@code null} and empty values are left out.
	 * @param options the options, in the order to keep
	 * @return the copy
	 * @throws IllegalArgumentException when a known option has a bad value
	 */
	public DatabaseURL withOptions(Map<String, ?> options) {
		return new DatabaseURL(this.scheme, this.username, this.password, this.host, this.port, this.database,
				notNull(options, "options"));
	}

	/**
	 * A copy with one option added or replaced.
	 * @param name the option's name
	 * @param value its value (a string, number, boolean or {@link java.time.Duration}), or
	 * {@code null} or {@code ""} to remove the option
	 * @return the copy
	 * @throws IllegalArgumentException when the name is empty or a known option gets a bad value
	 */
	public DatabaseURL withOption(String name, @Nullable Object value) {
		notNull(name, "name");
		Map<String, Object> options = new LinkedHashMap<>(this.options);
		if (value == null) {
			options.remove(name);
		}
		else {
			options.put(name, value);
		}
		return withOptions(options);
	}

	/**
	 * The URL with the password replaced by {@code ********}; safe for logs and messages.
	 * @return the masked URL
	 */
	@Override
	public String toString() {
		return format(this.scheme, this.username, this.password, this.host, this.port, this.database, this.options,
				true);
	}

	/**
	 * The full URL, password included, percent-encoded so that {@link #parse(String)} gives
	 * back an equal URL.
	 * @return the URL
	 */
	public String toUnmaskedString() {
		return format(this.scheme, this.username, this.password, this.host, this.port, this.database, this.options,
				false);
	}

	/**
	 * The URL for {@code io.r2dbc.spi.ConnectionFactories.get(...)}: {@code r2dbc:postgresql://}
	 * for PostgreSQL, {@code r2dbc:mysql://} (io.asyncer r2dbc-mysql) for MySQL and MariaDB,
	 * {@code r2dbc:sqlite:///path} or {@code r2dbc:sqlite:///:memory:} for SQLite,
	 * {@code r2dbc:h2:mem:///name?DB_CLOSE_DELAY=-1} (so the database outlives a moment with no
	 * connection; an explicit {@code DB_CLOSE_DELAY} wins) and {@code r2dbc:h2:file:///./path}
	 * for H2; an {@code r2dbc:} URL is kept as it is.
	 * <p>
	 * Credentials are included. This library's own options are left out, except {@code ssl},
	 * which becomes the driver's {@code sslMode} ({@code disable}...{@code verify-full} for
	 * PostgreSQL, {@code DISABLED}...{@code VERIFY_IDENTITY} for MySQL) or R2DBC's {@code ssl}
	 * for other drivers. A Unix socket becomes {@code socket} (PostgreSQL; a directory gets
	 * {@code .s.PGSQL.<port>} appended) or {@code unixSocket} (MySQL). Every other option is
	 * passed on unchanged.
	 * @return the R2DBC URL
	 */
	public String toR2dbcUrl() {
		String style = driverStyle();
		Map<String, String> options = passedOn(style);
		String host = this.host;
		String database = this.database;
		String socket = socket(style);
		if (socket != null) {
			if (host != null && host.startsWith("/")) {
				host = null;
			}
			options.put(style.equals("postgresql") ? "socket" : "unixSocket",
					style.equals("postgresql") ? postgresqlSocketFile(socket) : socket);
		}
		else if (host == null && this.options.containsKey(HOST_OPTION)) {
			host = this.options.get(HOST_OPTION);
		}
		SslMode ssl = ConnectOptions.ssl(this.options.get(ConnectOptions.SSL));
		if (ssl != null) {
			switch (style) {
				case "postgresql" -> options.put("sslMode", ssl.postgresql());
				case "mysql" -> options.put("sslMode", ssl.mysql());
				case "sqlite", "h2" -> {
					// Checked in check(): only "disable", which means nothing in this process.
				}
				default -> options.put(ConnectOptions.SSL, String.valueOf(ssl != SslMode.DISABLE));
			}
		}
		String scheme;
		if (this.r2dbc) {
			scheme = this.scheme;
		}
		else {
			switch (this.dialect) {
				case "postgresql" -> scheme = "r2dbc:postgresql";
				case "mysql", "mariadb" -> scheme = "r2dbc:mysql";
				case "sqlite" -> {
					scheme = "r2dbc:sqlite";
					database = (database != null) ? database : ":memory:";
				}
				default -> {
					scheme = "r2dbc:h2:" + this.protocol;
					if ("mem".equals(this.protocol)) {
						if (options.keySet().stream().noneMatch("DB_CLOSE_DELAY"::equalsIgnoreCase)) {
							options.put("DB_CLOSE_DELAY", "-1");
						}
					}
					else {
						database = h2FilePath(Objects.requireNonNull(database));
					}
				}
			}
		}
		return format(scheme, this.username, this.password, host, this.port, database, options, false);
	}

	/**
	 * The URL for JDBC tools such as Flyway: {@code jdbc:postgresql://host:port/db},
	 * {@code jdbc:mysql://...}, {@code jdbc:mariadb://...}, {@code jdbc:sqlite:relative.db},
	 * {@code jdbc:sqlite:/absolute.db}, {@code jdbc:sqlite::memory:},
	 * {@code jdbc:h2:mem:name;DB_CLOSE_DELAY=-1} or {@code jdbc:h2:file:./path}.
	 * <p>
	 * The user name and password are not in it: pass {@link #username()} and
	 * {@link #password()} to the tool separately. {@code ssl} becomes pgjdbc's {@code sslmode},
	 * or {@code sslMode} for MySQL Connector/J and MariaDB Connector/J (where {@code prefer} is
	 * {@code trust}, since that driver has no "prefer"); other options are passed on unchanged
	 * (for H2 as {@code ;NAME=value}). A host-less URL gets {@code localhost}.
	 * @return the JDBC URL
	 * @throws IllegalStateException when there is no JDBC form: an {@code r2dbc:} URL for
	 * another driver, or a Unix socket with PostgreSQL or MySQL (their JDBC drivers need
	 * extra libraries for that; MariaDB's gets {@code localSocket})
	 */
	public String toJdbcUrl() {
		String family = this.dialect;
		Map<String, String> options = passedOn(family.equals("postgresql") ? "postgresql" : family.equals("mysql")
				|| family.equals("mariadb") ? "mysql" : family);
		SslMode ssl = ConnectOptions.ssl(this.options.get(ConnectOptions.SSL));
		switch (family) {
			case "postgresql", "mysql", "mariadb" -> {
				String socket = socket(family.equals("postgresql") ? "postgresql" : "mysql");
				if (socket != null && !family.equals("mariadb")) {
					throw new IllegalStateException("No JDBC URL for " + family + " over a Unix socket: its JDBC "
							+ "driver needs an extra socket factory; connect the JDBC tool through TCP");
				}
				if (socket != null) {
					options.put("localSocket", socket);
				}
				if (ssl != null) {
					switch (family) {
						case "postgresql" -> options.put("sslmode", ssl.postgresql());
						case "mysql" -> options.put("sslMode", ssl.mysql());
						default -> options.put("sslMode", ssl.mariadbJdbc());
					}
				}
				String host = (this.host != null && !this.host.startsWith("/")) ? this.host
						: (socket == null && this.options.containsKey(HOST_OPTION)) ? this.options.get(HOST_OPTION)
								: "localhost";
				// No user, no password: JDBC tools take them separately.
				return format("jdbc:" + family, null, null, host, this.port, this.database, options, false);
			}
			case "sqlite" -> {
				String file = (this.database != null) ? this.database : ":memory:";
				return "jdbc:sqlite:" + file + (options.isEmpty() ? "" : "?" + query(options, false));
			}
			case "h2" -> {
				String protocol = Objects.requireNonNull(this.protocol);
				protocol = protocol.substring(protocol.lastIndexOf(':') + 1);
				StringBuilder url = new StringBuilder("jdbc:h2:").append(protocol).append(':');
				String database = Objects.requireNonNull(this.database,
						"H2 URLs are checked to have a database");
				if (protocol.equals("mem")) {
					url.append(database);
					if (options.keySet().stream().noneMatch("DB_CLOSE_DELAY"::equalsIgnoreCase)) {
						url.append(";DB_CLOSE_DELAY=-1");
					}
				}
				else {
					url.append(this.r2dbc ? database : h2FilePath(database));
				}
				options.forEach((name, value) -> url.append(';').append(name).append('=').append(value));
				return url.toString();
			}
			default -> throw new IllegalStateException("No JDBC URL for " + this.scheme
					+ " URLs: only postgresql, mysql, mariadb, sqlite and h2 have a JDBC form");
		}
	}

	/** The options a driver gets: all but ours, the socket options it reads, and "host". */
	private Map<String, String> passedOn(String style) {
		Map<String, String> options = new LinkedHashMap<>();
		boolean sockets = style.equals("postgresql") || style.equals("mysql");
		this.options.forEach((name, value) -> {
			boolean socketOption = SOCKET_OPTIONS.contains(name) && (sockets || name.equals(HOST_OPTION));
			if (!ConnectOptions.NAMES.contains(name) && !socketOption) {
				options.put(name, value);
			}
		});
		return options;
	}

	/**
	 * The Unix socket to connect through, for PostgreSQL and MySQL: a host that is a path,
	 * else (with no host) the {@code host}, {@code unix_sock} or {@code unix_socket} option
	 * that is a path; MySQL's {@code unix_socket} counts even with a host, as in Python's
	 * databases.
	 */
	private @Nullable String socket(String style) {
		if (!style.equals("postgresql") && !style.equals("mysql")) {
			return null;
		}
		if (style.equals("mysql") && this.options.containsKey(UNIX_SOCKET_OPTION)) {
			return this.options.get(UNIX_SOCKET_OPTION);
		}
		if (this.host != null) {
			return this.host.startsWith("/") ? this.host : null;
		}
		for (String name : new String[] { HOST_OPTION, UNIX_SOCK_OPTION, UNIX_SOCKET_OPTION }) {
			String value = this.options.get(name);
			if (value != null) {
				return value.startsWith("/") ? value : null;
			}
		}
		return null;
	}

	/** libpq takes the socket's directory; r2dbc-postgresql wants the socket file itself. */
	private String postgresqlSocketFile(String socket) {
		String name = socket.substring(socket.lastIndexOf('/') + 1);
		if (name.startsWith(".s.PGSQL.")) {
			return socket;
		}
		String directory = socket.endsWith("/") ? socket.substring(0, socket.length() - 1) : socket;
		return directory + "/.s.PGSQL." + ((this.port != null) ? this.port : 5432);
	}

	/** H2 refuses a path "implicitly relative to the current working directory": make it explicit. */
	private static String h2FilePath(String path) {
		boolean explicit = path.startsWith("/") || path.startsWith("./") || path.startsWith("../")
				|| path.startsWith("~") || path.startsWith("\\") || path.startsWith(".\\")
				|| WINDOWS_PATH.matcher(path).matches();
		return explicit ? path : "./" + path;
	}

	private static String format(String scheme, @Nullable String username, @Nullable String password,
			@Nullable String host, @Nullable Integer port, @Nullable String database, Map<String, String> options,
			boolean masked) {
		StringBuilder url = new StringBuilder(64).append(scheme).append("://");
		if (username != null) {
			url.append(PercentCodec.USERINFO.encode(username));
			if (password != null) {
				url.append(':').append(masked ? MASK : PercentCodec.USERINFO.encode(password));
			}
			url.append('@');
		}
		if (host != null) {
			if (host.indexOf(':') >= 0) {
				url.append('[').append(PercentCodec.BRACKETED_HOST.encode(host)).append(']');
			}
			else {
				url.append(PercentCodec.HOST.encode(host));
			}
		}
		if (port != null) {
			url.append(':').append(port);
		}
		if (database != null) {
			url.append('/').append(PercentCodec.PATH.encode(database));
		}
		if (!options.isEmpty()) {
			url.append('?').append(query(options, masked));
		}
		return url.toString();
	}

	private static String query(Map<String, String> options, boolean masked) {
		StringBuilder query = new StringBuilder();
		options.forEach((name, value) -> {
			if (query.length() > 0) {
				query.append('&');
			}
			query.append(PercentCodec.QUERY.encode(name)).append('=');
			query.append((masked && isSecret(name)) ? MASK : PercentCodec.QUERY.encode(value));
		});
		return query.toString();
	}

	private static boolean isSecret(String optionName) {
		String name = optionName.toLowerCase(Locale.ROOT);
		return name.contains("password") || name.contains("secret");
	}

	private static <T> T notNull(@Nullable T value, String name) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' must not be null");
		}
		return value;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof DatabaseURL that)) {
			return false;
		}
		return this.scheme.equals(that.scheme) && Objects.equals(this.username, that.username)
				&& Objects.equals(this.password, that.password) && Objects.equals(this.host, that.host)
				&& Objects.equals(this.port, that.port) && Objects.equals(this.database, that.database)
				&& this.options.equals(that.options);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.scheme, this.username, this.password, this.host, this.port, this.database,
				this.options);
	}

}

package dev.databases;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.databases.internal.backend.UrlSpelling;
import dev.databases.internal.url.UrlFormat;
import dev.databases.internal.url.UrlHost;
import dev.databases.internal.url.UrlParts;
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
 * Several servers are written as a comma-separated list, {@code postgresql://h1:5432,h2:5433/db}
 * ({@link #hosts()}; {@link #hostname()} and {@link #port()} are the first's); a database whose
 * driver cannot try several servers refuses such a URL here. With the option
 * {@code target_server_type} ({@code any}, {@code primary}, {@code standby} or
 * {@code prefer-standby}, libpq's names) each new connection goes to the first server that
 * answers in that role, so after a failover new work reaches the new primary.
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

	private final UrlParts parts;

	/** How its database writes URLs, which its backend knows. */
	private final UrlSpelling spelling;

	/**
	 * A URL of decoded parts, checked for its database; {@link UrlParser} and the copies make them.
	 * {@code host} and {@code port} are the first server's, {@code otherHosts} those after it.
	 */
	DatabaseURL(String scheme, @Nullable String username, @Nullable String password, @Nullable String host,
			@Nullable Integer port, List<UrlHost> otherHosts, @Nullable String database, Map<String, ?> options) {
		this.parts = UrlChecks.parts(scheme, username, password, host, port, otherHosts, database, options);
		this.spelling = UrlSpelling.of(this.parts.scheme().dialect());
		UrlChecks.check(this.parts, this.spelling);
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
		return UrlParser.parse(url);
	}

	/**
	 * The scheme as written (lower case), e.g. {@code postgres+asyncpg}, {@code h2:mem} or
	 * {@code r2dbc:pool:postgresql}.
	 * @return the scheme
	 */
	public String scheme() {
		return this.parts.scheme().text();
	}

	/**
	 * The kind of database: {@code postgresql} (also for {@code postgres://}), {@code mysql},
	 * {@code mariadb}, {@code sqlite}, {@code h2}, or for an {@code r2dbc:} URL the R2DBC driver's
	 * name (the pooled driver's for {@code r2dbc:pool:...}).
	 * @return the dialect
	 */
	public String dialect() {
		return this.parts.dialect();
	}

	/**
	 * The part of the scheme after {@code +}, e.g. {@code asyncpg} for
	 * {@code postgresql+asyncpg://}. It is kept whatever it is; {@code Database} rejects one it
	 * does not support.
	 * @return the driver, or {@code null} when there is none ({@code r2dbc:} URLs never have
	 * one)
	 */
	public @Nullable String driver() {
		return this.parts.scheme().driver();
	}

	/**
	 * The part of the scheme after the dialect's {@code :}: {@code mem} or {@code file} for H2,
	 * R2DBC's protocol for an {@code r2dbc:} URL (e.g. {@code mem} in {@code r2dbc:h2:mem://},
	 * {@code postgresql} in {@code r2dbc:pool:postgresql://}).
	 * @return the protocol, or {@code null} when there is none
	 */
	public @Nullable String protocol() {
		return this.parts.scheme().protocol();
	}

	/**
	 * The user name, percent-decoded.
	 * @return the user name, or {@code null} when the URL has none ({@code ""} when only a
	 * password is given)
	 */
	public @Nullable String username() {
		return this.parts.username();
	}

	/**
	 * The password, percent-decoded.
	 * @return the password, or {@code null} when the URL has none
	 */
	public @Nullable String password() {
		return this.parts.password();
	}

	/**
	 * The host, percent-decoded, without the brackets of an IPv6 address; of a URL naming several
	 * servers, the first's ({@link #hosts()} has them all). When the URL has no
	 * host, the value of the {@code host} option and then of the {@code unix_sock} option, as in
	 * Python's databases, so {@code postgresql://u@/db?host=/var/run/postgresql/.s.PGSQL.5432}
	 * gives that path.
	 * @return the host, or {@code null} when there is none
	 */
	public @Nullable String hostname() {
		if (this.parts.host() != null) {
			return this.parts.host();
		}
		String fromOption = this.parts.hostOption();
		return (fromOption != null) ? fromOption : this.parts.options().get(UrlParts.UNIX_SOCK_OPTION);
	}

	/**
	 * The port; of a URL naming several servers, the first's.
	 * @return the port, or {@code null} when the URL has none and the driver's default applies
	 */
	public @Nullable Integer port() {
		return this.parts.port();
	}

	/**
	 * Every server the URL names, in the order written: one for {@code postgresql://h:5432/db},
	 * two for {@code postgresql://h1:5432,h2:5433/db}. The first is {@link #hostname()} and
	 * {@link #port()}.
	 * @return an unmodifiable list; empty when the URL has no host (a Unix socket given as the
	 * {@code host} option, an embedded database)
	 */
	public List<DatabaseHost> hosts() {
		List<DatabaseHost> hosts = new ArrayList<>();
		for (UrlHost host : this.parts.hosts()) {
			hosts.add(new DatabaseHost(host.host(), host.port()));
		}
		return List.copyOf(hosts);
	}

	/**
	 * The database: the path with one leading {@code /} removed, percent-decoded. A SQLite or
	 * H2 file path is relative unless it starts with {@code /} ({@code sqlite:////abs.db}).
	 * @return the database, or {@code null} when the path is empty (for SQLite: in memory)
	 */
	public @Nullable String database() {
		return this.parts.database();
	}

	/**
	 * The options from the query string, decoded, in their order.
	 * @return an unmodifiable map
	 */
	public Map<String, String> options() {
		return this.parts.options();
	}

	/**
	 * Whether the database lives in memory: {@code sqlite://}, {@code sqlite:///:memory:},
	 * {@code sqlite:///file::memory:?cache=shared} or {@code ?mode=memory}, and H2's {@code mem}
	 * protocol.
	 * @return {@code true} for an in-memory database
	 */
	public boolean isInMemory() {
		return this.spelling.isInMemory(this.parts);
	}

	/**
	 * A copy with another scheme, e.g. {@code postgresql+asyncpg} or {@code h2:file}.
	 * @param scheme the new scheme
	 * @return the copy
	 * @throws IllegalArgumentException when the scheme is unknown or does not fit the rest of
	 * the URL
	 */
	public DatabaseURL withScheme(String scheme) {
		return new DatabaseURL(notNull(scheme, "scheme"), username(), password(),
				this.parts.host(), port(), otherHosts(), database(), options());
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
		if (this.parts.isR2dbc()) {
			throw new IllegalArgumentException("The dialect of an r2dbc: URL is its driver: use withScheme instead");
		}
		return withScheme(dialect + ((driver() != null) ? "+" + driver() : "")
				+ ((protocol() != null) ? ":" + protocol() : ""));
	}

	/**
	 * A copy with another driver after the {@code +}.
	 * @param driver the new driver, or {@code null} or {@code ""} to remove it
	 * @return the copy
	 * @throws IllegalArgumentException for an {@code r2dbc:} URL, which has no {@code +driver}
	 */
	public DatabaseURL withDriver(@Nullable String driver) {
		if (this.parts.isR2dbc()) {
			throw new IllegalArgumentException("An r2dbc: URL has no +driver part: use withScheme instead");
		}
		String base = scheme().split(":")[0];
		int plus = base.indexOf('+');
		String name = (plus >= 0) ? base.substring(0, plus) : base;
		return withScheme(name + ((driver != null && !driver.isEmpty()) ? "+" + driver : "")
				+ ((protocol() != null) ? ":" + protocol() : ""));
	}

	/**
	 * A copy with another user name.
	 * @param username the user name, not encoded, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withUsername(@Nullable String username) {
		return new DatabaseURL(scheme(), username, password(), this.parts.host(), port(), otherHosts(), database(),
				options());
	}

	/**
	 * A copy with another password.
	 * @param password the password, not encoded, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withPassword(@Nullable String password) {
		return new DatabaseURL(scheme(), username(), password, this.parts.host(), port(), otherHosts(), database(),
				options());
	}

	/**
	 * A copy with another host; of a URL naming several servers, the first is replaced and the
	 * others kept.
	 * @param hostname the host, not encoded and without brackets, or {@code null} to remove it
	 * (only from a URL of one server)
	 * @return the copy
	 */
	public DatabaseURL withHostname(@Nullable String hostname) {
		return new DatabaseURL(scheme(), username(), password(), hostname, port(), otherHosts(), database(),
				options());
	}

	/**
	 * A copy with another port; of a URL naming several servers, the first's is replaced.
	 * @param port the port, from 1 to 65535, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withPort(@Nullable Integer port) {
		return new DatabaseURL(scheme(), username(), password(), this.parts.host(), port, otherHosts(), database(),
				options());
	}

	/**
	 * A copy naming these servers in place of the URL's, e.g. a primary and its standby for
	 * {@code target_server_type}.
	 * @param hosts the servers, in the order to try them; none to remove the host
	 * @return the copy
	 * @throws IllegalArgumentException when the database's driver cannot try several servers
	 */
	public DatabaseURL withHosts(List<DatabaseHost> hosts) {
		notNull(hosts, "hosts");
		List<UrlHost> others = new ArrayList<>();
		for (DatabaseHost host : hosts.subList(Math.min(1, hosts.size()), hosts.size())) {
			others.add(new UrlHost(host.hostname(), host.port()));
		}
		DatabaseHost first = hosts.isEmpty() ? null : hosts.get(0);
		return new DatabaseURL(scheme(), username(), password(), (first != null) ? first.hostname() : null,
				(first != null) ? first.port() : null, others, database(), options());
	}

	/**
	 * A copy with another database; for SQLite and H2 a path, absolute when it starts with
	 * {@code /}.
	 * @param database the database, not encoded, or {@code null} to remove it
	 * @return the copy
	 */
	public DatabaseURL withDatabase(@Nullable String database) {
		return new DatabaseURL(scheme(), username(), password(), this.parts.host(), port(), otherHosts(), database,
				options());
	}

	/**
	 * A copy with these options in place of the URL's. Values may be strings, numbers,
	 * booleans or {@link java.time.Duration}s; {@code null} and empty values are left out.
	 * @param options the options, in the order to keep
	 * @return the copy
	 * @throws IllegalArgumentException when a known option has a bad value
	 */
	public DatabaseURL withOptions(Map<String, ?> options) {
		return new DatabaseURL(scheme(), username(), password(),
				this.parts.host(), port(), otherHosts(), database(), notNull(options, "options"));
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
		Map<String, Object> options = new LinkedHashMap<>(options());
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
		return format(true);
	}

	/**
	 * The full URL, password included, percent-encoded so that {@link #parse(String)} gives
	 * back an equal URL.
	 * @return the URL
	 */
	public String toUnmaskedString() {
		return format(false);
	}

	/**
	 * The URL for {@code io.r2dbc.spi.ConnectionFactories.get(...)}, in the driver's own terms:
	 * its {@code r2dbc:} scheme ({@code r2dbc:postgresql}, or {@code r2dbc:postgresql:failover}
	 * for several hosts; {@code r2dbc:mysql} for MySQL and MariaDB; {@code r2dbc:sqlite};
	 * {@code r2dbc:h2:mem} with {@code DB_CLOSE_DELAY=-1} unless one is given), credentials
	 * included, the library's own options left out, and {@code ssl}, Unix sockets and the
	 * documented driver options written as the driver names them (README, "Connection
	 * options"). An {@code r2dbc:} URL is kept as it is.
	 * @return the R2DBC URL
	 */
	public String toR2dbcUrl() {
		return this.spelling.toR2dbcUrl(this.parts);
	}

	/**
	 * The URL for JDBC tools such as Flyway ({@code jdbc:postgresql://host:port/db},
	 * {@code jdbc:mariadb://...}, {@code jdbc:sqlite:file.db}, {@code jdbc:h2:mem:name;...}),
	 * with the options written as that JDBC driver names them. The user name and password are
	 * not in it: pass {@link #username()} and {@link #password()} to the tool separately. A
	 * host-less URL gets {@code localhost}.
	 * @return the JDBC URL
	 * @throws IllegalStateException when there is no JDBC form: an {@code r2dbc:} URL for
	 * another driver, or a Unix socket with PostgreSQL or MySQL (their JDBC drivers need
	 * extra libraries for that; MariaDB's gets {@code localSocket})
	 */
	public String toJdbcUrl() {
		return this.spelling.toJdbcUrl(this.parts);
	}

	private String format(boolean masked) {
		return UrlFormat.format(this.parts.scheme().text(), this.parts.username(), this.parts.password(),
				this.parts.host(), this.parts.port(), this.parts.otherHosts(), this.parts.database(),
				this.parts.options(), masked);
	}

	private List<UrlHost> otherHosts() {
		return this.parts.otherHosts();
	}

	private static <T> T notNull(@Nullable T value, String name) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' must not be null");
		}
		return value;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		// The parts' scheme is read from its text, so equal parts are equal texts.
		return this == other || (other instanceof DatabaseURL that && this.parts.equals(that.parts));
	}

	@Override
	public int hashCode() {
		return this.parts.hashCode();
	}

}

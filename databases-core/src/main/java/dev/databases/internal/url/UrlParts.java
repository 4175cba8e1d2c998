package dev.databases.internal.url;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A database URL as plain data, for the backends to spell: its scheme read, and the rest
 * percent-decoded.
 *
 * @param scheme the scheme, read
 * @param username the user name, or {@code null}
 * @param password the password, or {@code null}
 * @param host the host as written, or {@code null} (a Unix socket's path when it starts with {@code /})
 * @param port the port, or {@code null}
 * @param database the database, or {@code null}
 * @param options the options of the query string, in their order, unmodifiable
 * @param otherHosts the servers written after the first ({@code host} and {@code port}) in a
 * comma-separated list, in their order; empty for a URL of one server
 */
public record UrlParts(UrlScheme scheme, @Nullable String username, @Nullable String password, @Nullable String host,
		@Nullable Integer port, @Nullable String database, Map<String, String> options, List<UrlHost> otherHosts) {

	/** A host, or a Unix socket's path, given as an option (as in Python's databases). */
	public static final String HOST_OPTION = "host";

	/** A Unix socket's path, as Python's databases names it for asyncpg. */
	public static final String UNIX_SOCK_OPTION = "unix_sock";

	/** A Unix socket's path, as Python's databases names it for MySQL. */
	public static final String UNIX_SOCKET_OPTION = "unix_socket";

	/** The options that name a host or a Unix socket. */
	public static final Set<String> SOCKET_OPTIONS = Set.of(HOST_OPTION, UNIX_SOCK_OPTION, UNIX_SOCKET_OPTION);

	/** R2DBC takes these from the URL's parts and refuses them in the query string. */
	private static final Set<String> URL_PARTS = Set.of("driver", "protocol", "user", "password", "port",
			"database");

	/** A copy of the list, so that the parts stay immutable. */
	public UrlParts {
		otherHosts = List.copyOf(otherHosts);
	}

	/**
	 * The parts of a URL of one server, or of none.
	 * @param scheme the scheme, read
	 * @param username the user name, or {@code null}
	 * @param password the password, or {@code null}
	 * @param host the host, or {@code null}
	 * @param port the port, or {@code null}
	 * @param database the database, or {@code null}
	 * @param options the options, unmodifiable
	 */
	public UrlParts(UrlScheme scheme, @Nullable String username, @Nullable String password, @Nullable String host,
			@Nullable Integer port, @Nullable String database, Map<String, String> options) {
		this(scheme, username, password, host, port, database, options, List.of());
	}

	/**
	 * Every server the URL's authority names, the first one first.
	 * @return an unmodifiable list; empty when the URL has no host
	 */
	public List<UrlHost> hosts() {
		if (this.host == null) {
			return List.of();
		}
		List<UrlHost> hosts = new ArrayList<>(1 + this.otherHosts.size());
		hosts.add(new UrlHost(this.host, this.port));
		hosts.addAll(this.otherHosts);
		return List.copyOf(hosts);
	}

	/**
	 * Whether the URL names more than one server.
	 * @return {@code true} when there are hosts after the first
	 */
	public boolean hasSeveralHosts() {
		return !this.otherHosts.isEmpty();
	}

	/**
	 * The role asked of the server a connection reaches; the value was checked when the URL was made.
	 * @return the type, or {@code null} when there is no {@code target_server_type} option
	 * @throws UrlOptionException when the value is not one of {@link TargetServerType}'s
	 */
	public @Nullable TargetServerType targetServerType() {
		String value = this.options.get(OptionNames.TARGET_SERVER_TYPE);
		return (value != null) ? TargetServerType.read(value) : null;
	}

	/**
	 * The database the URL names.
	 * @return {@link UrlScheme#dialect()}
	 */
	public String dialect() {
		return this.scheme.dialect();
	}

	/**
	 * Whether the URL is an R2DBC URL, whose scheme goes to the driver as it is.
	 * @return {@link UrlScheme#r2dbc()}
	 */
	public boolean isR2dbc() {
		return this.scheme.r2dbc();
	}

	/**
	 * Check that no option names a part the URL itself holds.
	 * @throws UrlOptionException naming the first such option
	 */
	public void checkQueryHoldsNoParts() {
		for (String name : this.options.keySet()) {
			if (URL_PARTS.contains(name)) {
				throw new UrlOptionException(name, "Option " + name + " is not accepted in the query string of a "
						+ "database URL: write it in the URL itself, as " + UrlFormat.FORMAT);
			}
		}
	}

	/**
	 * The TLS mode asked for; the value was checked when the URL was made.
	 * @return the mode, or {@code null} when there is no {@code ssl} option
	 */
	public @Nullable SslMode ssl() {
		String value = this.options.get(OptionNames.SSL);
		return (value != null) ? SslMode.read(value) : null;
	}

	/**
	 * The {@code host} option.
	 * @return its value, or {@code null}
	 */
	public @Nullable String hostOption() {
		return this.options.get(HOST_OPTION);
	}

	/**
	 * The options a driver gets: all but the library's own, {@code host}, and when the
	 * backend reads them, the Unix socket options.
	 * @param readsSockets whether {@code unix_sock} and {@code unix_socket} are read here
	 * rather than passed on
	 * @return a new, modifiable map in the URL's order
	 */
	public Map<String, String> driverOptions(boolean readsSockets) {
		Map<String, String> options = new LinkedHashMap<>();
		this.options.forEach((name, value) -> {
			boolean socketOption = SOCKET_OPTIONS.contains(name) && (readsSockets || name.equals(HOST_OPTION));
			if (!OptionNames.ALL.contains(name) && !socketOption) {
				options.put(name, value);
			}
		});
		return options;
	}

	/**
	 * The Unix socket to connect through: a host that is a path, else (with no host) the
	 * {@code host}, {@code unix_sock} or {@code unix_socket} option that is a path.
	 * @param unixSocketFirst whether {@code unix_socket} counts even with a host, as Python's
	 * databases has it for MySQL
	 * @return the socket's path, or {@code null} for TCP
	 */
	public @Nullable String socket(boolean unixSocketFirst) {
		if (unixSocketFirst && this.options.containsKey(UNIX_SOCKET_OPTION)) {
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

	/**
	 * This URL for a driver, credentials included: with another scheme, database and options;
	 * the host is left out when the driver is told a Unix socket (a path in the host is that
	 * socket), and without a host the {@code host} option's value stands in. The other hosts
	 * follow the first, comma-separated.
	 * @param scheme the driver's scheme
	 * @param throughSocket whether the options name a Unix socket
	 * @param database the database as the driver reads it
	 * @param options the driver's options
	 * @return the URL, unmasked
	 */
	public String toDriverUrl(String scheme, boolean throughSocket, @Nullable String database,
			Map<String, String> options) {
		String host = this.host;
		if (throughSocket) {
			if (host != null && host.startsWith("/")) {
				host = null;
			}
		}
		else if (host == null && this.options.containsKey(HOST_OPTION)) {
			host = this.options.get(HOST_OPTION);
		}
		return UrlFormat.format(scheme, this.username, this.password, host, this.port, this.otherHosts, database,
				options, false);
	}

}

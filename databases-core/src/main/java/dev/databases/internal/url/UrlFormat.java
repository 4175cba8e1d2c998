package dev.databases.internal.url;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Writes a database URL from its parts, percent-encoded, and with its secrets masked when asked. */
public final class UrlFormat {

	/** The shape every database URL has, for messages. */
	public static final String FORMAT = "dialect[+driver]://user:password@host:port/database?option=value";

	private static final String MASK = "********";

	private UrlFormat() {
	}

	/**
	 * The URL of these parts.
	 * @param scheme the scheme, written as it is
	 * @param username the user name, or {@code null}
	 * @param password the password, or {@code null}; left out without a user name
	 * @param host the host, or {@code null}; in brackets when it holds a {@code :}
	 * @param port the port, or {@code null}
	 * @param database the database, or {@code null}
	 * @param options the query string's options, in their order
	 * @param masked whether to show the password, and options that look secret, as {@code ********}
	 * @return the URL
	 */
	public static String format(String scheme, @Nullable String username, @Nullable String password,
			@Nullable String host, @Nullable Integer port, @Nullable String database, Map<String, String> options,
			boolean masked) {
		return format(scheme, username, password, host, port, List.of(), database, options, masked);
	}

	/**
	 * The URL of these parts, naming several servers: {@code host:port,host2:port2}.
	 * @param scheme the scheme, written as it is
	 * @param username the user name, or {@code null}
	 * @param password the password, or {@code null}; left out without a user name
	 * @param host the first host, or {@code null}; in brackets when it holds a {@code :}
	 * @param port the first host's port, or {@code null}
	 * @param otherHosts the servers after the first, each written as the first is
	 * @param database the database, or {@code null}
	 * @param options the query string's options, in their order
	 * @param masked whether to show the password, and options that look secret, as {@code ********}
	 * @return the URL
	 */
	public static String format(String scheme, @Nullable String username, @Nullable String password,
			@Nullable String host, @Nullable Integer port, List<UrlHost> otherHosts, @Nullable String database,
			Map<String, String> options, boolean masked) {
		StringBuilder url = new StringBuilder(64).append(scheme).append("://");
		if (username != null) {
			url.append(PercentCodec.USERINFO.encode(username));
			if (password != null) {
				url.append(':').append(masked ? MASK : PercentCodec.USERINFO.encode(password));
			}
			url.append('@');
		}
		appendHost(url, host, port);
		for (UrlHost other : otherHosts) {
			appendHost(url.append(','), other.host(), other.port());
		}
		if (database != null) {
			url.append('/').append(PercentCodec.PATH.encode(database));
		}
		if (!options.isEmpty()) {
			url.append('?').append(query(options, masked));
		}
		return url.toString();
	}

	private static void appendHost(StringBuilder url, @Nullable String host, @Nullable Integer port) {
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
	}

	/**
	 * A query string, without its {@code ?}.
	 * @param options the options, in their order
	 * @param masked whether to show the values of options that look secret as {@code ********}
	 * @return {@code name=value} pairs joined by {@code &}
	 */
	public static String query(Map<String, String> options, boolean masked) {
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

}

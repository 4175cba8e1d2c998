package dev.databases;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.databases.internal.backend.Schemes;
import dev.databases.internal.url.PercentCodec;
import dev.databases.internal.url.UrlFormat;
import dev.databases.internal.url.UrlHost;
import org.jspecify.annotations.Nullable;

/**
 * Reads the text of a database URL into its parts, percent-decoded, for
 * {@link DatabaseURL#parse(String)}; what the parts may be is checked by the URL itself.
 */
final class UrlParser {

	private UrlParser() {
	}

	/** The URL that {@code url} writes, as {@link DatabaseURL#parse(String)} documents it. */
	static DatabaseURL parse(String url) {
		if (url == null) {
			throw new IllegalArgumentException("Database URL must not be null");
		}
		String text = url.strip();
		if (text.isEmpty()) {
			throw new IllegalArgumentException(
					"Database URL must not be empty: expected " + UrlFormat.FORMAT + ", " + Schemes.EXAMPLE);
		}
		if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
			throw new IllegalArgumentException("JDBC URLs are not accepted here: remove the 'jdbc:' prefix and write "
					+ UrlFormat.FORMAT + ", " + Schemes.EXAMPLE + " (toJdbcUrl() gives the JDBC form)");
		}
		int separator = text.indexOf("://");
		if (separator < 0) {
			throw missingSeparator(text);
		}
		if (separator == 0) {
			throw new IllegalArgumentException("Invalid database URL: the scheme before '://' is missing; expected "
					+ UrlFormat.FORMAT + ", " + Schemes.EXAMPLE);
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
		List<String> servers = splitHosts(hostAndPort);
		String[] first = splitServer(servers.get(0));
		List<UrlHost> otherHosts = new ArrayList<>();
		for (String server : servers.subList(1, servers.size())) {
			String[] other = splitServer(server);
			if (first[0].isEmpty() || other[0].isEmpty()) {
				// The text is not shown: with an unencoded '/' or '@' in a password, part of it may be here.
				throw new IllegalArgumentException("Invalid database URL: every host in a comma-separated list of "
						+ "hosts needs a name, as in postgresql://h1:5432,h2:5433/db");
			}
			otherHosts.add(new UrlHost(other[0], parsePort(other[1])));
		}
		String database = path.isEmpty() ? null : PercentCodec.decode(path.substring(1), false, "database name");
		return new DatabaseURL(scheme, username, password, first[0], parsePort(first[1]), otherHosts, database,
				parseQuery(query));
	}

	/** The servers of {@code h1:p1,[::1]:p2}, split at the commas outside brackets. */
	private static List<String> splitHosts(String hosts) {
		List<String> servers = new ArrayList<>();
		int start = 0;
		boolean bracketed = false;
		for (int i = 0; i < hosts.length(); i++) {
			char c = hosts.charAt(i);
			if (c == '[') {
				bracketed = true;
			}
			else if (c == ']') {
				bracketed = false;
			}
			else if (c == ',' && !bracketed) {
				servers.add(hosts.substring(start, i));
				start = i + 1;
			}
		}
		servers.add(hosts.substring(start));
		return servers;
	}

	/** The host, decoded and without brackets, and the port's text of one {@code host[:port]}. */
	private static String[] splitServer(String server) {
		if (server.startsWith("[")) {
			int close = server.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException(
						"Invalid database URL: the host starts with '[' but has no closing ']'");
			}
			String host = PercentCodec.decode(server.substring(1, close), false, "host");
			String after = server.substring(close + 1);
			if (!after.isEmpty() && !after.startsWith(":")) {
				throw new IllegalArgumentException(
						"Invalid database URL: only ':port' may follow a host written in brackets");
			}
			return new String[] { host, after.isEmpty() ? "" : after.substring(1) };
		}
		int colon = server.indexOf(':');
		String host = PercentCodec.decode((colon >= 0) ? server.substring(0, colon) : server, false, "host");
		return new String[] { host, (colon >= 0) ? server.substring(colon + 1) : "" };
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
		String hint = Schemes.missingSeparatorHint(first);
		// Only a known scheme is named: the text may be anything, a password included.
		return new IllegalArgumentException("Invalid database URL: '://' is missing after the scheme; expected "
				+ UrlFormat.FORMAT + ", " + Schemes.EXAMPLE + hint);
	}

	private static int indexOfAny(String text, String characters) {
		for (int i = 0; i < text.length(); i++) {
			if (characters.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return text.length();
	}

}

package dev.databases;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.databases.internal.backend.Schemes;
import dev.databases.internal.backend.UrlSpelling;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.TargetServerType;
import dev.databases.internal.url.UrlHost;
import dev.databases.internal.url.UrlOptionException;
import dev.databases.internal.url.UrlParts;
import dev.databases.internal.url.UrlScheme;
import org.jspecify.annotations.Nullable;

/**
 * What every {@link DatabaseURL} is checked for, however it was made (parsed, or copied with
 * a part changed): a port in range, option names, and its database's own rules.
 */
final class UrlChecks {

	private UrlChecks() {
	}

	/** The parts of a URL, decoded already, with Python's databases' reading of an empty user. */
	static UrlParts parts(String scheme, @Nullable String username, @Nullable String password, @Nullable String host,
			@Nullable Integer port, List<UrlHost> otherHosts, @Nullable String database, Map<String, ?> options) {
		UrlScheme read = Schemes.read(scheme);
		checkPort(port);
		if (emptyToNull(host) == null && !otherHosts.isEmpty()) {
			throw new IllegalArgumentException("Invalid database URL: the first of several hosts has no name; "
					+ "give each a name, as in postgresql://h1:5432,h2:5433/db");
		}
		// Python's databases reads "user:@host" as an empty password but "@host" as no user;
		// an empty user only exists next to a password.
		String user = (username == null && password != null) ? ""
				: ("".equals(username) && password == null) ? null : username;
		return new UrlParts(read, user, password, emptyToNull(host), port, emptyToNull(database),
				Collections.unmodifiableMap(copyOptions(options)), otherHosts);
	}

	static void checkPort(@Nullable Integer port) {
		if (port != null && (port < 1 || port > 65535)) {
			throw new IllegalArgumentException(
					"Invalid port " + port + " in database URL: expected a number from 1 to 65535");
		}
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

	/**
	 * The rules that depend on the database, its backend's, checked however the URL was made;
	 * an option at fault is reported as the API's {@link InvalidOptionException}.
	 */
	static void check(UrlParts parts, UrlSpelling spelling) {
		try {
			parts.checkQueryHoldsNoParts();
			spelling.check(parts);
			SslMode ssl = ConnectOptions.of(parts.options(), Map.of()).ssl();
			if (ssl != null) {
				spelling.checkSsl(parts, ssl);
			}
			TargetServerType target = parts.targetServerType();
			if (target != null) {
				spelling.checkTargetServerType(parts, target);
			}
		}
		catch (UrlOptionException ex) {
			throw new InvalidOptionException(ex.option(), ex.getMessage());
		}
	}

}

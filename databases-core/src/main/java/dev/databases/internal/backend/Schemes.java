package dev.databases.internal.backend;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.databases.internal.url.UrlFormat;
import dev.databases.internal.url.UrlScheme;

/**
 * Reads the scheme of a database URL: which database it names (aliases resolved), its
 * {@code +driver} and its protocol, against the schemes the backends accept.
 */
public final class Schemes {

	/** A URL to show in a message as an example. */
	public static final String EXAMPLE = "e.g. postgresql://localhost/example";

	private static final String SCHEMES = "postgresql, postgres, mysql, mariadb, sqlite, h2:mem, h2:file or r2dbc:<driver>, "
			+ "with an optional +driver (e.g. postgresql+asyncpg)";

	private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.\\-]*(:[a-z0-9+.\\-]+)*");

	private Schemes() {
	}

	/**
	 * Read a scheme.
	 * @param written the scheme as written, in any case
	 * @return the scheme, read
	 * @throws IllegalArgumentException when it is malformed or names no known database
	 */
	public static UrlScheme read(String written) {
		String scheme = written.toLowerCase(Locale.ROOT);
		if (!SCHEME.matcher(scheme).matches()) {
			throw new IllegalArgumentException("Invalid database URL: the scheme must start with a letter and hold "
					+ "only letters, digits, '+', '-', '.' and ':'; expected " + UrlFormat.FORMAT + ", " + EXAMPLE);
		}
		String[] segments = scheme.split(":");
		if (segments[0].equals("r2dbc")) {
			if (segments.length < 2) {
				throw unknown(scheme);
			}
			String protocol = (segments.length > 2) ? scheme.substring(segments[0].length() + segments[1].length() + 2)
					: null;
			boolean wrapper = segments[1].equals("pool") || segments[1].equals("proxy");
			String named = (wrapper && segments.length > 2) ? segments[2] : segments[1];
			Backend backend = Backends.find(named);
			return new UrlScheme(scheme, (backend != null) ? Backends.dialect(backend) : named, null, protocol, true);
		}
		int plus = segments[0].indexOf('+');
		Backend backend = Backends.find((plus >= 0) ? segments[0].substring(0, plus) : segments[0]);
		if (backend == null) {
			throw unknown(scheme);
		}
		if (plus >= 0 && plus == segments[0].length() - 1) {
			throw new IllegalArgumentException("Invalid database URL scheme '" + scheme
					+ "': the driver after '+' is empty; expected e.g. postgresql+asyncpg or just postgresql");
		}
		String protocol = (segments.length > 1) ? scheme.substring(segments[0].length() + 1) : null;
		backend.checkProtocol(scheme, protocol);
		return new UrlScheme(scheme, Backends.dialect(backend), (plus >= 0) ? segments[0].substring(plus + 1) : null,
				protocol, false);
	}

	/**
	 * What to add to the message for a URL without {@code ://}: the forms of the database its
	 * text starts with, when it is one whose URLs look different.
	 * @param first the text before the URL's first {@code :}, in lower case
	 * @return {@code "; write "} and the forms, or {@code ""}
	 */
	public static String missingSeparatorHint(String first) {
		Backend backend = Backends.find(first);
		String forms = (backend != null) ? backend.forms() : null;
		return (forms != null) ? "; write " + forms : "";
	}

	static IllegalArgumentException unknown(String scheme) {
		return new IllegalArgumentException("Unknown database URL scheme '" + scheme + "': expected " + SCHEMES);
	}

}

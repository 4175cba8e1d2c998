package dev.databases.internal.backend;

import dev.databases.internal.url.OptionNames;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.TargetServerType;
import dev.databases.internal.url.UrlOptionException;
import dev.databases.internal.url.UrlParts;
import org.jspecify.annotations.Nullable;

/**
 * How a database's URLs are written and what they may hold: the rules a URL must meet for
 * it, and its R2DBC and JDBC forms. Each {@link Backend} spells its own; a URL for an R2DBC
 * driver no backend serves is spelled the way R2DBC spells any driver's.
 */
public interface UrlSpelling {

	/**
	 * The spelling for a URL's dialect.
	 * @param dialect the dialect, as {@link dev.databases.internal.url.UrlScheme#dialect()} reads it
	 * @return its backend's spelling, or R2DBC's own for any other driver
	 */
	static UrlSpelling of(String dialect) {
		return Backends.spelling(dialect);
	}

	/**
	 * Check the protocol after the dialect in a scheme that is not an R2DBC URL's.
	 * @param scheme the scheme as written, for the message
	 * @param protocol the protocol, or {@code null}
	 * @throws IllegalArgumentException when the database has no such protocol (by default,
	 * any protocol)
	 */
	default void checkProtocol(String scheme, @Nullable String protocol) {
		if (protocol != null) {
			throw Schemes.unknown(scheme);
		}
	}

	/**
	 * The forms a URL of this database takes, for a message about a malformed one.
	 * @return e.g. {@code sqlite:///relative.db, ...}, or {@code null} for the usual form
	 */
	default @Nullable String forms() {
		return null;
	}

	/**
	 * Check what the database allows in a URL, before the library's own options are read.
	 * @param url the URL
	 * @throws IllegalArgumentException when the URL does not fit the database; a
	 * {@link dev.databases.internal.url.UrlOptionException} when an option is at fault
	 */
	default void check(UrlParts url) {
	}

	/**
	 * Check that the driver can be told this TLS mode.
	 * @param url the URL
	 * @param ssl the mode its {@code ssl} option asks for
	 * @throws dev.databases.internal.url.UrlOptionException when it cannot
	 */
	default void checkSsl(UrlParts url, SslMode ssl) {
	}

	/**
	 * Check that the driver can choose a server by its role.
	 * @param url the URL
	 * @param target the role its {@code target_server_type} option asks for
	 * @throws UrlOptionException when it cannot (by default: only a backend whose driver tries
	 * several servers accepts the option)
	 */
	default void checkTargetServerType(UrlParts url, TargetServerType target) {
		throw new UrlOptionException(OptionNames.TARGET_SERVER_TYPE, "Option " + OptionNames.TARGET_SERVER_TYPE
				+ " is not supported for " + url.scheme().text() + " URLs: their driver does not choose a server "
				+ "by its role; leave the option out");
	}

	/**
	 * Whether the URL names a database that lives in memory.
	 * @param url the URL
	 * @return {@code true} for an in-memory database
	 */
	default boolean isInMemory(UrlParts url) {
		return false;
	}

	/**
	 * The URL for {@code io.r2dbc.spi.ConnectionFactories}: credentials included, the
	 * library's own options left out or spelled as the driver's.
	 * @param url the URL, checked
	 * @return the R2DBC URL
	 */
	String toR2dbcUrl(UrlParts url);

	/**
	 * The URL for JDBC tools: without credentials, options spelled as the JDBC driver's.
	 * @param url the URL, checked
	 * @return the JDBC URL
	 * @throws IllegalStateException when the URL has no JDBC form
	 */
	String toJdbcUrl(UrlParts url);

}

package dev.databases.boot;

import java.time.Duration;
import java.util.Locale;

import dev.databases.DatabaseURL;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;

/**
 * Adapts Boot's {@link R2dbcConnectionDetails}, which Testcontainers' {@code @ServiceConnection}
 * and Docker Compose provide, to {@link DatabaseConnectionDetails}: its
 * {@link ConnectionFactoryOptions} become a {@link DatabaseURL}.
 */
final class R2dbcDatabaseConnectionDetails implements DatabaseConnectionDetails, DatabaseFactory.Sourced {

	static final String SOURCE = "R2dbcConnectionDetails";

	private final R2dbcConnectionDetails details;

	R2dbcDatabaseConnectionDetails(R2dbcConnectionDetails details) {
		this.details = details;
	}

	@Override
	public String source() {
		return SOURCE;
	}

	@Override
	public DatabaseURL getUrl() {
		return toUrl(this.details.getConnectionFactoryOptions());
	}

	/**
	 * Turn R2DBC options into a URL. The driver, protocol, host, port, database, user,
	 * password, {@code ssl} and the connect and statement timeouts are read; R2DBC offers no
	 * way to list the other options, so driver-specific ones are not carried over.
	 * @param options the options
	 * @return the URL
	 * @throws DatabaseConfigurationException when the driver is not one this library
	 * supports or a value is not accepted
	 */
	static DatabaseURL toUrl(ConnectionFactoryOptions options) {
		String driver = text(options, ConnectionFactoryOptions.DRIVER);
		String protocol = text(options, ConnectionFactoryOptions.PROTOCOL);
		if (driver != null && (driver.equals("pool") || driver.equals("proxy")) && protocol != null) {
			int colon = protocol.indexOf(':');
			driver = (colon >= 0) ? protocol.substring(0, colon) : protocol;
			protocol = (colon >= 0) ? protocol.substring(colon + 1) : null;
		}
		String scheme = scheme(driver, protocol);
		try {
			// An H2 URL needs a database to parse; it is replaced below.
			DatabaseURL url = DatabaseURL.parse(scheme.startsWith("h2") ? scheme + ":///_" : scheme + "://");
			String database = text(options, ConnectionFactoryOptions.DATABASE);
			if (!scheme.startsWith("h2") && !scheme.equals("sqlite")) {
				url = url.withHostname(text(options, ConnectionFactoryOptions.HOST));
				url = url.withPort(port(options.getValue(ConnectionFactoryOptions.PORT)));
			}
			url = url.withDatabase(database);
			String user = text(options, ConnectionFactoryOptions.USER);
			if (user != null && !scheme.equals("sqlite")) {
				url = url.withUsername(user);
				url = url.withPassword(text(options, ConnectionFactoryOptions.PASSWORD));
			}
			Object ssl = options.getValue(ConnectionFactoryOptions.SSL);
			if (ssl != null) {
				url = url.withOption("ssl", ssl.toString());
			}
			url = withDuration(url, "connect_timeout", options.getValue(ConnectionFactoryOptions.CONNECT_TIMEOUT));
			url = withDuration(url, "statement_timeout",
					options.getValue(ConnectionFactoryOptions.STATEMENT_TIMEOUT));
			return url;
		}
		catch (IllegalArgumentException ex) {
			throw new DatabaseConfigurationException(SOURCE, String.valueOf(ex.getMessage()), Messages.DRIVERS, ex);
		}
	}

	private static String scheme(@Nullable String driver, @Nullable String protocol) {
		String name = (driver != null) ? driver.toLowerCase(Locale.ROOT) : "";
		switch (name) {
			case "postgresql", "postgres" -> {
				return "postgresql";
			}
			case "mysql", "mariadb", "sqlite" -> {
				return name;
			}
			case "h2" -> {
				if ("mem".equals(protocol) || "file".equals(protocol)) {
					return "h2:" + protocol;
				}
				throw new DatabaseConfigurationException(SOURCE,
						"H2 protocol '" + protocol + "' is not supported: only mem and file are", Messages.DRIVERS,
						null);
			}
			default -> throw new DatabaseConfigurationException(SOURCE,
					"R2DBC driver '" + driver + "' is not supported by databases", Messages.DRIVERS, null);
		}
	}

	private static DatabaseURL withDuration(DatabaseURL url, String option, @Nullable Object value) {
		if (value instanceof Duration duration) {
			return url.withOption(option, duration.toMillis() + "ms");
		}
		return (value != null) ? url.withOption(option, value.toString()) : url;
	}

	private static @Nullable Integer port(@Nullable Object value) {
		if (value instanceof Number number) {
			return number.intValue();
		}
		return (value != null) ? Integer.valueOf(value.toString().trim()) : null;
	}

	private static @Nullable String text(ConnectionFactoryOptions options, Option<?> option) {
		Object value = options.getValue(option);
		return (value != null) ? value.toString() : null;
	}

	@Override
	public String toString() {
		return "R2dbcDatabaseConnectionDetails[" + this.details + "]";
	}

}

package dev.databases.boot;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;

import dev.databases.DatabaseURL;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import io.r2dbc.spi.Option;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;

/**
 * Adapts Boot's {@link R2dbcConnectionDetails}, which Testcontainers' {@code @ServiceConnection}
 * and Docker Compose provide, to {@link DatabaseConnectionDetails}: its
 * {@link ConnectionFactoryOptions} become a {@link DatabaseURL}.
 */
final class R2dbcDatabaseConnectionDetails implements DatabaseConnectionDetails, DatabaseFactory.Sourced {

	static final String SOURCE = "R2dbcConnectionDetails";

	private static final Log logger = LogFactory.getLog(R2dbcDatabaseConnectionDetails.class);

	/** The options {@link #toUrl} maps to URL parts or to the library's own options. */
	private static final Set<String> READ = Set.of(ConnectionFactoryOptions.DRIVER.name(),
			ConnectionFactoryOptions.PROTOCOL.name(), ConnectionFactoryOptions.HOST.name(),
			ConnectionFactoryOptions.PORT.name(), ConnectionFactoryOptions.DATABASE.name(),
			ConnectionFactoryOptions.USER.name(), ConnectionFactoryOptions.PASSWORD.name(),
			ConnectionFactoryOptions.SSL.name(), ConnectionFactoryOptions.CONNECT_TIMEOUT.name(),
			ConnectionFactoryOptions.STATEMENT_TIMEOUT.name());

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
	 * password, {@code ssl} and the connect and statement timeouts are read, and then every
	 * other option the R2DBC SPI or the driver declares (the {@link Option} constants of
	 * {@link ConnectionFactoryOptions} and of the driver's {@link ConnectionFactoryProvider},
	 * such as r2dbc-postgresql's {@code applicationName}): R2DBC offers no way to list the
	 * options that are set, so the declared ones are asked for in turn. They keep the
	 * driver's names, and their values their text form; a value that has none (an object
	 * such as a customizer function) cannot travel in a URL and is logged, not dropped
	 * silently.
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
			return withDeclaredOptions(url, options, driver);
		}
		catch (IllegalArgumentException ex) {
			throw new DatabaseConfigurationException(SOURCE, String.valueOf(ex.getMessage()), Messages.DRIVERS, ex);
		}
	}

	private static DatabaseURL withDeclaredOptions(DatabaseURL url, ConnectionFactoryOptions options,
			@Nullable String driver) {
		DatabaseURL result = url;
		for (Option<?> option : declaredOptions(driver)) {
			Object value = options.getValue(option);
			if (value == null || READ.contains(option.name())) {
				continue;
			}
			if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
					|| value instanceof Enum<?> || value instanceof Duration) {
				result = result.withOption(option.name(), value.toString());
			}
			else {
				logger.warn("R2dbcConnectionDetails option '" + option.name() + "' holds a " + value.getClass().getName()
						+ ", which a database URL cannot carry; set it with a DatabaseBuilderCustomizer instead");
			}
		}
		return result;
	}

	/** The SPI's options, then those the driver's provider declares, by reflection on its constants. */
	private static Set<Option<?>> declaredOptions(@Nullable String driver) {
		Set<Option<?>> declared = new LinkedHashSet<>(constants(ConnectionFactoryOptions.class));
		if (driver == null) {
			return declared;
		}
		ClassLoader classLoader = R2dbcDatabaseConnectionDetails.class.getClassLoader();
		for (ConnectionFactoryProvider provider : ServiceLoader.load(ConnectionFactoryProvider.class, classLoader)) {
			if (driver.equalsIgnoreCase(provider.getDriver())) {
				declared.addAll(constants(provider.getClass()));
			}
		}
		return declared;
	}

	private static List<Option<?>> constants(Class<?> type) {
		List<Option<?>> constants = new ArrayList<>();
		for (Field field : type.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && Option.class.isAssignableFrom(field.getType())) {
				try {
					constants.add((Option<?>) field.get(null));
				}
				catch (IllegalAccessException | RuntimeException ex) {
					// A constant that cannot be read is one option fewer, not a failed startup.
					logger.debug("Cannot read " + type.getName() + "." + field.getName(), ex);
				}
			}
		}
		return constants;
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

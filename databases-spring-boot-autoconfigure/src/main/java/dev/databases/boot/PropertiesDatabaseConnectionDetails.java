package dev.databases.boot;

import java.util.Map;

import dev.databases.DatabaseURL;
import dev.databases.InvalidOptionException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Adapts {@code databases.url}, or else {@code spring.r2dbc.url} with
 * {@code spring.r2dbc.username}, {@code password} and {@code properties.*}, to
 * {@link DatabaseConnectionDetails}.
 */
final class PropertiesDatabaseConnectionDetails implements DatabaseConnectionDetails, DatabaseFactory.Sourced {

	static final String URL = "databases.url";

	static final String R2DBC_URL = "spring.r2dbc.url";

	private final DatabaseProperties properties;

	private final Binder binder;

	PropertiesDatabaseConnectionDetails(DatabaseProperties properties, Environment environment) {
		this.properties = properties;
		this.binder = Binder.get(environment);
	}

	@Override
	public String source() {
		return StringUtils.hasText(this.properties.url()) ? URL : R2DBC_URL;
	}

	@Override
	public DatabaseURL getUrl() {
		String url = this.properties.url();
		if (StringUtils.hasText(url)) {
			return parse(url, URL);
		}
		String r2dbcUrl = string("spring.r2dbc.url");
		if (r2dbcUrl == null) {
			throw new DatabaseConfigurationException(URL, "no database URL is configured", Messages.URLS, null);
		}
		DatabaseURL parsed = parse(r2dbcUrl, R2DBC_URL);
		try {
			String username = string("spring.r2dbc.username");
			if (parsed.username() == null && username != null) {
				parsed = parsed.withUsername(username);
			}
			String password = string("spring.r2dbc.password");
			if (parsed.password() == null && password != null) {
				parsed = parsed.withPassword(password);
			}
			Map<String, String> extra = this.binder
				.bind("spring.r2dbc.properties", Bindable.mapOf(String.class, String.class))
				.orElse(Map.of());
			for (Map.Entry<String, String> option : extra.entrySet()) {
				parsed = parsed.withOption(option.getKey(), option.getValue());
			}
			return parsed;
		}
		catch (IllegalArgumentException ex) {
			throw new DatabaseConfigurationException("spring.r2dbc.*", String.valueOf(ex.getMessage()),
					Messages.OPTIONS, ex);
		}
	}

	private @Nullable String string(String name) {
		String value = this.binder.bind(name, String.class).orElse(null);
		return StringUtils.hasText(value) ? value : null;
	}

	static DatabaseURL parse(String url, String source) {
		try {
			return DatabaseURL.parse(url);
		}
		catch (IllegalArgumentException ex) {
			boolean option = ex instanceof InvalidOptionException;
			throw new DatabaseConfigurationException(source, String.valueOf(ex.getMessage()),
					option ? Messages.OPTIONS : Messages.URLS, ex);
		}
	}

	@Override
	public String toString() {
		return "PropertiesDatabaseConnectionDetails[" + source() + "]";
	}

}

package dev.databases.internal.backend;

import java.util.Map;

import dev.databases.internal.url.OptionNames;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlOptionException;
import dev.databases.internal.url.UrlParts;

/**
 * An R2DBC URL of a driver no backend spells for: passed on as it is, with {@code ssl} as
 * R2DBC's own boolean option, and no JDBC form.
 */
final class OtherDriverUrls implements UrlSpelling {

	static final OtherDriverUrls INSTANCE = new OtherDriverUrls();

	private OtherDriverUrls() {
	}

	@Override
	public void checkSsl(UrlParts url, SslMode ssl) {
		if (ssl != SslMode.DISABLE && ssl != SslMode.REQUIRE) {
			throw new UrlOptionException(OptionNames.SSL, "Option ssl=" + ssl + " is not supported for "
					+ url.scheme().text() + " URLs: only true or false can be passed on (as R2DBC's ssl option); "
					+ "use the driver's own option instead");
		}
	}

	@Override
	public String toR2dbcUrl(UrlParts url) {
		Map<String, String> options = url.driverOptions(false);
		SslMode ssl = url.ssl();
		if (ssl != null) {
			options.put(OptionNames.SSL, String.valueOf(ssl != SslMode.DISABLE));
		}
		return url.toDriverUrl(url.scheme().text(), false, url.database(), options);
	}

	@Override
	public String toJdbcUrl(UrlParts url) {
		throw new IllegalStateException("No JDBC URL for " + url.scheme().text()
				+ " URLs: only postgresql, mysql, mariadb, sqlite and h2 have a JDBC form");
	}

}

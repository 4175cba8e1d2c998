package dev.databases.internal.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.databases.internal.url.UrlHost;
import dev.databases.internal.url.UrlParts;
import org.jspecify.annotations.Nullable;

/** URLs as the plain parts the backends read, written without the API's parser. */
final class TestUrls {

	private TestUrls() {
	}

	/**
	 * A URL without credentials or port.
	 * @param options {@code name=value} pairs, in order
	 */
	static UrlParts url(String scheme, @Nullable String host, @Nullable String database, String... options) {
		return url(scheme, null, null, host, null, database, options);
	}

	/**
	 * A URL of every part.
	 * @param options {@code name=value} pairs, in order
	 */
	static UrlParts url(String scheme, @Nullable String username, @Nullable String password, @Nullable String host,
			@Nullable Integer port, @Nullable String database, String... options) {
		Map<String, String> map = new LinkedHashMap<>();
		for (String option : options) {
			int equals = option.indexOf('=');
			map.put(option.substring(0, equals), option.substring(equals + 1));
		}
		return new UrlParts(Schemes.read(scheme), username, password, host, port, database,
				Collections.unmodifiableMap(map));
	}

	/** The URL with these servers after its first. */
	static UrlParts withOtherHosts(UrlParts url, UrlHost... others) {
		return new UrlParts(url.scheme(), url.username(), url.password(), url.host(), url.port(), url.database(),
				url.options(), List.of(others));
	}

	/** The spelling the URL's dialect gets, as {@code DatabaseURL} finds it. */
	static UrlSpelling spelling(UrlParts url) {
		return UrlSpelling.of(url.dialect());
	}

	static String r2dbc(UrlParts url) {
		return spelling(url).toR2dbcUrl(url);
	}

	static String jdbc(UrlParts url) {
		return spelling(url).toJdbcUrl(url);
	}

}

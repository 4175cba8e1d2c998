package dev.databases.internal.backend;

import java.util.Map;

import dev.databases.internal.url.UrlFormat;
import dev.databases.internal.url.UrlParts;
import org.jspecify.annotations.Nullable;

/** The JDBC URL of a database reached through a server, which PostgreSQL and MySQL write alike. */
final class ServerUrls {

	private ServerUrls() {
	}

	/**
	 * The JDBC URL, without user name and password (JDBC tools take them separately), with every
	 * host of a list; a host-less URL gets {@code localhost}.
	 */
	static String jdbcUrl(UrlParts url, @Nullable String socket, Map<String, String> options) {
		String host = url.host();
		if (host == null || host.startsWith("/")) {
			String option = url.hostOption();
			host = (socket == null && option != null) ? option : "localhost";
		}
		return UrlFormat.format("jdbc:" + url.dialect(), null, null, host, url.port(), url.otherHosts(), url.database(),
				options, false);
	}

	static IllegalStateException noJdbcOverSocket(UrlParts url) {
		return new IllegalStateException("No JDBC URL for " + url.dialect() + " over a Unix socket: its JDBC "
				+ "driver needs an extra socket factory; connect the JDBC tool through TCP");
	}

}

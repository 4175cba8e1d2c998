package dev.databases.internal.backend;

import dev.databases.internal.url.OptionNames;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlOptionException;
import dev.databases.internal.url.UrlParts;

/** The URL rules of a database embedded in this process, which has no server to reach. */
final class Embedded {

	private Embedded() {
	}

	static void checkNoHostOption(UrlParts url) {
		if (url.options().containsKey(UrlParts.HOST_OPTION)) {
			throw new UrlOptionException(UrlParts.HOST_OPTION,
					"Option host is not supported for " + url.dialect() + ": it has no server");
		}
	}

	static void checkSsl(UrlParts url, SslMode ssl) {
		if (ssl != SslMode.DISABLE) {
			throw new UrlOptionException(OptionNames.SSL, "Option ssl=" + ssl + " is not supported for "
					+ url.dialect() + ": the database is in this process, with no network connection; "
					+ "leave ssl out or set it to false");
		}
	}

	/** Names a host the URL should not have, for a message: it cannot be a secret. */
	static String foundHost(UrlParts url) {
		return (url.host() != null) ? " (found host '" + url.host() + "')" : "";
	}

}

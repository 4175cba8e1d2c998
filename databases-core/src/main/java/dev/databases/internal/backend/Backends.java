package dev.databases.internal.backend;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** The backends, found by the dialect a URL names. */
final class Backends {

	private static final List<Backend> ALL = List.of(new PostgresBackend(), new MySqlBackend(false),
			new MySqlBackend(true), new SqliteBackend(), new H2Backend());

	private Backends() {
	}

	static Backend of(String dialect) {
		Backend backend = find(dialect);
		if (backend == null) {
			throw new IllegalArgumentException("Unsupported database '" + dialect + "': expected " + Backend.SUPPORTED);
		}
		return backend;
	}

	static @Nullable Backend find(String dialect) {
		String name = dialect.toLowerCase(Locale.ROOT);
		for (Backend backend : ALL) {
			if (((Named) backend).dialects().contains(name)) {
				return backend;
			}
		}
		return null;
	}

	static UrlSpelling spelling(String dialect) {
		Backend backend = find(dialect);
		return (backend != null) ? backend : OtherDriverUrls.INSTANCE;
	}

	/** The name a backend's URLs give as their dialect: the first it answers to. */
	static String dialect(Backend backend) {
		return ((Named) backend).dialects().get(0);
	}

	/** The dialect names a backend answers to, its own name first, then its aliases. */
	interface Named {

		List<String> dialects();

	}

}

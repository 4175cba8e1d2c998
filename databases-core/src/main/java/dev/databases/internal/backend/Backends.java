package dev.databases.internal.backend;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** The backends, found by the dialect a URL names. */
final class Backends {

	private static final List<Named> ALL = List.of(new PostgresBackend(), new MySqlBackend(false),
			new MySqlBackend(true), new SqliteBackend(), new H2Backend());

	private Backends() {
	}

	static Backend of(String dialect, String source) {
		Backend backend = find(dialect);
		if (backend == null) {
			throw new IllegalArgumentException(
					"Unsupported database '" + dialect + "' in " + source + ": expected " + Backend.SUPPORTED);
		}
		return backend;
	}

	static @Nullable Backend find(String dialect) {
		String name = dialect.toLowerCase(Locale.ROOT);
		for (Named backend : ALL) {
			if (backend.dialects().contains(name)) {
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

	/** A backend with the dialect names it answers to, its own name first, then its aliases. */
	interface Named extends Backend {

		List<String> dialects();

	}

}

package dev.databases.internal.backend;

import java.util.List;
import java.util.Locale;

/** The backends, found by the dialect a URL names. */
final class Backends {

	private static final List<Named> ALL = List.of(new PostgresBackend(), new MySqlBackend(), new H2Backend(),
			new SqliteBackend());

	private Backends() {
	}

	static Backend of(String dialect, String source) {
		String name = dialect.toLowerCase(Locale.ROOT);
		for (Named backend : ALL) {
			if (backend.dialects().contains(name)) {
				return backend;
			}
		}
		throw new IllegalArgumentException("Unsupported database '" + dialect + "' in " + source
				+ ": expected postgresql, mysql, mariadb, sqlite or h2");
	}

	/** A backend with the dialect names it answers to. */
	interface Named extends Backend {

		List<String> dialects();

	}

}

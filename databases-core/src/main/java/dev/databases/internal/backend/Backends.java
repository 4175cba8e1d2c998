package dev.databases.internal.backend;

import java.util.List;
import java.util.Locale;

/** The backends, found by the dialect a URL names. */
final class Backends {

	private static final List<Backend> ALL = List.of(new PostgresBackend(), new MySqlBackend(), new H2Backend(),
			new SqliteBackend());

	private Backends() {
	}

	static Backend of(String dialect) {
		String name = dialect.toLowerCase(Locale.ROOT);
		for (Backend backend : ALL) {
			if (((Named) backend).dialects().contains(name)) {
				return backend;
			}
		}
		throw new IllegalArgumentException("Unsupported database '" + dialect
				+ "': expected postgresql, mysql, mariadb, sqlite or h2");
	}

	/** The dialect names a backend answers to. */
	interface Named {

		List<String> dialects();

	}

}

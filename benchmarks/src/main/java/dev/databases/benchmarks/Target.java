package dev.databases.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.databases.DatabaseURL;
import org.jspecify.annotations.Nullable;

/**
 * Where a benchmark runs: one backend, with the URL each system uses to reach the same
 * database. Server URLs come from {@code DATABASES_TEST_URLS} as in the tests, with the CI
 * servers as defaults; each system gets a URL written by hand in its own form, so that
 * nothing of this library sits under the systems it is compared with.
 */
final class Target {

	static final String TABLE = "bench_notes";

	static final String DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/test";

	static final String DEFAULT_MYSQL = "mysql://root@127.0.0.1:3306/test";

	private final Kind kind;

	private final String databasesUrl;

	private final String r2dbcUrl;

	private final String jdbcUrl;

	private final @Nullable String user;

	private final @Nullable String password;

	private Target(Kind kind, String databasesUrl, String r2dbcUrl, String jdbcUrl, @Nullable String user,
			@Nullable String password) {
		this.kind = kind;
		this.databasesUrl = databasesUrl;
		this.r2dbcUrl = r2dbcUrl;
		this.jdbcUrl = jdbcUrl;
		this.user = user;
		this.password = password;
	}

	/** The target for a {@code @Param} value: postgresql, mariadb, h2 or sqlite. */
	static Target of(String backend) {
		return switch (backend.toLowerCase(Locale.ROOT)) {
			case "postgresql" -> server(Kind.POSTGRESQL, configured(Kind.POSTGRESQL, DEFAULT_POSTGRESQL));
			case "mariadb", "mysql" -> server(Kind.MARIADB, configured(Kind.MARIADB, DEFAULT_MYSQL));
			case "h2" -> new Target(Kind.H2, "h2:mem:///bench", "r2dbc:h2:mem:///bench",
					"jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", null, null);
			case "sqlite" -> sqlite();
			default -> throw new IllegalArgumentException(
					"Unknown backend '" + backend + "': expected postgresql, mariadb, h2 or sqlite");
		};
	}

	/** The first URL of {@code DATABASES_TEST_URLS} for a server of {@code kind}, else {@code fallback}. */
	private static String configured(Kind kind, String fallback) {
		String url = firstOf("DATABASES_TEST_URLS", kind);
		return (url != null) ? url : fallback;
	}

	/**
	 * The first URL of a comma-separated list in the environment variable {@code variable}
	 * whose scheme is that of a server of {@code kind} (PostgreSQL, or MySQL/MariaDB).
	 */
	static @Nullable String firstOf(String variable, Kind kind) {
		String urls = System.getenv(variable);
		if (urls != null) {
			for (String url : urls.split(",")) {
				String trimmed = url.trim();
				String scheme = trimmed.toLowerCase(Locale.ROOT);
				boolean matches = (kind == Kind.POSTGRESQL) ? scheme.startsWith("postgres")
						: (scheme.startsWith("mysql") || scheme.startsWith("mariadb"));
				if (matches) {
					return trimmed;
				}
			}
		}
		return null;
	}

	private static Target server(Kind kind, String url) {
		DatabaseURL parsed = DatabaseURL.parse(url);
		String host = (parsed.hostname() != null) ? parsed.hostname() : "localhost";
		Integer port = parsed.port();
		String database = parsed.database();
		String user = parsed.username();
		String password = parsed.password();
		String hostPort = host + ((port != null) ? ":" + port : "");
		String userInfo = (user != null) ? user + ((password != null) ? ":" + password : "") + "@" : "";
		String r2dbc = (kind == Kind.POSTGRESQL) ? "r2dbc:postgresql://" : "r2dbc:mysql://";
		String jdbc = (kind == Kind.POSTGRESQL) ? "jdbc:postgresql://" : "jdbc:mariadb://";
		return new Target(kind, url, r2dbc + userInfo + hostPort + "/" + database, jdbc + hostPort + "/" + database,
				user, password);
	}

	private static Target sqlite() {
		Path directory = Path.of(System.getProperty("java.io.tmpdir"), "databases-bench");
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String file = directory.resolve("bench.db").toAbsolutePath().toString();
		return new Target(Kind.SQLITE, "sqlite:///" + file, "r2dbc:sqlite:///" + file, "jdbc:sqlite:" + file, null,
				null);
	}

	Kind kind() {
		return this.kind;
	}

	String databasesUrl() {
		return this.databasesUrl;
	}

	String r2dbcUrl() {
		return this.r2dbcUrl;
	}

	String jdbcUrl() {
		return this.jdbcUrl;
	}

	@Nullable String user() {
		return this.user;
	}

	@Nullable String password() {
		return this.password;
	}

	/** The bind marker for the raw driver, {@code index} from 0. */
	String marker(int index) {
		return switch (this.kind) {
			case POSTGRESQL, H2 -> "$" + (index + 1);
			case MARIADB, SQLITE -> "?";
		};
	}

	String createTable() {
		String id = switch (this.kind) {
			case POSTGRESQL -> "id SERIAL PRIMARY KEY";
			case MARIADB -> "id INT AUTO_INCREMENT PRIMARY KEY";
			case H2 -> "id INT AUTO_INCREMENT PRIMARY KEY";
			case SQLITE -> "id INTEGER PRIMARY KEY AUTOINCREMENT";
		};
		return "CREATE TABLE " + TABLE + " (" + id + ", text VARCHAR(100), completed BOOLEAN)";
	}

	@Override
	public String toString() {
		return this.kind.name().toLowerCase(Locale.ROOT);
	}

	/** The backends. */
	enum Kind {

		POSTGRESQL, MARIADB, H2, SQLITE

	}

}

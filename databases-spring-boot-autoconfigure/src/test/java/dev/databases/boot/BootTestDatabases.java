package dev.databases.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.databases.DatabaseURL;

/**
 * The server URLs the tests of this module may use, from {@code DATABASES_TEST_URLS}
 * (comma separated), and whether {@code DATABASES_TEST_REQUIRE=all} makes a missing one a
 * failure rather than a skip.
 */
public final class BootTestDatabases {

	private BootTestDatabases() {
	}

	/**
	 * The configured URLs.
	 * @return the URLs, in order
	 */
	public static List<String> configured() {
		List<String> urls = new ArrayList<>();
		String configured = System.getenv("DATABASES_TEST_URLS");
		if (configured != null) {
			for (String url : configured.split(",")) {
				if (!url.isBlank()) {
					urls.add(url.trim());
				}
			}
		}
		return urls;
	}

	/**
	 * The first configured URL of a kind.
	 * @param kind {@code postgresql} or {@code mysql} (MySQL or MariaDB)
	 * @return the URL, if configured
	 */
	public static Optional<String> url(String kind) {
		return configured().stream().filter((url) -> matches(url, kind)).findFirst();
	}

	private static boolean matches(String url, String kind) {
		String dialect = DatabaseURL.parse(url).dialect();
		return kind.equals("mysql") ? dialect.equals("mysql") || dialect.equals("mariadb") : dialect.equals(kind);
	}

	/**
	 * Whether every server must be there.
	 * @return whether {@code DATABASES_TEST_REQUIRE=all}
	 */
	public static boolean requireAll() {
		return "all".equalsIgnoreCase(System.getenv("DATABASES_TEST_REQUIRE"));
	}

	/**
	 * Whether tests of a kind should run: its URL is configured, or every server is
	 * required (and then a missing URL fails the test).
	 * @param kind {@code postgresql} or {@code mysql}
	 * @return whether to run
	 */
	public static boolean shouldRun(String kind) {
		return url(kind).isPresent() || requireAll();
	}

	/**
	 * For {@code @EnabledIf}: whether the PostgreSQL tests run.
	 * @return whether to run
	 */
	public static boolean shouldRunPostgresql() {
		return shouldRun("postgresql");
	}

	/**
	 * For {@code @EnabledIf}: whether the MySQL/MariaDB tests run.
	 * @return whether to run
	 */
	public static boolean shouldRunMysql() {
		return shouldRun("mysql");
	}

	/**
	 * The URL of a kind, failing when it is not configured.
	 * @param kind {@code postgresql} or {@code mysql}
	 * @return the URL
	 */
	public static String require(String kind) {
		return url(kind).orElseThrow(() -> new IllegalStateException("DATABASES_TEST_REQUIRE=all but no " + kind
				+ " URL in DATABASES_TEST_URLS (" + System.getenv("DATABASES_TEST_URLS") + ")"));
	}

}

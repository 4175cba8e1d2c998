package dev.databases.sample;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.databases.DatabaseURL;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * What the build asks of this machine, read from the environment as the rest of the
 * project reads it: {@code DATABASES_TEST_URLS} lists the servers to test on,
 * {@code DATABASES_TEST_REQUIRE=all} (and, for the browser, {@code CI=true}) turns
 * something missing into a failure instead of a visible skip.
 */
final class TestEnvironment {

	private TestEnvironment() {
	}

	/** The first URL in {@code DATABASES_TEST_URLS} whose dialect starts with one of the prefixes. */
	static Optional<String> url(List<String> dialects) {
		String urls = System.getenv("DATABASES_TEST_URLS");
		if (urls == null) {
			return Optional.empty();
		}
		return Arrays.stream(urls.split(","))
			.map(String::strip)
			.filter((url) -> !url.isEmpty())
			.filter((url) -> dialects.stream()
				.anyMatch(DatabaseURL.parse(url).dialect().toLowerCase(Locale.ROOT)::startsWith))
			.findFirst();
	}

	static boolean requireAll() {
		return "all".equalsIgnoreCase(System.getenv("DATABASES_TEST_REQUIRE"));
	}

	static boolean ci() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

	/**
	 * Report something a test class needs and does not have: a failure when the build
	 * requires it, else the reason each test of the class is to be skipped with.
	 * Surefire counts a class whose {@code @BeforeAll} aborts as no tests at all, so the
	 * skip is left to {@link #skipIf(String)} in every test.
	 * @param required whether the build demands it
	 * @param reason what is missing and how to get it
	 * @return the reason, when not required
	 */
	static String unavailable(boolean required, String reason) {
		if (required) {
			fail(reason + " (a failure, not a skip, because " + (requireAll() ? "DATABASES_TEST_REQUIRE=all" : "CI=true")
					+ ")");
		}
		return reason;
	}

	/**
	 * Skip the current test, visibly, when its class found something missing.
	 * @param reason the reason from {@link #unavailable(boolean, String)}, or {@code null}
	 */
	static void skipIf(@Nullable String reason) {
		Assumptions.assumeTrue(reason == null, reason);
	}

}

package dev.databases;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MySQL and MariaDB a connection whose statements were all answered goes back to the pool
 * without a round trip: r2dbc-mysql's own cleanup on release is a COM_PING, which doubled
 * the round trips of a one-query lease. The server counts those pings per session.
 */
class MySqlReleaseTests {

	private static final int QUERIES = 200;

	/** The MySQL and MariaDB targets; with none configured, one that is skipped saying so. */
	static Stream<String> mysqlUrls() {
		List<String> urls = TestDatabases.targets()
			.stream()
			.filter((url) -> url.startsWith(TestDatabases.SKIPPED + "mysql") || (!url.startsWith(TestDatabases.SKIPPED)
					&& TestDatabases.isMySql(url)))
			.toList();
		return urls.isEmpty() ? Stream.of(TestDatabases.SKIPPED + "mysql: no MySQL or MariaDB URL in DATABASES_TEST_URLS")
				: urls.stream();
	}

	@ParameterizedTest
	@MethodSource("mysqlUrls")
	void answeredLeasesShouldGoBackWithoutAPing(String url) {
		TestDatabases.assumeAvailable(url);
		// One connection, so every lease and the counter read are the same session.
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 1));
		try {
			long before = pings(db);
			for (int i = 0; i < QUERIES; i++) {
				assertThat(db.fetchVal("SELECT " + i, Number.class).block(NO_HANG).intValue()).isEqualTo(i);
			}
			long sent = pings(db) - before;
			// The driver's cleanup would have sent one per lease: QUERIES + 1.
			assertThat(sent).as("COM_PING sent for %d leases", QUERIES + 1).isLessThanOrEqualTo(2);
		}
		finally {
			ReliabilitySupport.disconnect(db);
		}
	}

	private static long pings(Database db) {
		return db.fetchOne("SHOW SESSION STATUS LIKE 'Com_admin_commands'")
			.map((row) -> Long.parseLong(String.valueOf(row.get(1))))
			.block(NO_HANG);
	}

}

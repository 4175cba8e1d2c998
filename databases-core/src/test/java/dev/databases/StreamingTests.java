package dev.databases;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link Database#iterate} streams: 1,000,000 generated rows pass through a
 * JVM limited to {@code -Xmx64m} (this class runs in its own surefire execution), which
 * a materialised result of that size would not fit.
 */
class StreamingTests {

	private static final long ROWS = 1_000_000;

	private static final String DIGITS = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 "
			+ "UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 "
			+ "UNION ALL SELECT 9)";

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void iterateStreamsAMillionRowsInSmallHeap(String url) {
		TestDatabases.assumeAvailable(url);
		assertThat(Runtime.getRuntime().maxMemory()).as("heap limit of this execution")
			.isLessThanOrEqualTo(80L * 1024 * 1024);
		String sql = TestDatabases.isPostgres(url)
				? "SELECT n, 'row number ' || n AS text, n % 2 = 0 AS even FROM generate_series(1, 1000000) AS n"
				: "SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d AS n, "
						+ "CONCAT('row number ', a.d, b.d, c.d, e.d, f.d, g.d) AS text FROM " + DIGITS + " a CROSS JOIN "
						+ DIGITS + " b CROSS JOIN " + DIGITS + " c CROSS JOIN " + DIGITS + " e CROSS JOIN " + DIGITS
						+ " f CROSS JOIN " + DIGITS + " g";
		Database db = new Database(url);
		db.connect().block(Duration.ofSeconds(30));
		try {
			long[] textLength = new long[1];
			Long count = db.iterate(sql)
				.doOnNext((row) -> textLength[0] += row.get("text", String.class).length())
				.count()
				.block(Duration.ofMinutes(3));
			assertThat(count).isEqualTo(ROWS);
			assertThat(textLength[0]).isGreaterThan(ROWS * 10);
		}
		finally {
			db.disconnect().block(Duration.ofSeconds(30));
		}
	}

}

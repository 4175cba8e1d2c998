package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through pgbouncer in transaction pooling mode ({@code servers/pgbouncer}), where each
 * transaction, and each statement outside one, may run on another server connection.
 */
class PgBouncerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private static String pgbouncer() {
		String url = System.getenv("DATABASES_TEST_PGBOUNCER_URL");
		if (url == null || url.isBlank()) {
			assertThat(TestDatabases.requireAll())
				.as("DATABASES_TEST_PGBOUNCER_URL is required with DATABASES_TEST_REQUIRE=all (servers/env)")
				.isFalse();
			Assumptions.abort("no pgbouncer (run servers/start-all and source servers/env)");
		}
		return url;
	}

	@org.junit.jupiter.api.Test
	void tenThousandQueriesWithoutTheStatementCacheShouldAllBeAnswered() {
		Database db = new Database(pgbouncer() + "?max_size=8&statement_cache_size=0");
		db.connect().block(TIMEOUT);
		try {
			long sum = Flux.range(0, 10_000)
				.flatMap((i) -> db.fetchVal("SELECT CAST(:i AS INTEGER)", Map.of("i", i), Integer.class), 8)
				.reduce(0L, (total, value) -> total + value)
				.block(TIMEOUT);
			assertThat(sum).isEqualTo(9_999L * 10_000 / 2);
			// Statements inside a transaction share its server connection: session state holds there.
			Long inside = db.transaction((tx) -> db.execute("CREATE TEMPORARY TABLE bouncer_tmp (n INTEGER)")
				.then(db.executeMany("INSERT INTO bouncer_tmp (n) VALUES (:n)", List.of(Map.of("n", 1), Map.of("n", 2))))
				.then(db.fetchVal("SELECT SUM(n) FROM bouncer_tmp", Long.class))
				.flatMap((total) -> db.execute("DROP TABLE bouncer_tmp").thenReturn(total)))
				.block(TIMEOUT);
			assertThat(inside).isEqualTo(3L);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

	/**
	 * With the cache on, named statements prepared on one server connection are looked for on
	 * another: pgbouncer 1.18 (Debian 12's) cannot track them. The queries that fail say what
	 * to set; the others are answered right, and none is answered wrong.
	 */
	@org.junit.jupiter.api.Test
	void withTheStatementCacheTheFailuresShouldSayWhatToSet() {
		Database db = new Database(pgbouncer() + "?max_size=8&statement_cache_size=256");
		db.connect().block(TIMEOUT);
		try {
			List<Object> outcomes = Flux.range(0, 10_000)
				.flatMap((i) -> db.fetchVal("SELECT CAST(:i AS INTEGER)", Map.of("i", i), Integer.class)
					.map((value) -> (Object) (value.intValue() == i))
					.onErrorResume(DatabaseException.class, Mono::just), 8)
				.collectList()
				.block(TIMEOUT);
			assertThat(outcomes).hasSize(10_000).doesNotContain(Boolean.FALSE);
			List<DatabaseException> failures = outcomes.stream()
				.filter(DatabaseException.class::isInstance)
				.map(DatabaseException.class::cast)
				.toList();
			assertThat(failures).allSatisfy((failure) -> assertThat(failure)
				.hasMessageContaining("set statement_cache_size=0")
				.satisfies((error) -> assertThat(error.sqlState()).isIn("42P05", "26000")));
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

}

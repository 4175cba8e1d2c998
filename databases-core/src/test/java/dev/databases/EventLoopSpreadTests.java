package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a pool with {@code min_size == max_size} spreads its connections over the
 * driver's event loops (r2dbc-pool issue 190: when they all share one loop, concurrent
 * throughput collapses to one core). A row is emitted on its connection's event-loop
 * thread, so the threads that deliver rows name the loops in use.
 */
class EventLoopSpreadTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void connectionsOfAFullPoolUseSeveralEventLoops(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = Database.builder(url).option("min_size", 16).option("max_size", 16).build();
		db.connect().block(TIMEOUT);
		try {
			String sleep = TestDatabases.isPostgres(url) ? "SELECT pg_sleep(0.2)" : "SELECT SLEEP(0.2)";
			List<String> threads = Flux.range(0, 16)
				.flatMap((i) -> db.connection((connection) -> Flux.from(connection.raw().createStatement(sleep).execute())
					.flatMap((result) -> result.map((row, metadata) -> Thread.currentThread().getName()))), 16)
				.collectList()
				.block(TIMEOUT);
			Set<String> loops = Set.copyOf(threads);
			int expected = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
			assertThat(threads).hasSize(16);
			assertThat(loops).as("event-loop threads used by 16 pooled connections: %s", loops)
				.hasSizeGreaterThanOrEqualTo(expected);
			assertThat(Mono.fromSupplier(() -> db.poolMetrics().orElseThrow().allocatedSize()).block())
				.isEqualTo(16);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

}

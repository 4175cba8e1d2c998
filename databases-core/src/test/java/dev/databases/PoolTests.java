package dev.databases;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ways a {@link Pool} lends, on their own, without the {@link Database} facade:
 * {@link PooledLending} gives each unit of work a connection of its own and takes it back;
 * {@link SharedLending} runs every unit, Spring's included, on its one connection inside one
 * transaction that {@link Pool#stop()} rolls back.
 */
class PoolTests {

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void pooledLendingShouldGiveUnitsThatRunAtOnceAConnectionEachAndTakeThemBack(String url) {
		TestDatabases.assumeAvailable(url);
		Pool pool = Pool.of(runtime(url), false);
		pool.start().block(NO_HANG);
		try {
			// Each unit waits until both hold a connection: lent one after the other, they never would.
			AtomicInteger arrived = new AtomicInteger();
			Sinks.Empty<Void> both = Sinks.empty();
			Function<Connection, Mono<Connection>> hold = (connection) -> {
				if (arrived.incrementAndGet() == 2) {
					both.tryEmitEmpty();
				}
				return both.asMono().thenReturn(connection);
			};
			List<Connection> held = Flux.merge(pool.run(hold), pool.run(hold)).collectList().block(NO_HANG);
			assertThat(held).hasSize(2).doesNotHaveDuplicates();
			assertThat(pool.metrics().get().acquiredSize()).isZero();
		}
		finally {
			pool.stop().block(NO_HANG);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#sharedUrls")
	void sharedLendingShouldRunEveryUnitOnOneConnectionAndRollItAllBackAtStop(String url) {
		TestDatabases.assumeAvailable(url);
		DatabaseRuntime runtime = runtime(url);
		// A pooled pool beside it keeps an in-memory database alive and reads what was committed.
		Pool pooled = Pool.of(runtime, false);
		pooled.start().block(NO_HANG);
		try {
			pooled.run((connection) -> connection.executeNow(Query.of("DROP TABLE IF EXISTS pool_shared"))
				.then(connection.executeNow(Query.of("CREATE TABLE pool_shared (n INTEGER)")))).block(NO_HANG);
			Pool shared = Pool.of(runtime, true);
			shared.start().block(NO_HANG);
			Connection first;
			try {
				first = shared.run((connection) -> connection.executeNow(Query.of("INSERT INTO pool_shared VALUES (1)"))
					.thenReturn(connection)).block(NO_HANG);
				Connection second = shared.withScopeOne((scope) -> Mono.just(scope.connection())).block(NO_HANG);
				assertThat(second).isSameAs(first);
				// Spring's connection is the same one, and its transaction a savepoint of the outer one.
				io.r2dbc.spi.Connection lent = shared.lend().block(NO_HANG);
				assertThat(lent).isInstanceOf(SharedConnection.class);
				Mono.from(lent.close()).block(NO_HANG);
				assertThat(count(shared)).isEqualTo(1);
			}
			finally {
				shared.stop().block(NO_HANG);
			}
			assertThat(count(pooled)).isZero();
		}
		finally {
			pooled.run((connection) -> connection.executeNow(Query.of("DROP TABLE IF EXISTS pool_shared")))
				.onErrorResume((error) -> Mono.empty())
				.block(NO_HANG);
			pooled.stop().block(NO_HANG);
		}
	}

	private static long count(Pool pool) {
		return pool.run((connection) -> connection.fetchVal("SELECT COUNT(*) FROM pool_shared", Map.of(), Number.class))
			.block(NO_HANG)
			.longValue();
	}

	private static DatabaseRuntime runtime(String url) {
		DatabaseURL parsed = DatabaseURL.parse(url);
		return new DatabaseRuntime(parsed, ConnectOptions.of(parsed.options(), Map.of()), null, 1, null);
	}

}

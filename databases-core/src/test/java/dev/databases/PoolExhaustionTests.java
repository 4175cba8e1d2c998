package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.pool.PoolMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool of two with three holders: the third waits at most {@code acquire_timeout}, gets
 * an {@link AcquireTimeoutException} that says how to fix it, and nothing leaks, whether
 * the waiter times out, is cancelled, or many callers compete.
 */
class PoolExhaustionTests {

	private static final Map<String, Object> TWO = Map.of("min_size", 1, "max_size", 2, "acquire_timeout", "500ms");

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void thirdHolderOfAPoolOfTwoShouldTimeOutNamingSizeAndTimeoutAndLeakNothing(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = ReliabilitySupport.connect(url, TWO);
		try {
			Sinks.Empty<Void> release = Sinks.empty();
			Flux<Integer> holders = holdTwo(db, release);
			StepVerifier.create(holders).expectNextCount(2).then(() -> {
				long started = System.nanoTime();
				StepVerifier.create(db.connection((connection) -> connection.fetchVal("SELECT 1", Map.of(), Number.class)))
					.expectErrorSatisfies((error) -> {
						assertThat(error).isInstanceOf(AcquireTimeoutException.class);
						assertThat(error.getMessage()).contains("max_size=2").contains("500 ms");
						assertThat(((AcquireTimeoutException) error).maxSize()).isEqualTo(2);
						assertThat(((AcquireTimeoutException) error).timeout()).isEqualTo(Duration.ofMillis(500));
					})
					.verify(NO_HANG);
				Duration waited = Duration.ofNanos(System.nanoTime() - started);
				assertThat(waited).isBetween(Duration.ofMillis(450), Duration.ofMillis(2500));
				// A plain query is refused the same way.
				StepVerifier.create(db.fetchOne("SELECT 1"))
					.expectError(AcquireTimeoutException.class)
					.verify(NO_HANG);
				assertThat(metrics(db).acquiredSize()).isEqualTo(2);
				release.tryEmitEmpty();
			}).expectComplete().verify(NO_HANG);
			assertThat(metrics(db).acquiredSize()).isZero();
			assertThat(metrics(db).pendingAcquireSize()).isZero();
			StepVerifier.create(db.fetchVal("SELECT 1", Map.of(), Number.class))
				.assertNext((one) -> assertThat(one.intValue()).isEqualTo(1))
				.expectComplete()
				.verify(NO_HANG);
			assertThat(metrics(db).acquiredSize()).isZero();
		}
		finally {
			ReliabilitySupport.disconnect(db);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void waiterCancelledBeforeAConnectionFreesShouldNotKeepIt(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = ReliabilitySupport.connect(url, Map.of("min_size", 1, "max_size", 2, "acquire_timeout", "5s"));
		try {
			Sinks.Empty<Void> release = Sinks.empty();
			StepVerifier.create(holdTwo(db, release)).expectNextCount(2).then(() -> {
				// Several waiters give up while the pool is full.
				for (int i = 0; i < 5; i++) {
					Disposable waiter = db.fetchOne("SELECT 1").subscribe();
					ReliabilitySupport.await(() -> Mono.just(metrics(db).pendingAcquireSize() > 0), "a waiter")
						.block(NO_HANG);
					waiter.dispose();
				}
				release.tryEmitEmpty();
			}).expectComplete().verify(NO_HANG);
			ReliabilitySupport.awaitAllReleased(db).block(NO_HANG);
			assertThat(metrics(db).pendingAcquireSize()).isZero();
			// Both connections can be held again at once: no permit was lost to a cancelled waiter.
			Sinks.Empty<Void> again = Sinks.empty();
			StepVerifier.create(holdTwo(db, again))
				.expectNextCount(2)
				.then(again::tryEmitEmpty)
				.expectComplete()
				.verify(Duration.ofSeconds(3));
			assertThat(metrics(db).acquiredSize()).isZero();
		}
		finally {
			ReliabilitySupport.disconnect(db);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void manyCallersCompetingForAPoolOfTwoShouldEachSucceedOrTimeOutAndLeakNothing(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = ReliabilitySupport.connect(url, TWO);
		try {
			AtomicInteger succeeded = new AtomicInteger();
			AtomicInteger timedOut = new AtomicInteger();
			// 40 callers each holding a connection for 100 ms: about ten fit in 500 ms, the rest must time out.
			Flux<Object> callers = Flux.range(0, 40)
				.flatMap((i) -> db.connection((connection) -> connection.fetchVal("SELECT 1", Map.of(), Number.class)
					.delayElement(Duration.ofMillis(100)))
					.then()
					.doOnSuccess((done) -> succeeded.incrementAndGet())
					.onErrorResume(AcquireTimeoutException.class, (error) -> {
						timedOut.incrementAndGet();
						return Mono.empty();
					}), 40);
			StepVerifier.create(callers).expectComplete().verify(NO_HANG);
			assertThat(succeeded.get() + timedOut.get()).isEqualTo(40);
			assertThat(succeeded.get()).isGreaterThanOrEqualTo(2);
			assertThat(timedOut.get()).isGreaterThan(0);
			assertThat(metrics(db).acquiredSize()).isZero();
			assertThat(metrics(db).pendingAcquireSize()).isZero();
			assertThat(metrics(db).allocatedSize()).isLessThanOrEqualTo(2);
		}
		finally {
			ReliabilitySupport.disconnect(db);
		}
	}

	/** Two holders that each take a connection, emit once they have it, and keep it until {@code release}. */
	private static Flux<Integer> holdTwo(Database db, Sinks.Empty<Void> release) {
		return Flux.merge(List.of(hold(db, release), hold(db, release)));
	}

	private static Flux<Integer> hold(Database db, Sinks.Empty<Void> release) {
		return db.connection((connection) -> connection.fetchVal("SELECT 1", Map.of(), Number.class)
			.map(Number::intValue)
			.flux()
			.concatWith(release.asMono().then(Mono.empty())));
	}

	private static PoolMetrics metrics(Database db) {
		return db.poolMetrics().orElseThrow();
	}

}

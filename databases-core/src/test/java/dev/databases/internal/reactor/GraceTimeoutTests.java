package dev.databases.internal.reactor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bound on a release: the fallback runs only once the grace has passed without an end,
 * and never after the source ended or the subscriber left.
 */
class GraceTimeoutTests {

	private static final Duration GRACE = Duration.ofSeconds(1);

	@Test
	void sourceThatEndsAtOnceCompletesWithoutTheFallback() {
		PublisherProbe<Void> fallback = PublisherProbe.empty();
		StepVerifier.create(GraceTimeout.of(Mono.empty(), GRACE, fallback.mono())).verifyComplete();
		fallback.assertWasNotSubscribed();
	}

	@Test
	void sourceErrorIsPassedOnWithoutTheFallback() {
		PublisherProbe<Void> fallback = PublisherProbe.empty();
		StepVerifier.create(GraceTimeout.of(Mono.error(new IllegalStateException("cleanup failed")), GRACE,
				fallback.mono()))
			.verifyErrorMessage("cleanup failed");
		fallback.assertWasNotSubscribed();
	}

	@Test
	void sourceThatEndsWithinTheGraceCompletesWithoutTheFallback() {
		PublisherProbe<Void> fallback = PublisherProbe.empty();
		StepVerifier
			.withVirtualTime(() -> GraceTimeout.of(Mono.delay(Duration.ofMillis(900)).then(), GRACE, fallback.mono()))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(900))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		fallback.assertWasNotSubscribed();
	}

	@Test
	void stalledSourceIsCancelledAndTheFallbackEndsTheRelease() {
		PublisherProbe<Void> source = PublisherProbe.of(Mono.never());
		AtomicInteger fallbacks = new AtomicInteger();
		StepVerifier
			.withVirtualTime(() -> GraceTimeout.of(source.mono(), GRACE,
					Mono.fromRunnable(fallbacks::incrementAndGet)))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(999))
			.then(() -> assertThat(fallbacks).hasValue(0))
			.thenAwait(Duration.ofMillis(1))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(fallbacks).hasValue(1);
		source.assertWasCancelled();
	}

	@Test
	void fallbackErrorReachesTheSubscriber() {
		StepVerifier
			.withVirtualTime(() -> GraceTimeout.of(Mono.never(), GRACE,
					Mono.error(new IllegalStateException("force close failed"))))
			.expectSubscription()
			.thenAwait(GRACE)
			.verifyErrorMessage("force close failed");
	}

	@Test
	void cancelBeforeTheGraceLeavesTheFallbackUnrun() {
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		try {
			PublisherProbe<Void> fallback = PublisherProbe.empty();
			Disposable subscription = GraceTimeout.of(Mono.never(), GRACE, fallback.mono()).subscribe();
			time.advanceTimeBy(Duration.ofMillis(500));
			subscription.dispose();
			time.advanceTimeBy(Duration.ofSeconds(10));
			fallback.assertWasNotSubscribed();
		}
		finally {
			VirtualTimeScheduler.reset();
		}
	}

}

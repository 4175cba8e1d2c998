package dev.databases.internal.reactor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-over alone: a cancel before the value reaches upstream, one after it does not. */
class HandoverTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void aCancelBeforeTheValueShouldReachUpstream() {
		AtomicInteger cancels = new AtomicInteger();
		Sinks.One<String> source = Sinks.one();
		StepVerifier.create(Handover.of(source.asMono().doOnCancel(cancels::incrementAndGet)))
			.expectSubscription()
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(cancels).hasValue(1);
	}

	@Test
	void aCancelAfterTheValueShouldStayDownstream() {
		AtomicInteger cancels = new AtomicInteger();
		// As r2dbc-pool's acquisition: the connection is emitted, the completion comes later.
		Mono<String> source = new Mono<>() {
			@Override
			public void subscribe(CoreSubscriber<? super String> actual) {
				actual.onSubscribe(new Subscription() {
					@Override
					public void request(long n) {
					}

					@Override
					public void cancel() {
						cancels.incrementAndGet();
					}
				});
				actual.onNext("connection");
			}
		};
		StepVerifier.create(Handover.of(source)).expectNext("connection").thenCancel().verify(TIMEOUT);
		assertThat(cancels).as("the pool must not take back a connection it has handed over").hasValue(0);
	}

	@Test
	void errorsAndEmptinessShouldPassThrough() {
		StepVerifier.create(Handover.of(Mono.error(new IllegalStateException("no connection"))))
			.expectError(IllegalStateException.class)
			.verify(TIMEOUT);
		StepVerifier.create(Handover.of(Mono.empty())).expectComplete().verify(TIMEOUT);
	}

}

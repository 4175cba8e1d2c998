package dev.databases.internal.reactor;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The acquire timeout alone: it fails a wait that is too long, and nothing else. */
class AcquireTimeoutTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void aWaitLongerThanTheTimeoutShouldFailWithR2dbcPoolsError() {
		StepVerifier.create(AcquireTimeout.of(Mono.never(), Duration.ofMillis(50)))
			.expectErrorSatisfies((error) -> org.assertj.core.api.Assertions.assertThat(error)
				.isInstanceOf(R2dbcTimeoutException.class)
				.hasMessageContaining("50ms"))
			.verify(TIMEOUT);
	}

	@Test
	void anEmptyOrFailedAcquisitionShouldPassThrough() {
		StepVerifier.create(AcquireTimeout.of(Mono.empty(), Duration.ofSeconds(10))).expectComplete().verify(TIMEOUT);
		StepVerifier.create(AcquireTimeout.of(Mono.error(new IllegalStateException("refused")), Duration.ofSeconds(10)))
			.expectError(IllegalStateException.class)
			.verify(TIMEOUT);
	}

	@Test
	void aNegativeTimeoutShouldMeanNoLimit() {
		Sinks.One<Connection> source = Sinks.one();
		StepVerifier.create(AcquireTimeout.of(source.asMono(), Duration.ofMillis(-1)))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(200))
			.thenCancel()
			.verify(TIMEOUT);
	}

}

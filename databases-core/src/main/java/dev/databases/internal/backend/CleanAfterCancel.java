package dev.databases.internal.backend;

import io.r2dbc.spi.ValidationDepth;
import reactor.core.publisher.Mono;

/**
 * How the server drivers make a connection clean after a cancel: one round trip
 * ({@code validate(REMOTE)}), which the driver queues behind whatever it still has for the
 * cancelled work and so answers only once that is done, then the transaction status that
 * answer brought. A statement the server is still running is waited for, up to the
 * caller's bound. (r2dbc-postgresql's cancel request, sent first to stop such a statement,
 * left work waiting forever under the cancellation storm test, so it is not used.)
 */
final class CleanAfterCancel {

	private CleanAfterCancel() {
	}

	/** Clean when a round trip is answered and no transaction is open. */
	static Mono<Boolean> roundTrip(io.r2dbc.spi.Connection physical) {
		return Mono.from(physical.validate(ValidationDepth.REMOTE)).map((valid) -> valid && physical.isAutoCommit());
	}

}

package dev.databases.internal.backend;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.r2dbc.spi.ValidationDepth;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * How the server drivers make a connection clean after a cancel: one round trip
 * ({@code validate(REMOTE)}), which the driver queues behind whatever it still has for the
 * cancelled work and so answers only once that is done, then the transaction status that
 * answer brought. A statement the server is still running is waited for, up to the
 * caller's bound, or stopped where the server can be asked to ({@link #roundTrip(io.r2dbc.spi.Connection, Duration, Function)}).
 */
final class CleanAfterCancel {

	private static final int WAITING = 0;

	private static final int ANSWERED = 1;

	private static final int STOPPING = 2;

	private CleanAfterCancel() {
	}

	/** Clean when a round trip is answered and no transaction is open. */
	static Mono<Boolean> roundTrip(io.r2dbc.spi.Connection physical) {
		return Mono.from(physical.validate(ValidationDepth.REMOTE)).map((valid) -> valid && physical.isAutoCommit());
	}

	/**
	 * {@link #roundTrip(io.r2dbc.spi.Connection)}, and when it has not been answered within
	 * {@code grace} (the server is still running the cancelled statement), {@code stop} asks
	 * the server to stop it. Most cancelled work has left nothing running, so nothing is
	 * sent for it. Once a stop has been sent, the answer waits for it to be delivered: a
	 * stop that reached the server after the connection had been lent again could cut the
	 * next borrower's statement short, whereas one that arrives during the round trip only
	 * fails it, and the connection is then closed.
	 * @param physical the driver's connection
	 * @param grace how long to wait for the round trip before stopping the server's statement
	 * @param stop sends the server the request to stop what the connection's session runs
	 * @return whether the connection is clean
	 */
	static Mono<Boolean> roundTrip(io.r2dbc.spi.Connection physical, Duration grace,
			Function<io.r2dbc.spi.Connection, Mono<Void>> stop) {
		return Mono.defer(() -> {
			AtomicInteger state = new AtomicInteger(WAITING);
			Sinks.Empty<Void> stopped = Sinks.empty();
			Disposable timer = Mono.delay(grace).subscribe((tick) -> {
				if (state.compareAndSet(WAITING, STOPPING)) {
					stop.apply(physical).onErrorResume((error) -> Mono.empty()).subscribe(null, null, stopped::tryEmitEmpty);
				}
			});
			return roundTrip(physical).flatMap((clean) -> {
				if (state.compareAndSet(WAITING, ANSWERED)) {
					return Mono.just(clean);
				}
				return stopped.asMono().thenReturn(clean);
			}).doFinally((signal) -> timer.dispose());
		});
	}

}

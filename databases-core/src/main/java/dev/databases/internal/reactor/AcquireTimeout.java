package dev.databases.internal.reactor;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.r2dbc.spi.R2dbcTimeoutException;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The pool's acquire timeout, as r2dbc-pool's {@code maxAcquireTime} implements it (a
 * {@code timeout} around the acquisition, whose cancel makes r2dbc-pool take back a
 * connection that arrives after it), but with the timer armed only when the acquisition
 * did not complete at once. An
 * idle connection is handed over during the subscription; r2dbc-pool's own timeout
 * scheduled and cancelled a timer on {@code Schedulers.parallel()} for each one, which cost
 * more than the rest of a query on H2 and SQLite.
 */
public final class AcquireTimeout extends Mono<io.r2dbc.spi.Connection> {

	private final Mono<? extends io.r2dbc.spi.Connection> source;

	private final Duration timeout;

	AcquireTimeout(Mono<? extends io.r2dbc.spi.Connection> source, Duration timeout) {
		this.source = source;
		this.timeout = timeout;
	}

	/** {@code source}, failing with r2dbc-pool's timeout error when it has not emitted within {@code timeout}; negative: no limit. */
	public static Mono<io.r2dbc.spi.Connection> of(Mono<? extends io.r2dbc.spi.Connection> source, Duration timeout) {
		if (timeout.isNegative()) {
			return Mono.from(source);
		}
		return new AcquireTimeout(source, timeout);
	}

	@Override
	public void subscribe(CoreSubscriber<? super io.r2dbc.spi.Connection> actual) {
		TimeoutSubscriber subscriber = new TimeoutSubscriber(actual, this.timeout);
		this.source.subscribe(subscriber);
		subscriber.armIfPending();
	}

	private static final class TimeoutSubscriber
			extends TimedSubscriber<io.r2dbc.spi.Connection, io.r2dbc.spi.Connection> {

		private static final int WAITING = 0;

		private static final int DONE = 1;

		private static final int TIMED_OUT = 2;

		private final Duration timeout;

		private volatile int state = WAITING;

		private static final AtomicIntegerFieldUpdater<TimeoutSubscriber> STATE = AtomicIntegerFieldUpdater
			.newUpdater(TimeoutSubscriber.class, "state");

		private volatile boolean valueSeen;

		TimeoutSubscriber(CoreSubscriber<? super io.r2dbc.spi.Connection> actual, Duration timeout) {
			super(actual);
			this.timeout = timeout;
		}

		/** After the subscription: start the clock only if no connection was handed over during it. */
		void armIfPending() {
			if (this.state != WAITING) {
				return;
			}
			if (!arm(this.timeout)) {
				// The scheduler refused (shut down): fail as a timeout would rather than wait forever.
				run();
				return;
			}
			if (this.state != WAITING) {
				disarm();
			}
		}

		/** The timer fired. */
		@Override
		public void run() {
			if (STATE.compareAndSet(this, WAITING, TIMED_OUT)) {
				cancelUpstream();
				this.actual.onError(new R2dbcTimeoutException(
						"Connection acquisition timed out after " + this.timeout.toMillis() + "ms",
						new TimeoutException("Did not observe any item or terminal signal within "
								+ this.timeout.toMillis() + "ms in 'Connection acquisition' (and no fallback has been configured)")));
			}
		}

		@Override
		public void onNext(io.r2dbc.spi.Connection connection) {
			if (STATE.compareAndSet(this, WAITING, DONE)) {
				this.valueSeen = true;
				disarm();
				this.actual.onNext(connection);
			}
			// Else it arrived after the timeout, whose cancel reached r2dbc-pool: the pool has
			// taken it back, and closing it here could clean up a connection already lent anew
			// (see Handover).
		}

		@Override
		public void onError(Throwable error) {
			if (STATE.compareAndSet(this, WAITING, DONE)) {
				disarm();
				this.actual.onError(error);
			}
			else if (!this.valueSeen) {
				Operators.onErrorDropped(error, this.actual.currentContext());
			}
		}

		@Override
		public void onComplete() {
			if (this.valueSeen) {
				this.actual.onComplete();
			}
			else if (STATE.compareAndSet(this, WAITING, DONE)) {
				disarm();
				this.actual.onComplete();
			}
		}

		@Override
		public void cancel() {
			disarm();
			cancelUpstream();
		}

	}

}

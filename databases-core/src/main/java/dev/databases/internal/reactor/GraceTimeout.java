package dev.databases.internal.reactor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * {@code source.timeout(grace, fallback)} for cleanup that usually ends at once, with the
 * timer armed only when {@code source} has not ended during its subscription.
 * <p>
 * The cleanup of a pooled r2dbc-mysql connection is bounded this way (its backend's
 * {@code StalledConnection}). With {@code timeout} every release scheduled and cancelled a
 * timer on {@code Schedulers.parallel()}, waking one of its threads: on W5 that was a
 * park and an unpark per query, about a fifth of the process's CPU time.
 */
public final class GraceTimeout extends Mono<Void> {

	private final Mono<Void> source;

	private final Duration grace;

	private final Mono<Void> fallback;

	private GraceTimeout(Mono<Void> source, Duration grace, Mono<Void> fallback) {
		this.source = source;
		this.grace = grace;
		this.fallback = fallback;
	}

	/** {@code source}, or {@code fallback} once {@code source} has run for {@code grace} without ending. */
	public static Mono<Void> of(Mono<Void> source, Duration grace, Mono<Void> fallback) {
		return new GraceTimeout(source, grace, fallback);
	}

	@Override
	public void subscribe(CoreSubscriber<? super Void> actual) {
		GraceSubscriber subscriber = new GraceSubscriber(actual, this.fallback);
		this.source.subscribe(subscriber);
		subscriber.armIfPending(this.grace);
	}

	private static final class GraceSubscriber extends TimedSubscriber<Void, Void> {

		private static final int WAITING = 0;

		private static final int DONE = 1;

		private static final int TIMED_OUT = 2;

		private static final AtomicIntegerFieldUpdater<GraceSubscriber> STATE = AtomicIntegerFieldUpdater
			.newUpdater(GraceSubscriber.class, "state");

		private final Mono<Void> fallback;

		private volatile int state = WAITING;

		private volatile @Nullable Disposable fallen;

		private volatile boolean cancelled;

		GraceSubscriber(CoreSubscriber<? super Void> actual, Mono<Void> fallback) {
			super(actual);
			this.fallback = fallback;
		}

		void armIfPending(Duration grace) {
			if (this.state != WAITING) {
				return;
			}
			// No scheduler (shut down): wait for the source rather than cut it short.
			if (arm(grace) && this.state != WAITING) {
				disarm();
			}
		}

		/** The grace has run out. */
		@Override
		public void run() {
			if (STATE.compareAndSet(this, WAITING, TIMED_OUT)) {
				cancelUpstream();
				this.fallen = this.fallback.subscribe(null, this.actual::onError, this.actual::onComplete);
				if (this.cancelled) {
					this.fallen.dispose();
				}
			}
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			if (STATE.compareAndSet(this, WAITING, DONE)) {
				disarm();
				this.actual.onError(error);
			}
		}

		@Override
		public void onComplete() {
			if (STATE.compareAndSet(this, WAITING, DONE)) {
				disarm();
				this.actual.onComplete();
			}
		}

		@Override
		public void cancel() {
			this.cancelled = true;
			disarm();
			cancelUpstream();
			Disposable fallen = this.fallen;
			if (fallen != null) {
				fallen.dispose();
			}
		}

	}

}

package dev.databases.internal.reactor;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * Hands a pooled connection to its holder and, once it has passed, keeps every later cancel
 * away from the pool.
 * <p>
 * r2dbc-pool takes a connection back on any cancel of its acquisition, even one that arrives
 * after the connection was emitted, and Reactor's {@code usingWhen} decides whether to cancel
 * the acquisition from a plain field written by another thread, so a cancel racing the
 * hand-over still travels upstream. The pool then lends the connection to a second caller
 * while the first one is still rolling back on it: half of one transaction lands inside
 * another. Behind this operator the holder alone gives the connection back.
 * <p>
 * Nothing between this operator and {@code usingWhen} may drop a value, since a connection
 * dropped here would never be released.
 */
public final class Handover<T> extends Mono<T> {

	private final Mono<? extends T> source;

	private Handover(Mono<? extends T> source) {
		this.source = source;
	}

	/** {@code source}, whose value, once emitted, is no longer taken back by a cancel. */
	public static <T> Mono<T> of(Mono<? extends T> source) {
		return new Handover<>(source);
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		this.source.subscribe(new HandoverSubscriber<>(actual));
	}

	private static final class HandoverSubscriber<T> extends PassThroughSubscriber<T, T> {

		private static final int WAITING = 0;

		private static final int HANDED_OVER = 1;

		private static final int CANCELLED = 2;

		private static final int ENDED = 3;

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<HandoverSubscriber> STATE = AtomicIntegerFieldUpdater
			.newUpdater(HandoverSubscriber.class, "state");

		// A field and its updater rather than an AtomicInteger: one object fewer per acquire.
		private volatile int state = WAITING;

		HandoverSubscriber(CoreSubscriber<? super T> actual) {
			super(actual);
		}

		@Override
		public void onNext(T value) {
			// When the cancel won, it reached the pool, which has taken this connection back:
			// releasing it again here would hand back a connection that may already be lent anew.
			if (STATE.compareAndSet(this, WAITING, HANDED_OVER)) {
				this.actual.onNext(value);
			}
		}

		@Override
		public void onError(Throwable error) {
			if (STATE.compareAndSet(this, WAITING, ENDED)) {
				this.actual.onError(error);
			}
		}

		@Override
		public void onComplete() {
			int current = this.state;
			if (current == HANDED_OVER || (current == WAITING && STATE.compareAndSet(this, WAITING, ENDED))) {
				this.actual.onComplete();
			}
		}

		@Override
		public void cancel() {
			if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
				cancelUpstream();
			}
		}

	}

}

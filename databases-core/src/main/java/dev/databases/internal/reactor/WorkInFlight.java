package dev.databases.internal.reactor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The units of work running on a pool, so that {@link Database#disconnect()} can end those
 * still running after {@code disconnect_timeout}: each gets an error signal at once, even
 * work that waits on something other than its connection, and its connection is then given
 * back as after a cancel. Closing the connections alone would end only the work that uses
 * them.
 */
public final class WorkInFlight {

	private final Set<Unit<?>> running = ConcurrentHashMap.newKeySet();

	/**
	 * {@code work}, registered while it runs.
	 * @param <T> the element type
	 * @param work the work
	 * @return the tracked work
	 */
	public <T> Mono<T> track(Mono<T> work) {
		return new TrackedMono<>(work, this);
	}

	/**
	 * {@code work}, registered while it runs.
	 * @param <T> the element type
	 * @param work the work
	 * @return the tracked work
	 */
	public <T> Flux<T> track(Flux<T> work) {
		return new TrackedFlux<>(work, this);
	}

	/**
	 * End every unit still running: each is cancelled and its subscriber gets {@code error},
	 * before this method returns.
	 * @param error the error to signal
	 * @return how many units were ended
	 */
	public int endAll(Throwable error) {
		int ended = 0;
		for (Unit<?> unit : this.running) {
			if (unit.end(error)) {
				ended++;
			}
		}
		return ended;
	}

	/**
	 * How many units are running.
	 * @return the count
	 */
	public int size() {
		return this.running.size();
	}

	private static final class TrackedMono<T> extends Mono<T> {

		private final Mono<T> work;

		private final WorkInFlight registry;

		TrackedMono(Mono<T> work, WorkInFlight registry) {
			this.work = work;
			this.registry = registry;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.work.subscribe(new Unit<>(actual, this.registry));
		}

	}

	private static final class TrackedFlux<T> extends Flux<T> {

		private final Publisher<T> work;

		private final WorkInFlight registry;

		TrackedFlux(Publisher<T> work, WorkInFlight registry) {
			this.work = work;
			this.registry = registry;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.work.subscribe(new Unit<>(actual, this.registry));
		}

	}

	/**
	 * Passes the work's signals through, unless it is ended first. A signal of the work and
	 * the end may race; whichever takes {@link #busy} first goes, and an end that finds a
	 * signal in progress is delivered by that signal's thread right after it, so the
	 * subscriber never sees two signals at once.
	 */
	private static final class Unit<T> implements CoreSubscriber<T>, Subscription {

		private static final int IDLE = 0;

		private static final int SIGNALLING = 1;

		private static final int END_PENDING = 2;

		private static final int TERMINATED = 3;

		private final CoreSubscriber<? super T> actual;

		private final WorkInFlight registry;

		private @Nullable Subscription upstream;

		private @Nullable Throwable endError;

		private volatile int busy;

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<Unit> BUSY = AtomicIntegerFieldUpdater.newUpdater(Unit.class,
				"busy");

		Unit(CoreSubscriber<? super T> actual, WorkInFlight registry) {
			this.actual = actual;
			this.registry = registry;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.registry.running.add(this);
				this.actual.onSubscribe(this);
			}
		}

		@Override
		public void onNext(T value) {
			if (!BUSY.compareAndSet(this, IDLE, SIGNALLING)) {
				Operators.onDiscard(value, currentContext());
				return;
			}
			this.actual.onNext(value);
			if (!BUSY.compareAndSet(this, SIGNALLING, IDLE)) {
				deliverEnd();
			}
		}

		@Override
		public void onError(Throwable error) {
			if (!BUSY.compareAndSet(this, IDLE, TERMINATED)) {
				Operators.onErrorDropped(error, currentContext());
				return;
			}
			this.registry.running.remove(this);
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			if (!BUSY.compareAndSet(this, IDLE, TERMINATED)) {
				return;
			}
			this.registry.running.remove(this);
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.request(n);
			}
		}

		@Override
		public void cancel() {
			this.registry.running.remove(this);
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
		}

		/** Cancel the work and signal {@code error}, unless it has already ended. */
		boolean end(Throwable error) {
			for (;;) {
				int state = this.busy;
				if (state == TERMINATED || state == END_PENDING) {
					return false;
				}
				this.endError = error;
				if (state == IDLE && BUSY.compareAndSet(this, IDLE, TERMINATED)) {
					finish(error);
					return true;
				}
				if (state == SIGNALLING && BUSY.compareAndSet(this, SIGNALLING, END_PENDING)) {
					return true;
				}
			}
		}

		private void deliverEnd() {
			this.busy = TERMINATED;
			finish(java.util.Objects.requireNonNull(this.endError));
		}

		private void finish(Throwable error) {
			this.registry.running.remove(this);
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
			this.actual.onError(error);
		}

	}

}

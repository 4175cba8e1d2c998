package dev.databases.internal.reactor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link PassThroughSubscriber} with one timer on {@code Schedulers.parallel()} whose task
 * is {@link #run()}, for the operators that arm it only when their work has not ended
 * during the subscription ({@link AcquireTimeout}, {@link GraceTimeout}): scheduling and
 * cancelling a timer for work that ends at once costs a wake-up of a parallel thread.
 * An arm that races the end is disposed either way.
 *
 * @param <T> the type received
 * @param <R> the type passed downstream
 */
abstract class TimedSubscriber<T, R> extends PassThroughSubscriber<T, R> implements Runnable {

	/** Set by {@link #disarm()}, so that a timer armed after the end is disposed at once. */
	private static final Disposable DISARMED = () -> {
	};

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<TimedSubscriber, @Nullable Disposable> TIMER = AtomicReferenceFieldUpdater
		.newUpdater(TimedSubscriber.class, Disposable.class, "timer");

	private volatile @Nullable Disposable timer;

	TimedSubscriber(CoreSubscriber<? super R> actual) {
		super(actual);
	}

	/**
	 * Schedule {@link #run()} after {@code delay}, unless {@link #disarm()} came first.
	 * @param delay the delay
	 * @return {@code false} when the scheduler refused (it was shut down)
	 */
	final boolean arm(Duration delay) {
		Disposable scheduled;
		try {
			scheduled = Schedulers.parallel().schedule(this, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			return false;
		}
		if (!TIMER.compareAndSet(this, null, scheduled)) {
			scheduled.dispose();
		}
		return true;
	}

	/** Dispose the timer, armed or yet to be armed. */
	final void disarm() {
		Disposable scheduled = TIMER.getAndSet(this, DISARMED);
		if (scheduled != null) {
			scheduled.dispose();
		}
	}

}

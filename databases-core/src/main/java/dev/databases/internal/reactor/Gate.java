package dev.databases.internal.reactor;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * An asynchronous mutex: units of work that must not interleave on one connection (two
 * transactions, or two independent callers of a force-rollback database) wait here for
 * their turn instead of blocking a thread.
 */
public final class Gate {

	/** Made when a unit first has to wait: most gates (one per block and transaction) never see one. */
	private @Nullable ArrayDeque<Waiter> waiters;

	private final Runnable onWait;

	private boolean held;

	private @Nullable Throwable closed;

	/** A gate whose waiters wait quietly. */
	public Gate() {
		this(() -> {
		});
	}

	/**
	 * A gate that tells its holder when someone starts to wait.
	 * @param onWait run (outside the gate's lock) each time a unit has to wait
	 */
	public Gate(Runnable onWait) {
		this.onWait = onWait;
	}

	/**
	 * Run {@code work} once every unit before it has finished, complete, error or cancel.
	 * @param work the unit
	 * @param <T> the value type
	 * @return {@code work} in its turn
	 */
	public <T> Flux<T> run(Flux<T> work) {
		return Flux.usingWhen(acquire(), (grant) -> work, Grant::release, (grant, error) -> grant.release(),
				Grant::release);
	}

	/**
	 * As {@link #run(Flux)}, for one value.
	 * @param work the unit
	 * @param <T> the value type
	 * @return {@code work} in its turn
	 */
	public <T> Mono<T> run(Mono<T> work) {
		return new Turn<>(this, work, null);
	}

	/**
	 * As {@link #run(Mono)}, but after a cancel the next unit waits until the connection has settled.
	 * @param work the unit
	 * @param settled the connection's cleanup after a cancel, read when the cancel comes
	 * @param <T> the value type
	 * @return {@code work} in its turn
	 */
	public <T> Mono<T> run(Mono<T> work, Supplier<Mono<Void>> settled) {
		return new Turn<>(this, work, settled);
	}

	/**
	 * As {@link #run(Flux)}, but after a cancel the next unit waits until the connection has settled.
	 * @param work the unit
	 * @param settled the connection's cleanup after a cancel, read when the cancel comes
	 * @param <T> the value type
	 * @return {@code work} in its turn
	 */
	public <T> Flux<T> run(Flux<T> work, Supplier<Mono<Void>> settled) {
		return Flux.usingWhen(acquire(), (grant) -> work, Grant::release, (grant, error) -> grant.release(),
				(grant) -> settled.get().then(grant.release()));
	}

	/**
	 * A turn the caller must release; for work whose end is not a publisher's end.
	 * @return the grant, once it is the caller's turn
	 */
	public Mono<Grant> acquire() {
		return Mono.create((sink) -> enter(new SinkWaiter(sink, new Grant())));
	}

	/**
	 * Give {@code waiter} the turn now if nobody holds it, else queue it; refuse it once the
	 * gate is closed.
	 */
	private void enter(Waiter waiter) {
		boolean now;
		Throwable refused;
		synchronized (this) {
			refused = this.closed;
			now = refused == null && !this.held;
			if (now) {
				this.held = true;
			}
			else if (refused == null) {
				waiters().add(waiter);
			}
		}
		if (refused != null) {
			waiter.refused(refused);
			return;
		}
		waiter.admitted(this);
		if (now) {
			waiter.granted();
		}
		else {
			this.onWait.run();
		}
	}

	/**
	 * Refuse every unit waiting now and every later one with {@code error}; the unit
	 * holding the gate keeps it until it lets go.
	 * @param error what the refused units receive
	 */
	public void close(Throwable error) {
		java.util.List<Waiter> refused;
		synchronized (this) {
			this.closed = error;
			refused = (this.waiters != null) ? new java.util.ArrayList<>(this.waiters) : java.util.List.of();
			this.waiters = null;
		}
		for (Waiter waiter : refused) {
			waiter.refused(error);
		}
	}

	private void cancelled(SinkWaiter waiter) {
		if (!dequeue(waiter)) {
			waiter.grant.release().subscribe();
		}
	}

	/** Whether {@code waiter} was still waiting, now no longer. */
	private boolean dequeue(Waiter waiter) {
		synchronized (this) {
			return this.waiters != null && this.waiters.remove(waiter);
		}
	}

	private void handOver() {
		Waiter next;
		synchronized (this) {
			next = (this.waiters != null) ? this.waiters.poll() : null;
			if (next == null) {
				this.held = false;
				return;
			}
		}
		next.granted();
	}

	/** The queue of waiting units, made on first use; called holding the lock. */
	private ArrayDeque<Waiter> waiters() {
		ArrayDeque<Waiter> waiters = this.waiters;
		if (waiters == null) {
			waiters = new ArrayDeque<>(4);
			this.waiters = waiters;
		}
		return waiters;
	}

	/** A unit waiting for its turn. */
	private interface Waiter {

		/** The turn is this unit's now; it hands it over when its work ends. */
		void granted();

		/** The gate was closed before the unit's turn came. */
		void refused(Throwable error);

		/** The unit will get its turn, now or later: called before either. */
		default void admitted(Gate gate) {
		}

	}

	/** A waiter of {@link #acquire()}: its grant goes to the caller. */
	private record SinkWaiter(MonoSink<Grant> sink, Grant grant) implements Waiter {

		@Override
		public void granted() {
			this.sink.success(this.grant);
		}

		@Override
		public void refused(Throwable error) {
			this.sink.error(error);
		}

		/**
		 * A grant handed to a subscriber that has just cancelled would be lost and block
		 * everyone behind it, so a cancelled waiter gives its grant back. Registered once the
		 * turn is decided (and run at once if the cancel came first), before the grant is given.
		 */
		@Override
		public void admitted(Gate gate) {
			this.sink.onCancel(() -> gate.cancelled(this));
		}

	}

	/**
	 * {@link #run(Mono, Supplier)} as one operator: what {@code Mono.usingWhen} over
	 * {@link #acquire()} did, without the sink, the grant, the usingWhen and the lambdas each
	 * unit paid for. The turn is taken when subscribed and handed over when the work
	 * completes or fails, before its value and end go on (as usingWhen holds them back
	 * until the release); after a cancel, once the connection has settled when
	 * {@code settled} is given.
	 */
	private static final class Turn<T> extends Mono<T> {

		private final Gate gate;

		private final Mono<T> work;

		private final @Nullable Supplier<Mono<Void>> settled;

		Turn(Gate gate, Mono<T> work, @Nullable Supplier<Mono<Void>> settled) {
			this.gate = gate;
			this.work = work;
			this.settled = settled;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			TurnSubscriber<T> turn = new TurnSubscriber<>(actual, this);
			actual.onSubscribe(turn);
			this.gate.enter(turn);
		}

	}

	/**
	 * The subscriber of one {@link Turn}; the requests and a cancel that come before the
	 * work is subscribed are kept until it is.
	 */
	private static final class TurnSubscriber<T> extends Operators.DeferredSubscription
			implements CoreSubscriber<T>, Waiter {

		private static final int WAITING = 0;

		private static final int RUNNING = 1;

		private static final int ENDED = 2;

		private static final int CANCELLED = 3;

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<TurnSubscriber> STATE = AtomicIntegerFieldUpdater
			.newUpdater(TurnSubscriber.class, "state");

		private final CoreSubscriber<? super T> actual;

		private final Turn<T> turn;

		private volatile int state = WAITING;

		private @Nullable T value;

		TurnSubscriber(CoreSubscriber<? super T> actual, Turn<T> turn) {
			this.actual = actual;
			this.turn = turn;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void granted() {
			if (!STATE.compareAndSet(this, WAITING, RUNNING)) {
				// Cancelled after the gate picked it: the turn goes on to the next unit.
				this.turn.gate.handOver();
				return;
			}
			this.turn.work.subscribe(this);
		}

		@Override
		public void refused(Throwable error) {
			if (STATE.compareAndSet(this, WAITING, ENDED)) {
				this.actual.onError(error);
			}
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			set(subscription);
		}

		@Override
		public void onNext(T value) {
			this.value = value;
		}

		@Override
		public void onError(Throwable error) {
			if (!STATE.compareAndSet(this, RUNNING, ENDED)) {
				Operators.onErrorDropped(error, currentContext());
				return;
			}
			T value = this.value;
			this.value = null;
			if (value != null) {
				Operators.onDiscard(value, currentContext());
			}
			this.turn.gate.handOver();
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			if (!STATE.compareAndSet(this, RUNNING, ENDED)) {
				return;
			}
			T value = this.value;
			this.value = null;
			this.turn.gate.handOver();
			if (value != null) {
				this.actual.onNext(value);
			}
			this.actual.onComplete();
		}

		@Override
		public void cancel() {
			int previous = STATE.getAndSet(this, CANCELLED);
			if (previous == WAITING) {
				// Still queued: it leaves the queue. Else the gate has just given it the turn (or
				// has yet to see it, when the cancel came in onSubscribe), and granted() passes
				// the turn on.
				this.turn.gate.dequeue(this);
				return;
			}
			super.cancel();
			if (previous != RUNNING) {
				return;
			}
			Supplier<Mono<Void>> settled = this.turn.settled;
			if (settled == null) {
				this.turn.gate.handOver();
			}
			else {
				settled.get().then(Mono.fromRunnable(this.turn.gate::handOver)).subscribe();
			}
		}

	}

	/** One unit's turn at the gate. */
	public final class Grant {

		private final AtomicBoolean released = new AtomicBoolean();

		/**
		 * Give the turn to the next unit, when subscribed.
		 * @return completion once given
		 */
		public Mono<Void> release() {
			return Mono.fromRunnable(this::end);
		}

		/** Give the turn to the next unit now; only the first call of this or {@link #release()} acts. */
		public void end() {
			if (this.released.compareAndSet(false, true)) {
				handOver();
			}
		}

	}

}

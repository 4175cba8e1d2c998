package dev.databases.internal.reactor;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

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
		return Mono.usingWhen(acquire(), (grant) -> work, Grant::release, (grant, error) -> grant.release(),
				Grant::release);
	}

	/**
	 * As {@link #run(Mono)}, but after a cancel the next unit waits until the connection has settled.
	 * @param work the unit
	 * @param settled the connection's cleanup after a cancel, read when the cancel comes
	 * @param <T> the value type
	 * @return {@code work} in its turn
	 */
	public <T> Mono<T> run(Mono<T> work, Supplier<Mono<Void>> settled) {
		return Mono.usingWhen(acquire(), (grant) -> work, Grant::release, (grant, error) -> grant.release(),
				(grant) -> settled.get().then(grant.release()));
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
		return Mono.create((sink) -> {
			Waiter waiter = new Waiter(sink, new Grant());
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
				sink.error(refused);
				return;
			}
			// A grant handed to a subscriber that has just cancelled would be lost and block
			// everyone behind it, so a cancelled waiter gives its grant back.
			sink.onCancel(() -> cancelled(waiter));
			if (now) {
				sink.success(waiter.grant);
			}
			else {
				this.onWait.run();
			}
		});
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
			waiter.sink.error(error);
		}
	}

	private void cancelled(Waiter waiter) {
		boolean queued;
		synchronized (this) {
			queued = this.waiters != null && this.waiters.remove(waiter);
		}
		if (!queued) {
			waiter.grant.release().subscribe();
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
		next.sink.success(next.grant);
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

	private record Waiter(MonoSink<Grant> sink, Grant grant) {
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

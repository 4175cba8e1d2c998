package dev.databases;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * An asynchronous mutex: units of work that must not interleave on one connection (two
 * transactions, or two independent callers of a force-rollback database) wait here for
 * their turn instead of blocking a thread.
 */
final class Gate {

	private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

	private boolean held;

	/** Run {@code work} once every unit before it has finished, complete, error or cancel. */
	<T> Flux<T> run(Flux<T> work) {
		return Flux.usingWhen(acquire(), (grant) -> work, Grant::release, (grant, error) -> grant.release(),
				Grant::release);
	}

	<T> Mono<T> run(Mono<T> work) {
		return Mono.usingWhen(acquire(), (grant) -> work, Grant::release, (grant, error) -> grant.release(),
				Grant::release);
	}

	/** As {@link #run(Mono)}, but after a cancel the next unit waits until the connection has settled. */
	<T> Mono<T> run(Mono<T> work, Connection connection) {
		return Mono.usingWhen(acquire(), (grant) -> work, Grant::release, (grant, error) -> grant.release(),
				(grant) -> connection.settled().then(grant.release()));
	}

	<T> Flux<T> run(Flux<T> work, Connection connection) {
		return Flux.usingWhen(acquire(), (grant) -> work, Grant::release, (grant, error) -> grant.release(),
				(grant) -> connection.settled().then(grant.release()));
	}

	/** A grant the caller must release; for work whose end is not a publisher's end. */
	Mono<Grant> acquire() {
		return Mono.create((sink) -> {
			Waiter waiter = new Waiter(sink, new Grant());
			boolean now;
			synchronized (this) {
				now = !this.held;
				if (now) {
					this.held = true;
				}
				else {
					this.waiters.add(waiter);
				}
			}
			// A grant handed to a subscriber that has just cancelled would be lost and block
			// everyone behind it, so a cancelled waiter gives its grant back.
			sink.onCancel(() -> cancelled(waiter));
			if (now) {
				sink.success(waiter.grant);
			}
		});
	}

	private void cancelled(Waiter waiter) {
		boolean queued;
		synchronized (this) {
			queued = this.waiters.remove(waiter);
		}
		if (!queued) {
			waiter.grant.release().subscribe();
		}
	}

	private void handOver() {
		Waiter next;
		synchronized (this) {
			next = this.waiters.poll();
			if (next == null) {
				this.held = false;
				return;
			}
		}
		next.sink.success(next.grant);
	}

	private record Waiter(MonoSink<Grant> sink, Grant grant) {
	}

	final class Grant {

		private final AtomicBoolean released = new AtomicBoolean();

		Mono<Void> release() {
			return Mono.fromRunnable(() -> {
				if (this.released.compareAndSet(false, true)) {
					handOver();
				}
			});
		}

	}

}

package dev.databases.internal.reactor;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * A stream of rows still being read from a driver that cannot run another statement on
 * its connection before this one's result has been read to its end (r2dbc-mysql: the
 * MySQL protocol cannot interleave). While nobody else needs the connection, rows are
 * read as the subscriber asks for them, in constant memory. When another statement is
 * about to be sent on the connection ({@link OpenStreamSlot#after}), the rest of
 * the result is read ahead into memory, and that statement goes once the driver is done;
 * the subscriber still gets every row, in order, as it asks. Without this, a statement
 * sent from inside the loop over the rows would wait for a result that waits for it.
 *
 * @param <T> the row type
 */
final class OpenStream<T> extends Flux<T> {

	private final Flux<T> rows;

	private final OpenStreamSlot slot;

	private final @Nullable Runnable whenRead;

	/**
	 * @param rows the rows as the driver reads them
	 * @param slot the slot of the connection they are read from
	 * @param whenRead run once the driver has finished with the result, or {@code null}
	 */
	OpenStream(Flux<T> rows, OpenStreamSlot slot, @Nullable Runnable whenRead) {
		this.rows = rows;
		this.slot = slot;
		this.whenRead = whenRead;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		ReadAhead<T> stream = new ReadAhead<>(actual, this.slot, this.whenRead);
		Mono<Void> before = this.slot.openedBy(stream);
		if (before == null) {
			this.rows.subscribe(stream);
			return;
		}
		// Another stream is still open: it reads ahead, and this one starts after it.
		before.thenMany(this).subscribe(actual);
	}

	/** The rows, read on demand until someone else needs the connection, then read ahead. */
	static final class ReadAhead<T> implements CoreSubscriber<T>, Subscription {

		private final CoreSubscriber<? super T> actual;

		private final OpenStreamSlot slot;

		private final @Nullable Runnable whenRead;

		private final Queue<T> queue = Queues.<T>unbounded(Queues.SMALL_BUFFER_SIZE).get();

		private @Nullable Subscription upstream;

		private volatile long requested;

		private static final AtomicLongFieldUpdater<ReadAhead> REQUESTED = AtomicLongFieldUpdater
			.newUpdater(ReadAhead.class, "requested");

		private volatile int wip;

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<ReadAhead> WIP = AtomicIntegerFieldUpdater
			.newUpdater(ReadAhead.class, "wip");

		private volatile boolean readingAhead;

		private volatile boolean done;

		private @Nullable Throwable error;

		private volatile boolean cancelled;

		/** Completed when the driver has finished with this result; made on first need. */
		private volatile Sinks.@Nullable Empty<Void> finished;

		@SuppressWarnings("rawtypes")
		private static final AtomicReferenceFieldUpdater<ReadAhead, Sinks.Empty> FINISHED = AtomicReferenceFieldUpdater
			.newUpdater(ReadAhead.class, Sinks.Empty.class, "finished");

		private volatile boolean ended;

		ReadAhead(CoreSubscriber<? super T> actual, OpenStreamSlot slot, @Nullable Runnable whenRead) {
			this.actual = actual;
			this.slot = slot;
			this.whenRead = whenRead;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
				if (this.readingAhead) {
					subscription.request(Long.MAX_VALUE);
				}
			}
		}

		@Override
		public void onNext(T row) {
			if (!this.queue.offer(row)) {
				onError(Operators.onOperatorError(this.upstream,
						new IllegalStateException("The read-ahead queue refused a row"), row, currentContext()));
				return;
			}
			drain();
		}

		@Override
		public void onError(Throwable throwable) {
			this.error = throwable;
			this.done = true;
			driverFinished();
			drain();
		}

		@Override
		public void onComplete() {
			this.done = true;
			driverFinished();
			drain();
		}

		@Override
		public void request(long n) {
			if (Operators.validate(n)) {
				Operators.addCap(REQUESTED, this, n);
				Subscription upstream = this.upstream;
				if (!this.readingAhead && upstream != null) {
					upstream.request(n);
				}
				drain();
			}
		}

		@Override
		public void cancel() {
			if (this.cancelled) {
				return;
			}
			this.cancelled = true;
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
			driverFinished();
			if (WIP.getAndIncrement(this) == 0) {
				Operators.onDiscardQueueWithClear(this.queue, currentContext(), null);
			}
		}

		/**
		 * Read the rest of the result into memory now.
		 * @return completion once the driver has finished with the result
		 */
		Mono<Void> readAhead() {
			Sinks.Empty<Void> sink = this.finished;
			if (sink == null) {
				Sinks.Empty<Void> created = Sinks.empty();
				sink = FINISHED.compareAndSet(this, null, created) ? created : this.finished;
			}
			if (!this.readingAhead) {
				this.readingAhead = true;
				Subscription upstream = this.upstream;
				if (upstream != null) {
					upstream.request(Long.MAX_VALUE);
				}
			}
			if (this.ended) {
				sink.tryEmitEmpty();
			}
			return sink.asMono();
		}

		private void driverFinished() {
			if (this.ended) {
				return;
			}
			this.ended = true;
			this.slot.closed(this);
			if (this.whenRead != null) {
				this.whenRead.run();
			}
			Sinks.Empty<Void> sink = this.finished;
			if (sink != null) {
				sink.tryEmitEmpty();
			}
		}

		private void drain() {
			if (WIP.getAndIncrement(this) != 0) {
				return;
			}
			int missed = 1;
			for (;;) {
				if (this.cancelled) {
					Operators.onDiscardQueueWithClear(this.queue, currentContext(), null);
					return;
				}
				long wanted = this.requested;
				long emitted = 0;
				while (emitted != wanted) {
					boolean finished = this.done;
					T row = this.queue.poll();
					if (row == null) {
						if (finished) {
							terminate();
							return;
						}
						break;
					}
					this.actual.onNext(row);
					emitted++;
					if (this.cancelled) {
						Operators.onDiscardQueueWithClear(this.queue, currentContext(), null);
						return;
					}
				}
				if (emitted == wanted && this.done && this.queue.isEmpty()) {
					terminate();
					return;
				}
				if (emitted != 0 && wanted != Long.MAX_VALUE) {
					REQUESTED.addAndGet(this, -emitted);
				}
				missed = WIP.addAndGet(this, -missed);
				if (missed == 0) {
					return;
				}
			}
		}

		private void terminate() {
			Throwable failure = this.error;
			if (failure != null) {
				this.actual.onError(failure);
			}
			else {
				this.actual.onComplete();
			}
		}

	}

}

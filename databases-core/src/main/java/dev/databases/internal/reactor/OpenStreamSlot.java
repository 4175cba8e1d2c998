package dev.databases.internal.reactor;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one stream open on a connection whose driver cannot send another statement before
 * the open result has been read to its end. Statements meant for the connection ask here
 * first; while a stream is open, it reads the rest of its result ahead and they go after.
 */
public final class OpenStreamSlot {

	private volatile OpenStream.@Nullable ReadAhead<?> open;

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<OpenStreamSlot, OpenStream.ReadAhead> OPEN = AtomicReferenceFieldUpdater
		.newUpdater(OpenStreamSlot.class, OpenStream.ReadAhead.class, "open");

	/**
	 * {@code rows} as a stream that takes this slot while the driver reads them.
	 * @param rows the rows as the driver reads them
	 * @param whenRead run once the driver has finished with the result, or {@code null}
	 * @param <T> the row type
	 * @return the rows, each given once, in order
	 */
	public <T> Flux<T> open(Flux<T> rows, @Nullable Runnable whenRead) {
		return new OpenStream<>(rows, this, whenRead);
	}

	/**
	 * What to wait for before a statement goes to the driver.
	 * @return {@code null} when no stream is open, else completion once the open one has
	 * been read to its end, after which the caller asks again
	 */
	public @Nullable Mono<Void> pending() {
		OpenStream.ReadAhead<?> stream = this.open;
		return (stream != null) ? stream.readAhead() : null;
	}

	/**
	 * {@code work}, sent once the stream open now, if any, has been read to its end: for
	 * the statements (transaction control) that go to the driver directly.
	 * @param work makes the statement's publisher
	 * @return the statement's completion
	 */
	public Mono<Void> after(Supplier<? extends Publisher<Void>> work) {
		return Mono.defer(() -> {
			Mono<Void> before = pending();
			return (before != null) ? before.then(after(work)) : Mono.from(work.get());
		});
	}

	/** Has the open stream, if any, read the rest of its result ahead, for someone who waits. */
	public void readAhead() {
		pending();
	}

	/**
	 * Make {@code stream} the open one.
	 * @return {@code null} when it is, else completion once the stream open now has been
	 * read to its end, after which the caller tries again
	 */
	@Nullable Mono<Void> openedBy(OpenStream.ReadAhead<?> stream) {
		for (;;) {
			OpenStream.ReadAhead<?> current = this.open;
			if (current != null) {
				return current.readAhead();
			}
			if (OPEN.compareAndSet(this, null, stream)) {
				return null;
			}
		}
	}

	/** {@code stream}'s result has been read to its end (or given up): the driver is free for others. */
	void closed(OpenStream.ReadAhead<?> stream) {
		OPEN.compareAndSet(this, stream, null);
	}

}

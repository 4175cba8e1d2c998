package dev.databases.sqlite;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.NonBlocking;
import reactor.util.context.Context;

/**
 * Runs the JDBC calls of one connection one at a time, in submission order, so sqlite-jdbc
 * is only ever used by a single thread at a time.
 * <p>
 * The connection owns a thread, as aiosqlite gives each connection one, and work that may
 * wait for SQLite runs there so that no caller's thread waits. Work that cannot wait (a
 * read, with SQLite's busy handler off) runs on the caller's thread instead when the
 * connection is idle and the caller's thread is not shared by many callers (an event loop
 * or Reactor's parallel scheduler: Reactor's {@code NonBlocking} threads). Handing each
 * call to the thread and its result back cost two park/unpark rounds: on a 2-vCPU VM a
 * single-row query behind r2dbc-pool (benchmark W4) took 46 us of CPU against 6.5 us for
 * plain sqlite-jdbc, and 12 us once run inline (17,700 to 86,600 queries/s). Whoever holds the connection, the
 * caller or the thread, holds it alone: a task submitted meanwhile is queued, and the
 * thread runs the queue in order once the holder lets go.
 *
 * @author databases
 */
final class SqliteWorker {

	// tasks for the thread, in submission order; a declined inline task goes first
	private final ConcurrentLinkedDeque<Task> queue = new ConcurrentLinkedDeque<>();

	// the queued tasks, plus one while a caller holds the connection: 0 means idle
	private final AtomicInteger wip = new AtomicInteger();

	private final ThreadPoolExecutor executor;

	private final Supplier<Throwable> closed;

	private final Runnable drain = this::drain;

	private volatile boolean shutdown;

	SqliteWorker(String threadName, Supplier<Throwable> closed) {
		this.closed = closed;
		this.executor = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> new WorkerThread(runnable, threadName));
	}

	/**
	 * Run a task on the connection thread and emit its result there, once the connection
	 * is let go of if nothing else is queued, so that the subscriber's next call may run
	 * on its own thread. A task still queued when its subscriber cancels does not run.
	 * @param <T> the result type
	 * @param task the task; {@code null} completes empty
	 * @return a {@link Mono} that runs the task on subscription
	 */
	<T> Mono<T> submit(Callable<T> task) {
		return Mono.create((sink) -> {
			if (!enqueue(queued(sink, task))) {
				sink.error(this.closed.get());
			}
		});
	}

	/**
	 * Run a task on the caller's thread if the connection is idle, emitting its result
	 * once the connection is let go of, so that a subscriber may use the connection again
	 * from {@code onNext}; otherwise, or if the inline form throws {@link Declined}, run
	 * it as {@link #submit(Callable)} does.
	 * @param <T> the result type
	 * @param inline the task as run on the caller's thread: it must not wait for SQLite
	 * @param task the task as run on the connection thread
	 * @return a {@link Mono} that runs the task on subscription
	 */
	<T> Mono<T> submitInline(Callable<T> inline, Callable<T> task) {
		return Mono.create((sink) -> {
			Outcome<T> outcome = tryInline(inline);
			if (outcome == null) {
				sink.error(this.closed.get());
			}
			else if (outcome == Outcome.BUSY || outcome == Outcome.DECLINED) {
				Task queued = queued(sink, task);
				boolean accepted = (outcome == Outcome.DECLINED) ? handOverFirst(queued) : enqueue(queued);
				if (!accepted) {
					sink.error(this.closed.get());
				}
			}
			else if (outcome.failure != null) {
				sink.error(outcome.failure);
			}
			else if (outcome.value != null) {
				sink.success(outcome.value);
			}
			else {
				sink.success();
			}
		});
	}

	/**
	 * Run a task on the caller's thread if the connection is idle, else queue it for the
	 * connection thread.
	 * @param task the task; it must not wait for SQLite
	 * @return {@code false} when the connection has been shut down
	 */
	boolean executeInline(Runnable task) {
		Outcome<Object> outcome = tryInline(() -> {
			task.run();
			return null;
		});
		if (outcome == null) {
			return false;
		}
		if (outcome == Outcome.BUSY) {
			return execute(task);
		}
		if (outcome == Outcome.DECLINED) {
			return handOverFirst(() -> {
				task.run();
				return null;
			});
		}
		if (outcome.failure != null) {
			Operators.onErrorDropped(outcome.failure, Context.empty());
		}
		return true;
	}

	/**
	 * Run a task on the caller's thread while holding the connection, if it is idle.
	 * A task that throws {@link Declined} leaves the connection held, for
	 * {@link #handOverFirst(Runnable)}.
	 * @param <T> the result type
	 * @param task the task
	 * @return its outcome, {@link Outcome#BUSY} if the connection was not idle,
	 * {@link Outcome#DECLINED}, or {@code null} if it has been shut down
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable Outcome<T> tryInline(Callable<T> task) {
		if (this.shutdown) {
			return null;
		}
		if (onSharedNonBlockingThread() || !this.wip.compareAndSet(0, 1)) {
			return (Outcome<T>) Outcome.BUSY;
		}
		Outcome<T> outcome;
		try {
			if (this.shutdown) {
				// shut down while this thread was taking the connection
				outcome = null;
			}
			else {
				outcome = new Outcome<>(task.call(), null);
			}
		}
		catch (Declined ex) {
			return (Outcome<T>) Outcome.DECLINED;
		}
		catch (Throwable ex) {
			outcome = new Outcome<>(null, ex);
		}
		letGo();
		return outcome;
	}

	/**
	 * Queue a task for the connection thread.
	 * @param task the task
	 * @return {@code false} when the thread has been shut down
	 */
	boolean execute(Runnable task) {
		return enqueue(() -> {
			task.run();
			return null;
		});
	}

	/**
	 * Queue a task for the connection thread.
	 * @param task the task
	 * @return {@code false} when the thread has been shut down
	 */
	boolean enqueue(Task task) {
		if (this.shutdown) {
			return false;
		}
		this.queue.offerLast(task);
		if (this.wip.getAndIncrement() == 0) {
			startThread();
		}
		return true;
	}

	/**
	 * Give the connection, held after a task declined to run inline, to the thread, with
	 * the declined task ahead of everything queued meanwhile.
	 * @param task the task to run first
	 * @return {@code true}: a held connection is drained even when shut down meanwhile
	 */
	boolean handOverFirst(Task task) {
		// the held count passes to the task, so the thread drains it first
		this.queue.offerFirst(task);
		startThread();
		return true;
	}

	private void letGo() {
		if (this.wip.decrementAndGet() != 0) {
			// tasks were queued meanwhile: they run in order on the thread
			startThread();
		}
	}

	private void startThread() {
		try {
			this.executor.execute(this.drain);
		}
		catch (RejectedExecutionException ex) {
			// shut down: what is left only fails against the closed connection
			drain();
		}
	}

	private void drain() {
		for (;;) {
			Task task = this.queue.pollFirst();
			Runnable then = null;
			if (task != null) {
				try {
					then = task.run();
				}
				catch (Throwable ex) {
					Operators.onErrorDropped(ex, Context.empty());
				}
			}
			// Let go before emitting when nothing else is queued: a subscriber that calls
			// again from onNext, or a caller woken by it, then finds the connection idle and
			// runs on its own thread instead of staying on this one for good.
			boolean idle = this.wip.decrementAndGet() == 0;
			if (then != null) {
				try {
					then.run();
				}
				catch (Throwable ex) {
					// a subscriber threw from onNext; keep the thread for the rest of the queue
					Operators.onErrorDropped(ex, Context.empty());
				}
			}
			if (idle) {
				return;
			}
		}
	}

	private static <T> Task queued(MonoSink<T> sink, Callable<T> task) {
		AtomicBoolean cancelled = new AtomicBoolean();
		sink.onCancel(() -> cancelled.set(true));
		return () -> {
			if (cancelled.get()) {
				return null;
			}
			T value;
			try {
				value = task.call();
			}
			catch (Throwable ex) {
				return () -> sink.error(ex);
			}
			return (value != null) ? () -> sink.success(value) : sink::success;
		};
	}

	/**
	 * Refuse new work; what is queued still runs, and the thread then ends.
	 */
	void shutdown() {
		this.shutdown = true;
		this.executor.shutdown();
	}

	boolean isShutdown() {
		return this.shutdown;
	}

	/**
	 * Work for the connection thread.
	 */
	@FunctionalInterface
	interface Task {

		/**
		 * Run holding the connection.
		 * @return what to do once the connection is let go of, such as emitting, or
		 * {@code null}
		 */
		@Nullable Runnable run();

	}

	/**
	 * Thrown by an inline task that found it would have to wait for SQLite, before it had
	 * any effect that running it again would repeat: the connection thread runs it again.
	 */
	static final class Declined extends RuntimeException {

		Declined(Throwable cause) {
			super(null, cause, false, false);
		}

	}

	/**
	 * What an inline task returned or threw.
	 *
	 * @param <T> the result type
	 */
	static final class Outcome<T> {

		static final Outcome<?> BUSY = new Outcome<>(null, null);

		static final Outcome<?> DECLINED = new Outcome<>(null, null);

		final @Nullable T value;

		final @Nullable Throwable failure;

		Outcome(@Nullable T value, @Nullable Throwable failure) {
			this.value = value;
			this.failure = failure;
		}

	}

	/**
	 * A daemon thread that Reactor knows must not block: {@code block()} called on it
	 * fails at once instead of waiting for work queued behind itself.
	 */
	/**
	 * Whether this thread serves many callers and must never run SQLite's work, however
	 * short (an event loop, Reactor's parallel scheduler): a read of a large table would hold
	 * all of them. A connection's own thread may: whoever runs there already holds it.
	 */
	private static boolean onSharedNonBlockingThread() {
		Thread thread = Thread.currentThread();
		return thread instanceof NonBlocking && !(thread instanceof WorkerThread);
	}

	private static final class WorkerThread extends Thread implements NonBlocking {

		WorkerThread(Runnable runnable, String name) {
			super(runnable, name);
			setDaemon(true);
		}

	}

}

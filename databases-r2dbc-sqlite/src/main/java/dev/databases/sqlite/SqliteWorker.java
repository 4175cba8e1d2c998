package dev.databases.sqlite;

import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.NonBlocking;

/**
 * The one thread a connection owns, as aiosqlite gives each connection one. Every JDBC
 * call of the connection runs here, in submission order, so sqlite-jdbc is only ever used
 * from a single thread and no caller's thread waits for SQLite.
 *
 * @author databases
 */
final class SqliteWorker {

	private final ThreadPoolExecutor executor;

	private final Supplier<Throwable> closed;

	SqliteWorker(String threadName, Supplier<Throwable> closed) {
		this.closed = closed;
		this.executor = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> new WorkerThread(runnable, threadName));
	}

	/**
	 * Run a task on the connection thread and emit its result there. A task still queued
	 * when its subscriber cancels does not run.
	 * @param <T> the result type
	 * @param task the task; {@code null} completes empty
	 * @return a {@link Mono} that runs the task on subscription
	 */
	<T> Mono<T> submit(Callable<T> task) {
		return Mono.create((sink) -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			sink.onCancel(() -> cancelled.set(true));
			boolean accepted = execute(() -> {
				if (cancelled.get()) {
					return;
				}
				T value;
				try {
					value = task.call();
				}
				catch (Throwable ex) {
					sink.error(ex);
					return;
				}
				if (value != null) {
					sink.success(value);
				}
				else {
					sink.success();
				}
			});
			if (!accepted) {
				sink.error(this.closed.get());
			}
		});
	}

	/**
	 * Queue a task for the connection thread.
	 * @param task the task
	 * @return {@code false} when the thread has been shut down
	 */
	boolean execute(Runnable task) {
		try {
			this.executor.execute(() -> {
				try {
					task.run();
				}
				catch (Throwable ex) {
					// a subscriber threw from onNext; keep the thread for the rest of the queue
					Operators.onErrorDropped(ex, reactor.util.context.Context.empty());
				}
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * Let the thread end once the queued tasks have run.
	 */
	void shutdown() {
		this.executor.shutdown();
	}

	boolean isShutdown() {
		return this.executor.isShutdown();
	}

	/**
	 * A daemon thread that Reactor knows must not block: {@code block()} called on it
	 * fails at once instead of waiting for work queued behind itself.
	 */
	private static final class WorkerThread extends Thread implements NonBlocking {

		WorkerThread(Runnable runnable, String name) {
			super(runnable, name);
			setDaemon(true);
		}

	}

}

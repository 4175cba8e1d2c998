package dev.databases.boot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import dev.databases.DatabaseListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Warns, naming the caller, about a connection held longer than
 * {@code databases.pool.leak-detection-threshold}, as HikariCP's leak detection does. As
 * one of the {@link dev.databases.Database}'s {@link DatabaseListener}s it watches every
 * connection the Database lends: those of its own work and those Spring borrows through
 * its {@code ConnectionFactory} bean.
 * <p>
 * The caller's stack is captured only when a threshold is set, since a stack trace is not
 * free; the check is a task on a Reactor scheduler that a timely release cancels. The
 * Database tells its listener only once the connection is handed over: on the caller's
 * thread when the pool had one idle, so the warning names the caller, but on a driver
 * thread when it had to open one or the caller waited, and then the warning says that no
 * application frame was on the stack.
 */
final class ConnectionLeakDetector implements DatabaseListener {

	private static final Log logger = LogFactory.getLog(ConnectionLeakDetector.class);

	/** Frames from these packages are plumbing, not the caller a leak warning should name. */
	private static final List<String> PLUMBING = List.of("java.", "javax.", "jdk.", "sun.", "kotlin.", "kotlinx.",
			"reactor.", "io.r2dbc.", "io.netty.", "io.micrometer.", "org.springframework.", "org.reactivestreams.",
			"dev.databases.", "org.junit.", "org.apache.maven.", "com.sun.", "org.h2.", "org.postgresql.",
			"io.asyncer.", "org.mariadb.");

	private final @Nullable Duration threshold;

	private final Scheduler scheduler;

	private final BiConsumer<String, Throwable> reporter;

	/** Set for a force-rollback Database, whose one connection is held on purpose for its life. */
	private volatile boolean disabled;

	/**
	 * Create a detector that logs its warnings.
	 * @param threshold how long a connection may be held; {@code null}, zero or negative
	 * switches the detector off
	 */
	ConnectionLeakDetector(@Nullable Duration threshold) {
		this(threshold, Schedulers.parallel(), logger::warn);
	}

	ConnectionLeakDetector(@Nullable Duration threshold, Scheduler scheduler, BiConsumer<String, Throwable> reporter) {
		this.threshold = (threshold != null && !threshold.isZero() && !threshold.isNegative()) ? threshold : null;
		this.scheduler = scheduler;
		this.reporter = reporter;
	}

	boolean isEnabled() {
		return this.threshold != null && !this.disabled;
	}

	/** Stop watching: the connections from now on are held on purpose. */
	void disable() {
		this.disabled = true;
	}

	/**
	 * Start the clock on a connection just lent, capturing where it was asked for.
	 * @return the lease, {@link Lease#release released} when the connection comes back, or
	 * {@code null} when the detector is off
	 */
	@Override
	public @Nullable Object connectionAcquired(Duration waited) {
		return isEnabled() ? new Lease(new AcquiredAt()) : null;
	}

	@Override
	public void connectionReleased(@Nullable Object context, Duration held) {
		if (context instanceof Lease lease) {
			lease.release(held);
		}
	}

	@Override
	public String toString() {
		return "ConnectionLeakDetector[" + this.threshold + "]";
	}

	/** Where a connection was asked for: the stack, thread and first application frame. */
	static final class AcquiredAt extends Exception {

		private static final long serialVersionUID = 1L;

		private final String thread;

		AcquiredAt() {
			super("Connection acquired here");
			this.thread = Thread.currentThread().getName();
		}

		String caller() {
			for (StackTraceElement frame : getStackTrace()) {
				String type = frame.getClassName();
				if (PLUMBING.stream().noneMatch(type::startsWith)) {
					return frame.toString();
				}
			}
			return "an unknown caller (no application frame on the stack; see the trace)";
		}

		String thread() {
			return this.thread;
		}

	}

	/** One lent connection: its pending leak check, cancelled by a timely release. */
	final class Lease {

		private final AtomicBoolean released = new AtomicBoolean();

		private final AcquiredAt acquiredAt;

		private final @Nullable Disposable check;

		private volatile boolean reported;

		Lease(AcquiredAt acquiredAt) {
			this.acquiredAt = acquiredAt;
			Duration threshold = ConnectionLeakDetector.this.threshold;
			this.check = (threshold != null) ? ConnectionLeakDetector.this.scheduler.schedule(this::report,
					threshold.toNanos(), TimeUnit.NANOSECONDS) : null;
		}

		private void report() {
			AcquiredAt at = this.acquiredAt;
			if (this.released.get() || ConnectionLeakDetector.this.disabled) {
				return;
			}
			this.reported = true;
			ConnectionLeakDetector.this.reporter.accept("Possible connection leak: a connection acquired by "
					+ at.caller() + " on thread " + at.thread() + " has been held for more than "
					+ ConnectionLeakDetector.this.threshold
					+ " (databases.pool.leak-detection-threshold) and is not yet released", at);
		}

		/**
		 * The connection came back: cancel the check, and say so if it was reported.
		 * @param held how long it was held
		 */
		void release(Duration held) {
			if (!this.released.compareAndSet(false, true)) {
				return;
			}
			if (this.check != null) {
				this.check.dispose();
			}
			if (this.reported) {
				logger.info("The connection reported as a possible leak was released after " + held);
			}
		}

	}

}

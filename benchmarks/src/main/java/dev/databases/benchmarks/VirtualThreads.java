package dev.databases.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads for {@code jdbc-vt}, looked up reflectively: the module is compiled for
 * Java 17, which has none, so that the normal build stays on Java 17; the benchmark JVM
 * must be Java 21 or later ({@code BENCH_JAVA=.../bin/java benchmarks/run}). Java 24+
 * (JEP 491) no longer pins a virtual thread that blocks inside {@code synchronized}, as
 * pgjdbc and HikariCP do in places, so measure it on Java 25.
 */
final class VirtualThreads {

	private VirtualThreads() {
	}

	/** Whether this JVM has virtual threads (final from Java 21 on). */
	static boolean available() {
		return Runtime.version().feature() >= 21;
	}

	/** {@code Executors.newVirtualThreadPerTaskExecutor()}: a new virtual thread per task. */
	static ExecutorService perTaskExecutor() {
		if (!available()) {
			throw new UnsupportedOperationException("jdbc-vt runs W5 on virtual threads, which need Java 21 or "
					+ "later, but this JVM is Java " + Runtime.version() + " (" + System.getProperty("java.home")
					+ "): run it with BENCH_JAVA=/path/to/jdk-25/bin/java benchmarks/run ...");
		}
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot create a virtual-thread executor on Java " + Runtime.version(), ex);
		}
	}

}

package dev.databases.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler for the figures WORKLOADS.md asks beside ops/s: the peak RSS of the
 * benchmark's process ({@code VmHWM}) and the largest heap still in use after a garbage
 * collection (the live set plus what survived by chance), which grows with the rows held
 * at once. It also reports the CPU time the whole process spends per operation, every
 * thread included (event loops, pool, GC): unlike ops/s it hardly moves when other
 * processes compete for the two cores, so it tells a client's own cost apart from noise.
 *
 * @since 0.1.0
 */
public final class ResourceProfiler implements InternalProfiler, NotificationListener {

	private final AtomicLong liveMax = new AtomicLong();

	private final Set<String> heapPools = new HashSet<>();

	private boolean listening;

	private long cpuAtStart;

	@Override
	public String getDescription() {
		return "Process CPU per op, peak RSS, and largest heap in use after a GC";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		if (!this.listening) {
			for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
				if (pool.getType() == MemoryType.HEAP) {
					this.heapPools.add(pool.getName());
				}
			}
			for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
				if (collector instanceof NotificationEmitter emitter) {
					emitter.addNotificationListener(this, null, null);
				}
			}
			this.listening = true;
		}
		this.cpuAtStart = processCpuNanos();
	}

	private static long processCpuNanos() {
		return (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
				? os.getProcessCpuTime() : -1;
	}

	@Override
	public void handleNotification(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long used = 0;
		for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
			if (this.heapPools.contains(pool.getKey())) {
				used += pool.getValue().getUsed();
			}
		}
		this.liveMax.accumulateAndGet(used, Math::max);
	}

	@Override
	public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
			IterationParams iterationParams, IterationResult result) {
		long cpu = processCpuNanos() - this.cpuAtStart;
		long ops = result.getMetadata().getMeasuredOps();
		double cpuPerOp = (ops > 0 && this.cpuAtStart >= 0) ? cpu / 1000.0 / ops : Double.NaN;
		return List.of(new ScalarResult("cpu.us.op", cpuPerOp, "us/op", AggregationPolicy.AVG),
				new ScalarResult("mem.rss.peak", peakRssMegabytes(), "MB", AggregationPolicy.MAX),
				new ScalarResult("mem.heap.live.max", this.liveMax.get() / (1024.0 * 1024.0), "MB",
						AggregationPolicy.MAX));
	}

	private static double peakRssMegabytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: no figure
		}
		return Double.NaN;
	}

}

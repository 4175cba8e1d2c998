package dev.databases.benchmarks;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the workloads through JMH and prints the table of ops/s with the ratios of this
 * library to each other system (the raw driver, Spring's DatabaseClient, JDBC, Vert.x), then the issue's
 * targets, met or not. Pairs of a system and a backend that the system does not run on
 * ({@link Subject#supports}: Vert.x on H2 and SQLite) are left out, and so is {@code jdbc-vt}
 * from the default systems on a JVM without virtual threads. {@code BENCH_JAVA}, when set,
 * is the {@code java} of the forks ({@code benchmarks/run} starts this class with it too).
 * <pre>
 * Main [--quick] [--gc] [--jfr] [--heap] [--backends=postgresql,h2] [--systems=databases,r2dbc]
 *      [--warmup=12x2s] [--measure=3x2s] [--json=file] [W1 W3 ...]
 * </pre>
 *
 * @since 0.1.0
 */
public final class Main {

	private static final String[] WORKLOADS = { "W1InsertOne", "W2ExecuteMany", "W3FetchAll", "W4FetchOne",
			"W5FetchOneConcurrent", "W6Iterate", "W7NestedTransaction" };

	private static final String[] SYSTEMS = { "databases", "r2dbc", "dbclient", "jdbc", "vertx", "jdbc-vt" };

	private static final String[] BACKENDS = { "postgresql", "mariadb", "h2", "sqlite" };

	private Main() {
	}

	/**
	 * Run the benchmarks the arguments select.
	 * @param args see the class description
	 * @throws RunnerException if JMH fails
	 */
	public static void main(String[] args) throws RunnerException {
		boolean quick = false;
		boolean gc = false;
		boolean jfr = false;
		boolean heap = false;
		String[] backends = BACKENDS;
		String[] systems = SYSTEMS;
		// 24 s of warm-up: on one pinned core the JIT shares the core with the load, and the
		// reactive systems (raw driver and databases alike) were still speeding up 15-20 s in
		// (W5 on PostgreSQL from 2,700 to 24,000 fetches/s), while JDBC was steady after 2 s;
		// measured rounds inside that climb made ratios swing by 40-185 % between runs.
		String warmup = "12x2s";
		String measure = "3x2s";
		boolean warmupGiven = false;
		boolean measureGiven = false;
		String json = "benchmarks/target/jmh-result.json";
		List<String> workloads = new ArrayList<>();
		for (String arg : args) {
			if (arg.equals("--quick")) {
				quick = true;
			}
			else if (arg.equals("--gc")) {
				gc = true;
			}
			else if (arg.equals("--jfr")) {
				jfr = true;
			}
			else if (arg.equals("--heap")) {
				heap = true;
			}
			else if (arg.startsWith("--backends=")) {
				backends = values(arg);
			}
			else if (arg.startsWith("--systems=")) {
				systems = values(arg);
			}
			else if (arg.startsWith("--warmup=")) {
				warmup = arg.substring(arg.indexOf('=') + 1);
				warmupGiven = true;
			}
			else if (arg.startsWith("--measure=")) {
				measure = arg.substring(arg.indexOf('=') + 1);
				measureGiven = true;
			}
			else if (arg.startsWith("--json=")) {
				json = arg.substring(arg.indexOf('=') + 1);
			}
			else if (arg.matches("(?i)W[1-7]")) {
				workloads.add(WORKLOADS[arg.charAt(1) - '1']);
			}
			else {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'; see the Javadoc of " + Main.class);
			}
		}
		if (heap) {
			workloads = List.of("W6Iterate");
			if (backends == BACKENDS) {
				// An H2 in-memory database lives in the heap being measured.
				backends = new String[] { "postgresql", "mariadb", "sqlite" };
			}
			if (!warmupGiven) {
				warmup = "1x1s";
			}
			if (!measureGiven) {
				measure = "2x1s";
			}
		}
		if (workloads.isEmpty()) {
			workloads = Arrays.asList(WORKLOADS);
		}
		if (quick) {
			warmup = "1x300ms";
			measure = "1x500ms";
		}
		String java = System.getenv("BENCH_JAVA");
		if (!VirtualThreads.available() && Arrays.asList(systems).contains("jdbc-vt")) {
			if (systems == SYSTEMS) {
				System.out.println("Leaving out jdbc-vt: this JVM (Java " + Runtime.version()
						+ ") has no virtual threads; set BENCH_JAVA to a Java 21+ java to measure it");
				systems = Arrays.stream(systems).filter((system) -> !system.equals("jdbc-vt")).toArray(String[]::new);
			}
			else if (java == null) {
				throw new IllegalArgumentException("jdbc-vt needs Java 21 or later (virtual threads) and this JVM is Java "
						+ Runtime.version() + ": run it with BENCH_JAVA=/path/to/jdk-25/bin/java benchmarks/run ...");
			}
		}
		new File(json).getAbsoluteFile().getParentFile().mkdirs();
		ChainedOptionsBuilder options = new OptionsBuilder()
			.forks(1)
			.warmupIterations(count(warmup))
			.warmupTime(time(warmup))
			.measurementIterations(count(measure))
			.measurementTime(time(measure))
			.addProfiler(ResourceProfiler.class)
			.shouldFailOnError(true);
		if (java != null) {
			options.jvm(java);
		}
		for (String workload : workloads) {
			options.include(Main.class.getPackageName() + "." + workload + ".");
		}
		if (quick) {
			options.param("rows", "2000");
		}
		if (heap) {
			// Twice the heap a materialised 200,000 rows would need is less than 1,000,000 rows need.
			options.param("rows", "200000", "1000000").jvmArgsAppend("-Xms64m", "-Xmx64m", "-XX:+UseG1GC");
		}
		if (gc) {
			options.addProfiler(GCProfiler.class);
		}
		if (jfr) {
			options.addProfiler("jfr", "dir=benchmarks/target/jfr;configName=profile;stackDepth=512");
		}
		Options common = options.build();
		// JMH runs every backend with every system: one run per set of backends that share their systems.
		Map<List<String>, List<String>> runs = new LinkedHashMap<>();
		for (String backend : backends) {
			List<String> supported = new ArrayList<>();
			for (String system : systems) {
				if (Subject.supports(system, backend)) {
					supported.add(system);
				}
				else {
					System.out.println("Leaving out " + system + " on " + backend + ": it does not run there");
				}
			}
			if (!supported.isEmpty()) {
				runs.computeIfAbsent(supported, (k) -> new ArrayList<>()).add(backend);
			}
		}
		if (runs.isEmpty()) {
			throw new IllegalArgumentException("None of the systems " + Arrays.toString(systems)
					+ " runs on the backends " + Arrays.toString(backends));
		}
		List<RunResult> results = new ArrayList<>();
		for (Map.Entry<List<String>, List<String>> run : runs.entrySet()) {
			results.addAll(new Runner(new OptionsBuilder().parent(common)
				.param("backend", run.getValue().toArray(String[]::new))
				.param("system", run.getKey().toArray(String[]::new))
				.build()).run());
		}
		// One JSON file for all the runs, as JMH writes it for one.
		ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
		System.out.println();
		System.out.println(report(results, gc));
	}

	private static String[] values(String arg) {
		return arg.substring(arg.indexOf('=') + 1).split(",");
	}

	private static int count(String spec) {
		return Integer.parseInt(spec.substring(0, spec.indexOf('x')));
	}

	private static TimeValue time(String spec) {
		return TimeValue.fromString(spec.substring(spec.indexOf('x') + 1));
	}

	// The report

	/** One measured (workload, backend, system): the median ops/s and the secondary figures. */
	private record Cell(double opsPerSecond, double allocPerOp, double cpuPerOp, double rssMb, double liveHeapMb, int rows) {
	}

	static String report(Collection<RunResult> results, boolean gc) {
		// workload -> backend -> system -> cell
		Map<String, Map<String, Map<String, Cell>>> table = new TreeMap<>();
		for (RunResult result : results) {
			BenchmarkParams params = result.getParams();
			String benchmark = params.getBenchmark();
			String workload = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1,
					benchmark.lastIndexOf('.'));
			String id = workload.substring(0, 2);
			String rowsParam = params.getParam("rows");
			int rows = (rowsParam != null) ? Integer.parseInt(rowsParam) : 1;
			double median = median(result);
			// W2 and W3 count rows, not calls (WORKLOADS.md).
			boolean perRow = id.equals("W2") || id.equals("W3");
			double ops = perRow ? median * rows : median;
			double alloc = secondary(result, "gc.alloc.rate.norm");
			double cpu = secondary(result, "cpu.us.op");
			if (perRow) {
				alloc = alloc / rows;
				cpu = cpu / rows;
			}
			// W6 keeps its size apart: the heap run compares two sizes.
			String key = (id.equals("W6") && rows != 200000) ? id + " rows=" + rows : id;
			table.computeIfAbsent(key, (k) -> new TreeMap<>(Main::compareBackends))
				.computeIfAbsent(params.getParam("backend"), (k) -> new LinkedHashMap<>())
				.put(params.getParam("system"), new Cell(ops, alloc, cpu, secondary(result, "mem.rss.peak"),
						secondary(result, "mem.heap.live.max"), rows));
		}
		// Columns: the four systems, then any diagnostic one, in the order they were measured.
		List<String> columns = new ArrayList<>(Arrays.asList(SYSTEMS));
		for (RunResult result : results) {
			String system = result.getParams().getParam("system");
			if (!columns.contains(system)) {
				columns.add(system);
			}
		}
		columns.removeIf((system) -> table.values()
			.stream()
			.flatMap((byBackend) -> byBackend.values().stream())
			.noneMatch((bySystem) -> bySystem.containsKey(system)));
		List<String> baselines = new ArrayList<>(columns);
		baselines.remove("databases");
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "Median ops/s (rows/s for W2 and W3); ratios are databases / system%n"));
		out.append(String.format(Locale.ROOT, "%-16s %-10s", "workload", "backend"));
		columns.forEach((system) -> out.append(String.format(Locale.ROOT, " %12s", system)));
		baselines.forEach((system) -> out.append(String.format(Locale.ROOT, " %9s", "/" + system)));
		out.append(System.lineSeparator());
		table.forEach((workload, byBackend) -> byBackend.forEach((backend, bySystem) -> {
			out.append(String.format(Locale.ROOT, "%-16s %-10s", workload, backend));
			columns.forEach((system) -> out.append(String.format(Locale.ROOT, " %12s", ops(bySystem, system))));
			baselines.forEach((system) -> out.append(String.format(Locale.ROOT, " %9s", ratio(bySystem, system))));
			out.append(System.lineSeparator());
		}));
		out.append(String.format(Locale.ROOT,
				"%nProcess CPU microseconds per op (per row for W2 and W3), all threads; ratios are system / databases%n"));
		out.append(String.format(Locale.ROOT, "%-16s %-10s", "workload", "backend"));
		columns.forEach((system) -> out.append(String.format(Locale.ROOT, " %12s", system)));
		baselines.forEach((system) -> out.append(String.format(Locale.ROOT, " %9s", system + "/")));
		out.append(System.lineSeparator());
		table.forEach((workload, byBackend) -> byBackend.forEach((backend, bySystem) -> {
			out.append(String.format(Locale.ROOT, "%-16s %-10s", workload, backend));
			columns.forEach((system) -> out.append(String.format(Locale.ROOT, " %12s", cpu(bySystem, system))));
			baselines.forEach((system) -> out.append(String.format(Locale.ROOT, " %9s", cpuRatio(bySystem, system))));
			out.append(System.lineSeparator());
		}));
		out.append(String.format(Locale.ROOT, "%nMemory: peak RSS MB / largest heap in use after a GC MB%n"));
		out.append(String.format(Locale.ROOT, "%-16s %-10s", "workload", "backend"));
		columns.forEach((system) -> out.append(String.format(Locale.ROOT, " %14s", system)));
		out.append(System.lineSeparator());
		table.forEach((workload, byBackend) -> byBackend.forEach((backend, bySystem) -> {
			out.append(String.format(Locale.ROOT, "%-16s %-10s", workload, backend));
			columns.forEach((system) -> out.append(String.format(Locale.ROOT, " %14s", memory(bySystem, system))));
			out.append(System.lineSeparator());
		}));
		if (gc) {
			out.append(String.format(Locale.ROOT, "%nAllocation, bytes per op (per row for W2 and W3)%n"));
			out.append(String.format(Locale.ROOT, "%-16s %-10s", "workload", "backend"));
			columns.forEach((system) -> out.append(String.format(Locale.ROOT, " %12s", system)));
			out.append(System.lineSeparator());
			table.forEach((workload, byBackend) -> byBackend.forEach((backend, bySystem) -> {
				out.append(String.format(Locale.ROOT, "%-16s %-10s", workload, backend));
				columns.forEach((system) -> out.append(String.format(Locale.ROOT, " %12s", alloc(bySystem, system))));
				out.append(System.lineSeparator());
			}));
		}
		out.append(String.format(Locale.ROOT, "%nTargets of issue 8 (ratio of databases to the baseline)%n"));
		for (Goal target : GOALS) {
			table.forEach((workload, byBackend) -> byBackend.forEach((backend, bySystem) -> {
				if (!workload.equals(target.workload) && !workload.startsWith(target.workload + " ")) {
					return;
				}
				if (target.backends.length > 0 && !Arrays.asList(target.backends).contains(backend)) {
					return;
				}
				String subject = target.subject;
				Cell ours = bySystem.get(subject);
				Cell base = bySystem.get(target.baseline);
				if (ours == null || base == null) {
					return;
				}
				double ratio = ours.opsPerSecond / base.opsPerSecond;
				out.append(String.format(Locale.ROOT, "%-16s %-10s %-9s vs %-8s >= %4.2f : %6.2f  %s%n", workload,
						backend, subject, target.baseline, target.minimum, ratio,
						(ratio >= target.minimum) ? "met" : "NOT MET"));
			}));
		}
		return out.toString();
	}

	private static int compareBackends(String a, String b) {
		return Integer.compare(Arrays.asList(BACKENDS).indexOf(a), Arrays.asList(BACKENDS).indexOf(b));
	}

	private static double median(RunResult result) {
		List<Double> scores = new ArrayList<>();
		for (BenchmarkResult fork : result.getBenchmarkResults()) {
			for (IterationResult iteration : fork.getIterationResults()) {
				scores.add(iteration.getPrimaryResult().getScore());
			}
		}
		scores.sort(Double::compare);
		int n = scores.size();
		return (n % 2 == 1) ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
	}

	private static double secondary(RunResult result, String label) {
		for (Map.Entry<String, Result> entry : result.getSecondaryResults().entrySet()) {
			if (entry.getKey().endsWith(label)) {
				return entry.getValue().getScore();
			}
		}
		return Double.NaN;
	}

	private static String ops(Map<String, Cell> bySystem, String system) {
		Cell cell = bySystem.get(system);
		if (cell == null) {
			return "-";
		}
		return String.format(Locale.ROOT, (cell.opsPerSecond < 100) ? "%,.2f" : "%,.0f", cell.opsPerSecond);
	}

	private static String ratio(Map<String, Cell> bySystem, String baseline) {
		Cell ours = bySystem.get("databases");
		Cell base = bySystem.get(baseline);
		return (ours != null && base != null)
				? String.format(Locale.ROOT, "%.2f", ours.opsPerSecond / base.opsPerSecond) : "-";
	}

	private static String cpu(Map<String, Cell> bySystem, String system) {
		Cell cell = bySystem.get(system);
		return (cell != null && !Double.isNaN(cell.cpuPerOp)) ? String.format(Locale.ROOT,
				(cell.cpuPerOp < 10) ? "%.2f" : "%,.0f", cell.cpuPerOp) : "-";
	}

	/** CPU per op of {@code baseline} over that of databases: above 1, databases spends less. */
	private static String cpuRatio(Map<String, Cell> bySystem, String baseline) {
		Cell ours = bySystem.get("databases");
		Cell base = bySystem.get(baseline);
		return (ours != null && base != null && !Double.isNaN(ours.cpuPerOp) && !Double.isNaN(base.cpuPerOp))
				? String.format(Locale.ROOT, "%.2f", base.cpuPerOp / ours.cpuPerOp) : "-";
	}

	private static String memory(Map<String, Cell> bySystem, String system) {
		Cell cell = bySystem.get(system);
		if (cell == null) {
			return "-";
		}
		// No collection during the run: nothing to tell the live heap by.
		return String.format(Locale.ROOT, "%.0f / %s", cell.rssMb,
				(cell.liveHeapMb > 0) ? String.format(Locale.ROOT, "%.0f", cell.liveHeapMb) : "no GC");
	}

	private static String alloc(Map<String, Cell> bySystem, String system) {
		Cell cell = bySystem.get(system);
		return (cell != null && !Double.isNaN(cell.allocPerOp)) ? String.format(Locale.ROOT, "%,.0f", cell.allocPerOp)
				: "-";
	}

	/** A target of the issue: {@code subject / baseline >= minimum} on the backends listed (all when none). */
	private record Goal(String workload, String subject, String baseline, double minimum, String... backends) {
	}

	private static final List<Goal> GOALS = List.of(new Goal("W1", "databases", "r2dbc", 0.90),
			new Goal("W2", "databases", "r2dbc", 5.0, "postgresql", "mariadb"),
			new Goal("W3", "databases", "r2dbc", 0.95), new Goal("W4", "databases", "r2dbc", 0.95),
			new Goal("W5", "databases", "r2dbc", 1.0, "postgresql"),
			new Goal("W5", "databases", "r2dbc", 1.5, "mariadb"),
			new Goal("W6", "databases", "r2dbc", 0.95), new Goal("W7", "databases", "r2dbc", 0.90),
			new Goal("W1", "databases", "dbclient", 1.0), new Goal("W2", "databases", "dbclient", 1.0),
			new Goal("W3", "databases", "dbclient", 1.0), new Goal("W4", "databases", "dbclient", 1.0),
			new Goal("W5", "databases", "dbclient", 1.0), new Goal("W6", "databases", "dbclient", 1.0),
			new Goal("W7", "databases", "dbclient", 1.0),
			new Goal("W2", "databases", "jdbc", 1.0, "postgresql"),
			new Goal("W5", "databases", "jdbc", 1.0, "postgresql"),
			new Goal("W3", "r2dbc", "jdbc", 0.8, "sqlite"), new Goal("W4", "r2dbc", "jdbc", 0.8, "sqlite"));

}

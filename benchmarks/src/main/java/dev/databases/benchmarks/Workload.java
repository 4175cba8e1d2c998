package dev.databases.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every workload shares: the backend and system parameters, the table prepared over
 * JDBC before the system under measurement connects, and the system itself. The defaults
 * here are the full run's; {@code Main} sets them for quick runs.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m", "-XX:+UseG1GC" })
@Warmup(iterations = 12, time = 2)
@Measurement(iterations = 3, time = 2)
public abstract class Workload {

	/** The database: postgresql, mariadb, h2 or sqlite. */
	@Param({ "postgresql", "mariadb", "h2", "sqlite" })
	public String backend;

	/** The system measured: databases, r2dbc (raw driver + r2dbc-pool), dbclient (Spring) or jdbc. */
	@Param({ "databases", "r2dbc", "dbclient", "jdbc" })
	public String system;

	Target target;

	Fixture fixture;

	Subject subject;

	/**
	 * Prepare the table, then connect the system under measurement.
	 */
	@Setup(Level.Trial)
	public void open() {
		this.target = Target.of(this.backend);
		this.fixture = new Fixture(this.target);
		prepare();
		this.subject = Subject.open(this.system, this.target);
		check();
	}

	/**
	 * Disconnect the system, then the fixture.
	 */
	@TearDown(Level.Trial)
	public void close() {
		if (this.subject != null) {
			this.subject.close();
		}
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	/** Create the table this workload starts from. */
	abstract void prepare();

	/** Check once, before measuring, that the system reads what the table holds. */
	void check() {
	}

	static void expect(String what, long expected, long actual) {
		if (expected != actual) {
			throw new IllegalStateException(what + ": expected " + expected + " but was " + actual);
		}
	}

}

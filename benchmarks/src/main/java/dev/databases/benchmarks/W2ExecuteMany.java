package dev.databases.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W2 execute_many: one call inserting {@code rows} rows inside one transaction. Every call
 * starts from an empty table (the emptying is not timed); ops/s of the report count rows.
 *
 * @since 0.1.0
 */
public class W2ExecuteMany extends Workload {

	/** Rows per call. */
	@Param("10000")
	public int rows;

	private Rows.Batch batch;

	@Override
	void prepare() {
		this.fixture.create(0);
		this.batch = new Rows.Batch(this.rows);
	}

	/**
	 * Empty the table before each call; not timed.
	 */
	@Setup(Level.Invocation)
	public void empty() {
		this.fixture.empty();
	}

	/**
	 * Check that the call inserted every row; not timed.
	 */
	@TearDown(Level.Invocation)
	public void verify() {
		expect("rows in the table after " + this.system, this.rows, this.fixture.count());
	}

	/**
	 * Insert the batch.
	 * @return the rows inserted
	 */
	@Benchmark
	public long executeMany() {
		return this.subject.insertMany(this.batch);
	}

}

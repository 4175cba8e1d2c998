package dev.databases.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W7 nested_tx: a transaction that inserts a row, then in a nested transaction (a
 * savepoint) inserts another and rolls it back, then commits. Each iteration ends by
 * checking that exactly the outer rows were kept.
 *
 * @since 0.1.0
 */
public class W7NestedTransaction extends Workload {

	private long calls;

	@Override
	void prepare() {
		this.fixture.create(0);
	}

	/**
	 * Empty the table.
	 */
	@Setup(Level.Iteration)
	public void empty() {
		this.fixture.empty();
		this.calls = 0;
	}

	/**
	 * Check that the outer rows were kept and the inner ones rolled back.
	 */
	@TearDown(Level.Iteration)
	public void verify() {
		expect("rows kept by " + this.system, this.calls, this.fixture.count());
		expect("rows rolled back by " + this.system + " but found", 0, this.fixture.count("rolled back"));
	}

	/**
	 * Run the nested transaction.
	 */
	@Benchmark
	public void nestedTransaction() {
		this.calls++;
		this.subject.nestedTransaction("kept", "rolled back");
	}

}

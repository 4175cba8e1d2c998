package dev.databases.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W1 insert_one: {@code INSERT INTO notes(text, completed) VALUES (:text, :completed)}, one
 * autocommitted call at a time. Each iteration starts from an empty table and ends by
 * checking that every call inserted its row.
 *
 * @since 0.1.0
 */
public class W1InsertOne extends Workload {

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
	 * Check that every call inserted its row.
	 */
	@TearDown(Level.Iteration)
	public void verify() {
		expect("rows inserted by " + this.system, this.calls, this.fixture.count());
	}

	/**
	 * Insert one row.
	 */
	@Benchmark
	public void insertOne() {
		this.subject.insertOne("note", (this.calls++ & 1) == 0);
	}

}

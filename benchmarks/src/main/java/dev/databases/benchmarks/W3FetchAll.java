package dev.databases.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * W3 fetch_all: {@code SELECT id, text, completed FROM notes} over {@code rows} rows,
 * materialised, each row's three fields read. Ops/s of the report count rows.
 *
 * @since 0.1.0
 */
public class W3FetchAll extends Workload {

	/** Rows in the table. */
	@Param("10000")
	public int rows;

	private long expected;

	@Override
	void prepare() {
		this.fixture.create(this.rows);
		this.expected = this.fixture.checksum();
	}

	@Override
	void check() {
		expect("checksum of every row read by " + this.system, this.expected, this.subject.fetchAll());
	}

	/**
	 * Fetch every row.
	 * @return the checksum of the rows
	 */
	@Benchmark
	public long fetchAll() {
		return this.subject.fetchAll();
	}

}

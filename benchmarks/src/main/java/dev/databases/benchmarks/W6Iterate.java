package dev.databases.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * W6 iterate: stream {@code SELECT ...} over {@code rows} rows without materialising them,
 * counting rows (each row's fields feed a checksum). Run with {@link ResourceProfiler} for the
 * peak RSS and the largest live heap.
 *
 * @since 0.1.0
 */
public class W6Iterate extends Workload {

	/** Rows in the table. */
	@Param("200000")
	public int rows;

	private long expected;

	@Override
	void prepare() {
		this.fixture.create(this.rows);
		this.expected = this.fixture.checksum();
	}

	/**
	 * Stream every row.
	 * @return the number of rows
	 */
	@Benchmark
	public long iterate() {
		long[] checksum = new long[1];
		long count = this.subject.iterate(checksum);
		if (count != this.rows || checksum[0] != this.expected) {
			throw new IllegalStateException(this.system + " streamed " + count + " rows with checksum " + checksum[0]
					+ ", expected " + this.rows + " with " + this.expected);
		}
		return count;
	}

}

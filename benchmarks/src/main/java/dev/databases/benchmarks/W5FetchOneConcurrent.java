package dev.databases.benchmarks;

import java.util.Arrays;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

/**
 * W5 fetch_one_conc: W4 with 16 concurrent workers (in flight at once for the reactive
 * systems, threads for JDBC) on a pool of min = max = 16. One call runs
 * {@value #PER_CALL} fetches; ops/s count fetches.
 *
 * @since 0.1.0
 */
public class W5FetchOneConcurrent extends Workload {

	/** Fetches per call: 100 per worker. */
	static final int PER_CALL = 1600;

	/** Rows in the table. */
	@Param("10000")
	public int rows;

	private int[][] batches;

	private int next;

	private long[] expected;

	@Override
	void prepare() {
		this.fixture.create(this.rows);
		int[] ids = W4FetchOne.randomIds(this.rows, PER_CALL * 16);
		this.batches = new int[16][];
		this.expected = new long[16];
		for (int b = 0; b < 16; b++) {
			this.batches[b] = Arrays.copyOfRange(ids, b * PER_CALL, (b + 1) * PER_CALL);
			for (int id : this.batches[b]) {
				this.expected[b] += Rows.hash(id, Rows.text(id), Rows.completed(id));
			}
		}
	}

	@Override
	void check() {
		expect("checksum of the rows read by " + this.system, this.expected[0],
				this.subject.fetchOneConcurrently(this.batches[0]));
	}

	/**
	 * Fetch {@value #PER_CALL} rows, 16 at a time.
	 * @return the checksum of the rows
	 */
	@Benchmark
	@OperationsPerInvocation(PER_CALL)
	public long fetchOneConcurrently() {
		int batch = this.next;
		this.next = (batch + 1) & 15;
		long sum = this.subject.fetchOneConcurrently(this.batches[batch]);
		if (sum != this.expected[batch]) {
			throw new IllegalStateException("Wrong rows read by " + this.system);
		}
		return sum;
	}

}

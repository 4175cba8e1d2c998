package dev.databases.benchmarks;

import java.util.SplittableRandom;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * W4 fetch_one_seq: {@code SELECT ... WHERE id = :id} for a random id, one call at a time.
 *
 * @since 0.1.0
 */
public class W4FetchOne extends Workload {

	/** Rows in the table. */
	@Param("10000")
	public int rows;

	private int[] ids;

	private int next;

	@Override
	void prepare() {
		this.fixture.create(this.rows);
		this.ids = randomIds(this.rows, 1 << 16);
	}

	@Override
	void check() {
		expect("checksum of row 7 read by " + this.system, Rows.hash(7, Rows.text(7), Rows.completed(7)),
				this.subject.fetchOne(7));
	}

	/** Ids from 1 to {@code rows}, from a fixed seed so that every system reads the same rows. */
	static int[] randomIds(int rows, int count) {
		SplittableRandom random = new SplittableRandom(42);
		int[] ids = new int[count];
		for (int i = 0; i < count; i++) {
			ids[i] = 1 + random.nextInt(rows);
		}
		return ids;
	}

	/**
	 * Fetch one row.
	 * @return the row's checksum
	 */
	@Benchmark
	public long fetchOne() {
		int id = this.ids[this.next];
		this.next = (this.next + 1) & (this.ids.length - 1);
		return this.subject.fetchOne(id);
	}

}

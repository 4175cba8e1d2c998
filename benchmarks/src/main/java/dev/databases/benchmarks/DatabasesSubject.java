package dev.databases.benchmarks;

import java.util.List;
import java.util.Map;

import dev.databases.Database;
import dev.databases.Record;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** This library, used as its README shows: named parameters, Records read by column name. */
final class DatabasesSubject implements Subject {

	private final Database db;

	DatabasesSubject(Target target) {
		this(Database.builder(target.databasesUrl())
			.option("min_size", POOL_SIZE)
			.option("max_size", POOL_SIZE)
			.build());
	}

	/** Connects {@code db}, built by the caller (with a replica, say). */
	DatabasesSubject(Database db) {
		this.db = db;
		this.db.connect().block();
	}

	@Override
	public void insertOne(String text, boolean completed) {
		this.db.execute(INSERT, Map.of("text", text, "completed", completed)).block();
	}

	@Override
	public long insertMany(Rows.Batch batch) {
		Long rows = this.db.transaction((tx) -> this.db.executeMany(INSERT, batch.maps)).block();
		return (rows != null) ? rows : 0;
	}

	@Override
	public long fetchAll() {
		List<Record> records = this.db.fetchAll(SELECT_ALL).block();
		long sum = 0;
		for (Record record : records) {
			sum += hash(record);
		}
		return sum;
	}

	@Override
	public long fetchOne(int id) {
		Record record = this.db.fetchOne(SELECT_ONE, Map.of("id", id)).block();
		return hash(record);
	}

	@Override
	public long fetchOneConcurrently(int[] ids) {
		return Flux.range(0, ids.length)
			.flatMap((i) -> this.db.fetchOne(SELECT_ONE, Map.of("id", ids[i])).map(DatabasesSubject::hash), WORKERS)
			.reduce(0L, Long::sum)
			.block();
	}

	@Override
	public long iterate(long[] checksum) {
		return this.db.iterate(SELECT_ALL).doOnNext((record) -> checksum[0] += hash(record)).count().block();
	}

	@Override
	public void nestedTransaction(String kept, String rolledBack) {
		this.db.transaction((outer) -> this.db.execute(INSERT, Map.of("text", kept, "completed", false))
			.then(this.db.transaction((inner) -> this.db.execute(INSERT, Map.of("text", rolledBack, "completed", true))
				.then(inner.rollback())))
			.then(Mono.just(true))).block();
	}

	private static long hash(Record record) {
		return Rows.hash(record.get("id"), record.get("text"), record.get("completed"));
	}

	@Override
	public void close() {
		this.db.disconnect().block();
	}

}

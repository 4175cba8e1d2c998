package dev.databases.benchmarks;

import java.time.Duration;
import java.util.List;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The raw R2DBC driver behind r2dbc-pool, written as its users write it: the pool with its
 * defaults but for the size, {@code Mono.usingWhen} to give the connection back, the
 * driver's own bind markers bound by index, rows mapped by column name.
 */
final class R2dbcSubject implements Subject {

	private final ConnectionPool pool;

	private final String insert;

	private final String selectOne;

	private final int iterateFetchSize;

	R2dbcSubject(Target target, PoolSettings settings, int iterateFetchSize) {
		this.iterateFetchSize = iterateFetchSize;
		ConnectionPoolConfiguration.Builder pool = ConnectionPoolConfiguration
			.builder(ConnectionFactories.get(target.r2dbcUrl()))
			.initialSize(POOL_SIZE)
			.maxSize(POOL_SIZE);
		if (settings != PoolSettings.DEFAULT) {
			// A diagnostic: the settings databases' Pool gives r2dbc-pool (its defaults), to tell
			// the cost of the pool's configuration from the cost of the library's own code.
			pool.maxIdleTime(Duration.ofMinutes(30))
				.maxLifeTime(Duration.ofMinutes(30))
				.maxCreateConnectionTime(Duration.ofSeconds(10))
				.validationDepth(ValidationDepth.LOCAL);
			if (settings != PoolSettings.CORE_WITHOUT_ACQUIRE_TIMEOUT) {
				pool.maxAcquireTime(Duration.ofSeconds(30));
			}
			if (settings != PoolSettings.CORE_WITHOUT_VALIDATION_TIMEOUT) {
				pool.maxValidationTime(Duration.ofSeconds(10));
			}
		}
		this.pool = new ConnectionPool(pool.build());
		this.pool.warmup().block();
		this.insert = "INSERT INTO " + Target.TABLE + " (text, completed) VALUES (" + target.marker(0) + ", "
				+ target.marker(1) + ")";
		this.selectOne = SELECT_ALL + " WHERE id = " + target.marker(0);
	}

	private static Rows.Note note(Row row, RowMetadata metadata) {
		return new Rows.Note(row.get("id", Integer.class), row.get("text", String.class),
				row.get("completed", Boolean.class));
	}

	@Override
	public void insertOne(String text, boolean completed) {
		Mono.usingWhen(this.pool.create(),
				(connection) -> Flux.from(connection.createStatement(this.insert).bind(0, text).bind(1, completed).execute())
					.concatMap(Result::getRowsUpdated)
					.then(),
				Connection::close)
			.block();
	}

	@Override
	public long insertMany(Rows.Batch batch) {
		return Mono.usingWhen(this.pool.create(), (connection) -> {
			Statement statement = connection.createStatement(this.insert);
			List<Rows.Note> notes = batch.notes;
			for (int i = 0; i < notes.size(); i++) {
				if (i > 0) {
					statement.add();
				}
				statement.bind(0, notes.get(i).text()).bind(1, notes.get(i).completed());
			}
			return Mono.from(connection.beginTransaction())
				.then(Flux.from(statement.execute()).concatMap(Result::getRowsUpdated).reduce(0L, Long::sum))
				.flatMap((rows) -> Mono.from(connection.commitTransaction()).thenReturn(rows))
				.onErrorResume((error) -> Mono.from(connection.rollbackTransaction()).then(Mono.error(error)));
		}, Connection::close).block();
	}

	@Override
	public long fetchAll() {
		List<Rows.Note> notes = Mono.usingWhen(this.pool.create(),
				(connection) -> Flux.from(connection.createStatement(SELECT_ALL).execute())
					.concatMap((result) -> result.map(R2dbcSubject::note))
					.collectList(),
				Connection::close)
			.block();
		long sum = 0;
		for (Rows.Note note : notes) {
			sum += note.hash();
		}
		return sum;
	}

	private Mono<Rows.Note> one(int id) {
		return Mono.usingWhen(this.pool.create(),
				(connection) -> Flux.from(connection.createStatement(this.selectOne).bind(0, id).execute())
					.concatMap((result) -> result.map(R2dbcSubject::note))
					.next(),
				Connection::close);
	}

	@Override
	public long fetchOne(int id) {
		return one(id).block().hash();
	}

	@Override
	public long fetchOneConcurrently(int[] ids) {
		return Flux.range(0, ids.length)
			.flatMap((i) -> one(ids[i]).map(Rows.Note::hash), WORKERS)
			.reduce(0L, Long::sum)
			.block();
	}

	@Override
	public long iterate(long[] checksum) {
		return Flux.usingWhen(this.pool.create(),
				(connection) -> Flux.from(iterateStatement(connection).execute())
					.concatMap((result) -> result.map(R2dbcSubject::note)),
				Connection::close)
			.doOnNext((note) -> checksum[0] += note.hash())
			.count()
			.block();
	}

	private Statement iterateStatement(Connection connection) {
		Statement statement = connection.createStatement(SELECT_ALL);
		return (this.iterateFetchSize > 0) ? statement.fetchSize(this.iterateFetchSize) : statement;
	}

	@Override
	public void nestedTransaction(String kept, String rolledBack) {
		Mono.usingWhen(this.pool.create(), (connection) -> Mono.from(connection.beginTransaction())
			.then(insert(connection, kept, false))
			.then(Mono.from(connection.createSavepoint("sp1")))
			.then(insert(connection, rolledBack, true))
			.then(Mono.from(connection.rollbackTransactionToSavepoint("sp1")))
			.then(Mono.from(connection.commitTransaction()))
			.onErrorResume((error) -> Mono.from(connection.rollbackTransaction()).then(Mono.error(error))),
				Connection::close)
			.block();
	}

	private Mono<Void> insert(Connection connection, String text, boolean completed) {
		return Flux.from(connection.createStatement(this.insert).bind(0, text).bind(1, completed).execute())
			.concatMap(Result::getRowsUpdated)
			.then();
	}

	@Override
	public void close() {
		this.pool.disposeLater().block();
	}

	/** How the pool is configured: as users leave it, or as databases configures its own (diagnostics). */
	enum PoolSettings {

		DEFAULT, CORE, CORE_WITHOUT_ACQUIRE_TIMEOUT, CORE_WITHOUT_VALIDATION_TIMEOUT

	}

}

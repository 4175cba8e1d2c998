package dev.databases.benchmarks;

import java.util.List;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Spring's {@code DatabaseClient} over the same pool as the raw driver, with named
 * parameters, a row mapper, and {@code TransactionalOperator} for transactions
 * ({@code PROPAGATION_NESTED} for the savepoint). It has no batch API, so W2 is a
 * sequence of inserts inside the transaction, as its users write it.
 */
final class DatabaseClientSubject implements Subject {

	private final ConnectionPool pool;

	private final DatabaseClient client;

	private final TransactionalOperator transaction;

	private final TransactionalOperator nested;

	DatabaseClientSubject(Target target) {
		this.pool = new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(target.r2dbcUrl()))
			.initialSize(POOL_SIZE)
			.maxSize(POOL_SIZE)
			.build());
		this.pool.warmup().block();
		this.client = DatabaseClient.create(this.pool);
		R2dbcTransactionManager manager = new R2dbcTransactionManager(this.pool);
		this.transaction = TransactionalOperator.create(manager);
		this.nested = TransactionalOperator.create(manager,
				new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED));
	}

	private static Rows.Note note(Row row, RowMetadata metadata) {
		return new Rows.Note(row.get("id", Integer.class), row.get("text", String.class),
				row.get("completed", Boolean.class));
	}

	private Mono<Long> insert(String text, boolean completed) {
		return this.client.sql(INSERT).bind("text", text).bind("completed", completed).fetch().rowsUpdated();
	}

	@Override
	public void insertOne(String text, boolean completed) {
		insert(text, completed).block();
	}

	@Override
	public long insertMany(Rows.Batch batch) {
		return Flux.fromIterable(batch.notes)
			.concatMap((note) -> insert(note.text(), note.completed()))
			.reduce(0L, Long::sum)
			.as(this.transaction::transactional)
			.block();
	}

	@Override
	public long fetchAll() {
		List<Rows.Note> notes = this.client.sql(SELECT_ALL).map(DatabaseClientSubject::note).all().collectList().block();
		long sum = 0;
		for (Rows.Note note : notes) {
			sum += note.hash();
		}
		return sum;
	}

	private Mono<Rows.Note> one(int id) {
		return this.client.sql(SELECT_ONE).bind("id", id).map(DatabaseClientSubject::note).one();
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
		return this.client.sql(SELECT_ALL)
			.map(DatabaseClientSubject::note)
			.all()
			.doOnNext((note) -> checksum[0] += note.hash())
			.count()
			.block();
	}

	@Override
	public void nestedTransaction(String kept, String rolledBack) {
		this.transaction.execute((outer) -> insert(kept, false)
			.then(this.nested.execute((inner) -> insert(rolledBack, true).doOnSuccess((rows) -> inner.setRollbackOnly()))
				.then()))
			.then()
			.block();
	}

	@Override
	public void close() {
		this.pool.disposeLater().block();
	}

}

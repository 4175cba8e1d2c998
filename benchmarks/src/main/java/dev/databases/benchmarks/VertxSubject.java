package dev.databases.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.ClientBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Eclipse Vert.x 5's own SQL clients (vertx-pg-client, vertx-mysql-client), written as
 * their users write them: a {@link Pool} of {@value Subject#POOL_SIZE} from {@code PgBuilder.pool()}
 * or {@code MySQLBuilder.pool()} with the connect options at their defaults (so no
 * prepared-statement cache: each prepared query prepares its statement first), the
 * driver's own markers bound by index from a {@link Tuple}, rows read by column name.
 * W2 is {@code executeBatch} inside {@code pool.withTransaction}, W6 a {@link RowStream}
 * of 500 rows a fetch on a statement prepared inside a transaction, W7's savepoint plain
 * SQL inside {@code withTransaction}, and W5 16 chains of fetches in flight at once. The
 * benchmark thread waits with {@link Future#await()}, which Vert.x 5 allows on any thread
 * that is not its own.
 * <p>
 * Vert.x has no SQL client for H2 or SQLite: {@link Subject#supports} leaves them out, and
 * the constructor refuses them.
 */
final class VertxSubject implements Subject {

	private static final int FETCH_SIZE = 500;

	private final Vertx vertx;

	private final Pool pool;

	private final String insert;

	private final String selectOne;

	/**
	 * @param cachePreparedStatements true for the diagnostic {@code vertx-pscache}: the
	 * client's prepared-statement cache on, so that a query is prepared once per connection
	 */
	VertxSubject(Target target, boolean cachePreparedStatements) {
		// Vert.x takes the R2DBC URL's form without its prefix: postgresql://... or mysql://...
		String uri = target.r2dbcUrl().substring("r2dbc:".length());
		SqlConnectOptions connect;
		ClientBuilder<Pool> builder;
		switch (target.kind()) {
			case POSTGRESQL -> {
				connect = PgConnectOptions.fromUri(uri);
				builder = PgBuilder.pool();
			}
			case MARIADB -> {
				connect = MySQLConnectOptions.fromUri(uri);
				builder = MySQLBuilder.pool();
			}
			default -> throw new IllegalArgumentException(
					"vertx runs on postgresql and mariadb only: Vert.x has no SQL client for " + target);
		}
		connect.setCachePreparedStatements(cachePreparedStatements);
		this.vertx = Vertx.vertx();
		this.pool = builder.with(new PoolOptions().setMaxSize(POOL_SIZE))
			.connectingTo(connect)
			.using(this.vertx)
			.build();
		try {
			warmUp();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
		this.insert = "INSERT INTO " + Target.TABLE + " (text, completed) VALUES (" + target.marker(0) + ", "
				+ target.marker(1) + ")";
		this.selectOne = SELECT_ALL + " WHERE id = " + target.marker(0);
	}

	/** Open every connection before measuring, as the other systems' pools do (Vert.x opens them on demand). */
	private void warmUp() {
		List<Future<SqlConnection>> connections = new ArrayList<>(POOL_SIZE);
		for (int i = 0; i < POOL_SIZE; i++) {
			connections.add(this.pool.getConnection());
		}
		Future.all(connections).await();
		for (Future<SqlConnection> connection : connections) {
			connection.result().close().await();
		}
	}

	private static Rows.Note note(Row row) {
		return new Rows.Note(row.getInteger("id"), row.getString("text"), row.getBoolean("completed"));
	}

	@Override
	public void insertOne(String text, boolean completed) {
		this.pool.preparedQuery(this.insert).execute(Tuple.of(text, completed)).await();
	}

	@Override
	public long insertMany(Rows.Batch batch) {
		List<Tuple> tuples = new ArrayList<>(batch.notes.size());
		for (Rows.Note note : batch.notes) {
			tuples.add(Tuple.of(note.text(), note.completed()));
		}
		return this.pool
			.withTransaction((connection) -> connection.preparedQuery(this.insert).executeBatch(tuples))
			.map((result) -> {
				// One result per tuple of the batch, chained by next().
				long rows = 0;
				for (RowSet<Row> each = result; each != null; each = each.next()) {
					rows += each.rowCount();
				}
				return rows;
			})
			.await();
	}

	@Override
	public long fetchAll() {
		RowSet<Row> rows = this.pool.preparedQuery(SELECT_ALL).execute().await();
		List<Rows.Note> notes = new ArrayList<>(rows.size());
		for (Row row : rows) {
			notes.add(note(row));
		}
		long sum = 0;
		for (Rows.Note note : notes) {
			sum += note.hash();
		}
		return sum;
	}

	private Future<Long> one(int id) {
		return this.pool.preparedQuery(this.selectOne).execute(Tuple.of(id)).map((rows) -> {
			RowIterator<Row> iterator = rows.iterator();
			return iterator.hasNext() ? note(iterator.next()).hash() : 0L;
		});
	}

	@Override
	public long fetchOne(int id) {
		return one(id).await();
	}

	@Override
	public long fetchOneConcurrently(int[] ids) {
		// WORKERS chains in flight, each composing its next fetch on the end of the last.
		List<Future<Long>> chains = new ArrayList<>(WORKERS);
		for (int worker = 0; worker < WORKERS; worker++) {
			chains.add(chain(ids, worker, 0L));
		}
		Future.all(chains).await();
		long sum = 0;
		for (Future<Long> chain : chains) {
			sum += chain.result();
		}
		return sum;
	}

	private Future<Long> chain(int[] ids, int next, long sum) {
		if (next >= ids.length) {
			return Future.succeededFuture(sum);
		}
		return one(ids[next]).compose((hash) -> chain(ids, next + WORKERS, sum + hash));
	}

	@Override
	public long iterate(long[] checksum) {
		// A cursor needs a transaction on PostgreSQL; MySQL's reads it with COM_STMT_FETCH either way.
		return this.pool.withTransaction((connection) -> connection.prepare(SELECT_ALL).compose((statement) -> {
			Promise<Long> done = Promise.promise();
			long[] count = new long[1];
			RowStream<Row> stream = statement.createStream(FETCH_SIZE);
			stream.exceptionHandler(done::fail);
			stream.endHandler((end) -> done.complete(count[0]));
			stream.handler((row) -> {
				checksum[0] += note(row).hash();
				count[0]++;
			});
			return done.future().eventually(statement::close);
		})).await();
	}

	@Override
	public void nestedTransaction(String kept, String rolledBack) {
		this.pool.withTransaction((connection) -> insert(connection, kept, false)
			.compose((v) -> connection.query("SAVEPOINT sp1").execute())
			.compose((v) -> insert(connection, rolledBack, true))
			.compose((v) -> connection.query("ROLLBACK TO SAVEPOINT sp1").execute())).await();
	}

	private Future<RowSet<Row>> insert(SqlConnection connection, String text, boolean completed) {
		return connection.preparedQuery(this.insert).execute(Tuple.of(text, completed));
	}

	@Override
	public void close() {
		try {
			this.pool.close().await();
		}
		finally {
			this.vertx.close().await();
		}
	}

}

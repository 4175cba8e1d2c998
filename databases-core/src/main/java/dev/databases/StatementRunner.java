package dev.databases;

import dev.databases.internal.backend.Backend;
import dev.databases.internal.parsing.BoundSql;
import dev.databases.internal.reactor.Gate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Runs statements on one connection: renders and binds the query, builds the driver's
 * {@link Statement}, reads the answer into {@link Record}s or counts, and applies the
 * client-side time limit, the listener and error translation. Every statement reaches the
 * driver through the {@link ConnectionLease}, which records what a cancel left behind.
 */
final class StatementRunner {

	/** Rows per round trip when streaming; small enough for constant memory, large enough to amortise. */
	private static final int ITERATE_FETCH_SIZE = 500;

	private static final String RETURNING = "returning";

	private static final AtomicIntegerFieldUpdater<StatementRunner> CURSORS = AtomicIntegerFieldUpdater
		.newUpdater(StatementRunner.class, "cursors");

	private final DatabaseRuntime runtime;

	private final io.r2dbc.spi.Connection raw;

	private final ConnectionLease lease;

	private volatile int cursors;

	StatementRunner(DatabaseRuntime runtime, io.r2dbc.spi.Connection raw, ConnectionLease lease) {
		this.runtime = runtime;
		this.raw = raw;
		this.lease = lease;
	}

	/** Run a statement without parameters or rows, such as a transaction's {@code COMMIT}. */
	Mono<Void> run(String sql) {
		return this.lease.tracked(Flux.from(this.raw.createStatement(sql).execute()), true)
			.concatMap(Result::getRowsUpdated)
			.then();
	}

	Mono<ExecuteResult> execute(Query query) {
		return Mono.defer(() -> {
			Query rendered = query.renderFor(this.runtime.url());
			String sql = rendered.sql();
			BoundSql bound = this.runtime.bind(rendered);
			Statement statement = statement(bound);
			Backend backend = this.runtime.backend();
			boolean insert = isInsert(sql);
			if (insert && !(backend.keyFromReturning() && containsReturning(sql))) {
				statement.returnGeneratedValues();
			}
			// [0] rows counted by the server, [1] whether it counted, [2] rows returned
			long[] counts = new long[3];
			Long[] key = new Long[1];
			return observed(sql, limited(sql, this.lease.tracked(Flux.from(statement.execute()))
				.concatMap((result) -> result.flatMap((segment) -> {
					if (segment instanceof Result.UpdateCount count) {
						counts[0] += count.value();
						counts[1] = 1;
					}
					else if (segment instanceof Result.RowSegment row) {
						counts[2]++;
						if (key[0] == null) {
							key[0] = generatedKey(row.row(), backend);
						}
					}
					else if (segment instanceof Result.Message message && isError(message)) {
						// Result.flatMap hands errors over as segments instead of signalling them.
						return Mono.<Void>error(message.exception());
					}
					return Mono.<Void>empty();
				}))
				// r2dbc-h2 answers a statement with generated keys by the keys alone: one row per row inserted.
				.then(Mono.fromSupplier(() -> new ExecuteResult((counts[1] == 1) ? counts[0] : counts[2], key[0])))
				.onErrorMap((error) -> this.lease.translate(error, sql))));
		});
	}

	Mono<List<Record>> fetchAll(Query query) {
		return rows(query, false).collectList();
	}

	Mono<Record> fetchOne(Query query) {
		Flux<Record> rows = rows(query, false);
		// r2dbc-mysql reads a cancelled answer to its end all the same (the protocol cannot stop
		// a result), and a connection released before that end was seen handing the next
		// statement the wrong rows (7 % of 530,000 fetches once its release no longer pinged,
		// see the MySQL backend). Reading the rest here costs nothing on the wire.
		return this.runtime.backend().readsCancelledResultToEnd() ? rows.reduce((first, rest) -> first) : rows.next();
	}

	Flux<Record> iterate(Query query) {
		return rows(query, true);
	}

	private Flux<Record> rows(Query query, boolean stream) {
		return Flux.deferContextual((context) -> {
			Query rendered = query.renderFor(this.runtime.url());
			Backend backend = this.runtime.backend();
			// Inside a block other statements may be sent while the stream is open.
			boolean shared = stream && !this.lease.isAlone();
			// With force-rollback, outside a block: the stream's turn on the one connection.
			Gate.Grant turn = shared ? context.getOrDefault(Gate.Grant.class, null) : null;
			if (shared && turn == null && backend.streamBeside() == Backend.StreamBeside.CURSOR) {
				return observed(rendered.sql(), limited(rendered.sql(), cursor(rendered)));
			}
			Statement statement = statement(this.runtime.bind(rendered));
			if (stream && backend.fetchSizeHelps()) {
				statement.fetchSize(ITERATE_FETCH_SIZE);
			}
			boolean readAhead = shared && (turn != null || backend.streamBeside() == Backend.StreamBeside.READ_AHEAD);
			Flux<? extends Result> results = Flux.from(statement.execute());
			Flux<Record> rows = (readAhead ? this.lease.trackedStream(results) : this.lease.tracked(results))
				.concatMap((result) -> result.map(new RecordReader(this.runtime, rendered.sql())), 1);
			if (backend.readsCancelledResultToEnd()) {
				// Rows cut short (iterate then take) are still arriving: see the MySQL backend.
				rows = rows.doOnCancel(() -> this.lease.markCutShort());
			}
			if (readAhead) {
				// The turn ends when the driver is done: the rows read ahead need no connection.
				rows = this.lease.openStream().open(rows, (turn != null) ? turn::end : null);
			}
			return observed(rendered.sql(),
					limited(rendered.sql(), rows.onErrorMap((error) -> this.lease.translate(error, rendered.sql()))));
		});
	}

	/**
	 * The rows of a PostgreSQL query through a server-side cursor, {@link #ITERATE_FETCH_SIZE}
	 * rows per {@code FETCH}: each fetch is a whole exchange, so the statements sent while the
	 * stream is open go between two fetches instead of waiting behind a result that waits for
	 * them. In a transaction the cursor ends with it; outside one it is declared
	 * {@code WITH HOLD}, which has the server keep the result until {@code CLOSE}.
	 */
	private Flux<Record> cursor(Query rendered) {
		BoundSql bound = this.runtime.bind(rendered);
		String name = "databases_cursor_" + CURSORS.incrementAndGet(this);
		String declare = "DECLARE " + name + " NO SCROLL CURSOR " + ((this.lease.current() != null) ? "" : "WITH HOLD ") + "FOR "
				+ bound.sql();
		RecordReader reader = new RecordReader(this.runtime, rendered.sql());
		String fetchSql = "FETCH FORWARD " + ITERATE_FETCH_SIZE + " FROM " + name;
		// Each fetch is read to its end as soon as it is sent, wanted yet or not (cache() asks for
		// everything at once): a fetch left waiting for demand would hold up the driver's queue,
		// and the statement a row's consumer sends next would wait behind it. One fetch is read
		// ahead while the consumer works through the last.
		Mono<List<Record>> fetch = Mono.defer(() -> this.lease.tracked(Flux.from(this.raw.createStatement(fetchSql).execute()))
			.concatMap((result) -> result.map(reader))
			.collectList()
			.cache());
		Mono<Void> close = Mono.defer(() -> run("CLOSE " + name)).onErrorResume((error) -> Mono.empty());
		Flux<Record> rows = fetch.repeat()
			.takeUntil((batch) -> batch.size() < ITERATE_FETCH_SIZE)
			.concatMapIterable(Function.identity(), 1);
		return Flux
			.usingWhen(this.lease.tracked(Flux.from(statement(new BoundSql(declare, bound.values())).execute())).concatMap(Result::getRowsUpdated)
				.then(Mono.just(name)), (cursor) -> rows, (cursor) -> close, (cursor, error) -> close,
					(cursor) -> close)
			.onErrorMap((error) -> this.lease.translate(error, rendered.sql()));
	}

	/**
	 * The statement of {@code executeMany} for each of {@code rows}, as multi-row INSERTs
	 * when the SQL allows it, else as one batch. The caller runs it in a transaction.
	 */
	Mono<Long> executeMany(Query query, List<? extends Map<String, ?>> rows) {
		return Mono.defer(() -> {
			Query rendered = query.renderFor(this.runtime.url());
			MultiRowInsert insert = this.runtime.multiRowInsert(rendered.sql());
			return observed(rendered.sql(), limited(rendered.sql(),
					(insert != null) ? executeMultiRow(rendered, insert, rows) : executeBatch(rendered, rows)));
		});
	}

	private Mono<Long> executeMultiRow(Query query, MultiRowInsert insert, List<? extends Map<String, ?>> rows) {
		int perStatement = insert.rowsPerStatement(this.runtime.backend().maxParameters());
		int statements = (rows.size() + perStatement - 1) / perStatement;
		return Flux.range(0, statements).concatMap((index) -> {
			int from = index * perStatement;
			int to = Math.min(rows.size(), from + perStatement);
			String sql = insert.sql(to - from);
			Map<String, @Nullable Object> values = insert.values(rows, query.values(), from, to, query.sql());
			BoundSql bound = this.runtime.bind(Query.of(sql, values));
			return this.lease.tracked(Flux.from(statement(bound).execute())).concatMap(Result::getRowsUpdated);
		}).reduce(0L, Long::sum).onErrorMap((error) -> this.lease.translate(error, query.sql()));
	}

	private Mono<Long> executeBatch(Query query, List<? extends Map<String, ?>> rows) {
		List<BoundSql> bound = new ArrayList<>(rows.size());
		for (Map<String, ?> row : rows) {
			Map<String, Object> values = new HashMap<>(query.values());
			values.putAll(row);
			bound.add(this.runtime.bind(Query.of(query.sql(), values)));
		}
		String sql = bound.get(0).sql();
		boolean sameSql = bound.stream().allMatch((b) -> b.sql().equals(sql));
		Flux<? extends Result> results;
		if (sameSql) {
			Statement statement = this.raw.createStatement(sql);
			for (int i = 0; i < bound.size(); i++) {
				if (i > 0) {
					statement.add();
				}
				bind(statement, bound.get(i).values());
			}
			results = this.lease.tracked(Flux.from(statement.execute()));
		}
		else {
			// Collections expanded to different lengths: each row has its own SQL.
			results = this.lease.tracked(Flux.fromIterable(bound).concatMap((b) -> statement(b).execute()));
		}
		return results.concatMap(Result::getRowsUpdated)
			.reduce(0L, Long::sum)
			.onErrorMap((error) -> this.lease.translate(error, query.sql()));
	}

	private Statement statement(BoundSql bound) {
		Statement statement = this.raw.createStatement(bound.sql());
		bind(statement, bound.values());
		return statement;
	}

	private void bind(Statement statement, List<@Nullable Object> values) {
		for (int i = 0; i < values.size(); i++) {
			Object value = values.get(i);
			if (value == null) {
				statement.bindNull(i, this.runtime.backend().nullType());
			}
			else if (value instanceof Enum<?> constant) {
				statement.bind(i, constant.name());
			}
			else if (JsonCodec.isDocument(value, JsonCodec.AVAILABLE)) {
				statement.bind(i, this.runtime.backend().jsonParameter(json(value)));
			}
			else {
				statement.bind(i, this.runtime.backend().bindable(value));
			}
		}
	}

	/** A record, Map or Jackson tree bound as a value is a JSON document. */
	private static String json(Object value) {
		JsonCodec codec = JsonCodec.AVAILABLE;
		if (codec == null) {
			throw new IllegalArgumentException("Binding a " + value.getClass().getName()
					+ " as JSON needs Jackson on the class path (tools.jackson.core:jackson-databind)");
		}
		return codec.write(value);
	}

	private static @Nullable Long generatedKey(Row row, Backend backend) {
		Object value;
		try {
			value = row.get("id");
		}
		catch (RuntimeException ex) {
			value = null;
		}
		if (value == null) {
			value = row.get(0);
		}
		if (!(value instanceof Number number)) {
			return null;
		}
		long key = number.longValue();
		// MySQL reports 0 when the table has no auto-increment column.
		return backend.generatedKey(key);
	}

	/** Notices (SQLSTATE class 00) and warnings (01, 02) are messages too, but not errors. */
	private static boolean isError(Result.Message message) {
		String state = message.sqlState();
		return state == null || !(state.startsWith("00") || state.startsWith("01") || state.startsWith("02"));
	}

	private static boolean isInsert(String sql) {
		int i = 0;
		while (i < sql.length() && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == '(')) {
			i++;
		}
		return sql.regionMatches(true, i, "insert", 0, 6) || sql.regionMatches(true, i, "replace", 0, 7);
	}

	/** Whether the SQL has {@code returning} in any case; asked for every INSERT, so without a lower-cased copy. */
	private static boolean containsReturning(String sql) {
		for (int i = sql.length() - RETURNING.length(); i >= 0; i--) {
			if (sql.regionMatches(true, i, RETURNING, 0, RETURNING.length())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A client-side limit for when the server cannot enforce statement_timeout itself (the
	 * network is gone): the statement is cancelled, which closes the connection.
	 */
	private <T> Mono<T> limited(String sql, Mono<T> work) {
		Duration timeout = this.runtime.answerTimeout();
		return (timeout != null) ? work.timeout(timeout).onErrorMap(TimeoutException.class, (error) -> noAnswer(sql, timeout, error))
				: work;
	}

	private <T> Flux<T> limited(String sql, Flux<T> work) {
		Duration timeout = this.runtime.answerTimeout();
		return (timeout != null) ? work.timeout(timeout).onErrorMap(TimeoutException.class, (error) -> noAnswer(sql, timeout, error))
				: work;
	}

	private static ConnectionException noAnswer(String sql, Duration timeout, Throwable error) {
		return new ConnectionException("No answer from the server within " + timeout.toMillis()
				+ " ms (statement_timeout plus connect_timeout); the connection was closed, in SQL: " + sql, null, 0,
				sql, error);
	}

	private <T> Mono<T> observed(String sql, Mono<T> work) {
		DatabaseListener listener = this.runtime.listener();
		if (listener == null) {
			return work;
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return work.doOnSuccess((value) -> Listeners.query(listener, sql, start, null))
				.doOnError((error) -> Listeners.query(listener, sql, start, error));
		});
	}

	private <T> Flux<T> observed(String sql, Flux<T> work) {
		DatabaseListener listener = this.runtime.listener();
		if (listener == null) {
			return work;
		}
		return Flux.defer(() -> {
			long start = System.nanoTime();
			// fetchOne cancels the rows after the first: a cancel is a success here.
			return work.doOnError((error) -> Listeners.query(listener, sql, start, error))
				.doFinally((signal) -> {
					if (signal != SignalType.ON_ERROR) {
						Listeners.query(listener, sql, start, null);
					}
				});
		});
	}

}

package dev.databases.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * An open SQLite cursor published as row segments. Rows are stepped, holding the
 * connection, only as they are requested: {@code request(n)} reads at most {@code n} rows, in
 * turns of at most the fetch size so that other work of the connection can interleave with
 * an unbounded demand. Completion, an error or cancellation closes the statement.
 *
 * @author databases
 */
final class RowCursor implements Publisher<Result.Segment> {

	private final SqliteConnection connection;

	private final PreparedStatement statement;

	private final ResultSet resultSet;

	private final SqliteRowMetadata metadata;

	private final String sql;

	private final int turn;

	private final AtomicBoolean subscribed = new AtomicBoolean();

	private volatile long rowsRead;

	private volatile @Nullable RowSubscription subscription;

	// confined to the connection's holder
	private boolean closed;

	RowCursor(SqliteConnection connection, PreparedStatement statement, ResultSet resultSet,
			SqliteRowMetadata metadata, String sql, int turn) {
		this.connection = connection;
		this.statement = statement;
		this.resultSet = resultSet;
		this.metadata = metadata;
		this.sql = sql;
		this.turn = turn;
	}

	SqliteRowMetadata metadata() {
		return this.metadata;
	}

	/**
	 * Return how many rows have been read from SQLite so far.
	 * @return the number of rows stepped over
	 */
	long rowsRead() {
		return this.rowsRead;
	}

	@Override
	public void subscribe(Subscriber<? super Result.Segment> subscriber) {
		if (!this.subscribed.compareAndSet(false, true)) {
			Operators.error(subscriber, new IllegalStateException("A Result can only be consumed once"));
			return;
		}
		RowSubscription subscription = new RowSubscription(subscriber);
		this.subscription = subscription;
		subscriber.onSubscribe(subscription);
	}

	/**
	 * Close the cursor of a result nobody will read, such as one a cancelled execution
	 * dropped; callable from any thread.
	 */
	void release() {
		if (this.subscribed.compareAndSet(false, true)) {
			this.connection.worker().executeInline(this::close);
		}
	}

	/**
	 * Close the cursor without reading it, unless it is being consumed.
	 * @return completes once the statement is closed
	 */
	Mono<Void> discard() {
		if (!this.subscribed.compareAndSet(false, true)) {
			return Mono.error(new IllegalStateException("A Result can only be consumed once"));
		}
		Callable<Void> close = () -> {
			close();
			return null;
		};
		return this.connection.worker().submitInline(close, close);
	}

	/**
	 * Close the statement, holding the connection.
	 */
	void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.connection.cursorClosed(this);
		try {
			this.resultSet.close();
		}
		catch (SQLException ex) {
			// the statement is closed next, which releases it all the same
		}
		try {
			this.statement.close();
		}
		catch (SQLException ex) {
			// nothing left to release
		}
		RowSubscription subscription = this.subscription;
		if (subscription != null && !subscription.done) {
			// closed under a reader, by close() or preRelease() of the connection: the reader
			// learns it once the connection is let go of, not from within whoever closed it
			subscription.drain();
		}
	}

	private @Nullable Object[] readRow() throws SQLException {
		int count = this.metadata.size();
		Object[] values = new Object[count];
		for (int i = 0; i < count; i++) {
			Object value = this.resultSet.getObject(i + 1);
			values[i] = (value instanceof Integer number) ? Long.valueOf(number) : value;
		}
		return values;
	}

	/**
	 * The subscription, drained with the usual work-in-progress counter so that requests
	 * from any thread, including from within {@code onNext}, are never lost and never
	 * drained twice at once. Each turn reads rows holding the connection; on a caller's
	 * thread the rows are emitted once it is let go of, on the connection thread they are
	 * emitted there.
	 */
	private final class RowSubscription implements Subscription, SqliteWorker.Task {

		private final Subscriber<? super Result.Segment> actual;

		private final AtomicLong requested = new AtomicLong();

		private final AtomicInteger wip = new AtomicInteger();

		private volatile boolean cancelled;

		private volatile boolean badRequest;

		// confined to the connection's holder
		private boolean done;

		// confined to the drain
		private int carried;

		RowSubscription(Subscriber<? super Result.Segment> actual) {
			this.actual = actual;
		}

		@Override
		public void request(long n) {
			if (n <= 0) {
				this.badRequest = true;
			}
			else {
				this.requested.getAndUpdate((current) -> Operators.addCap(current, n));
			}
			drain();
		}

		@Override
		public void cancel() {
			this.cancelled = true;
			drain();
		}

		/**
		 * Drain on the caller's thread while the connection is idle, else on the
		 * connection thread.
		 */
		void drain() {
			if (this.wip.getAndIncrement() == 0) {
				drain(1, null);
			}
		}

		private void drain(int missed, @Nullable Turn read) {
			SqliteWorker worker = RowCursor.this.connection.worker();
			Turn turn = read;
			for (;;) {
				if (turn == null) {
					SqliteWorker.Outcome<Turn> outcome = worker.tryInline(this::timedTurn);
					if (outcome == null) {
						// the connection is closed, and with it the statement
						if (!this.cancelled) {
							this.actual.onError(RowCursor.this.connection.closedException());
						}
						return;
					}
					if (outcome == SqliteWorker.Outcome.BUSY) {
						// queued behind other work, which gets its turn first
						this.carried = missed;
						if (!worker.enqueue(this) && !this.cancelled) {
							this.actual.onError(RowCursor.this.connection.closedException());
						}
						return;
					}
					turn = outcome.value;
					if (turn == null) {
						// reading threw: the cursor is closed
						this.actual.onError(Objects.requireNonNull(outcome.failure));
						return;
					}
				}
				boolean more = turn.emit();
				turn = null;
				if (!more) {
					missed = this.wip.addAndGet(-missed);
					if (missed == 0) {
						return;
					}
				}
			}
		}

		/**
		 * Read a turn on the connection thread, and go on draining once it is let go of.
		 */
		@Override
		public Runnable run() {
			int missed = this.carried;
			this.carried = 0;
			Turn turn;
			try {
				turn = timedTurn();
			}
			catch (RuntimeException | Error ex) {
				// the cursor is closed
				return () -> this.actual.onError(ex);
			}
			return () -> drain(missed, turn);
		}

		private Turn timedTurn() {
			try {
				return RowCursor.this.connection.timed(this::read);
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Read as many rows as requested, at most one turn's worth, holding the
		 * connection.
		 * @return the rows and what follows them
		 */
		private Turn read() {
			Turn turn = new Turn();
			if (this.done) {
				return turn;
			}
			if (RowCursor.this.closed) {
				// closed from outside
				this.done = true;
				if (!this.cancelled) {
					turn.error = RowCursor.this.connection.closedException();
				}
				return turn;
			}
			if (this.cancelled) {
				finish();
				return turn;
			}
			if (this.badRequest) {
				finish();
				turn.error = new IllegalArgumentException("Reactive Streams rule 3.9: request must be positive");
				return turn;
			}
			long requested = this.requested.get();
			long emitted = 0;
			try {
				while (emitted != requested) {
					if (this.cancelled) {
						finish();
						return turn;
					}
					if (emitted == RowCursor.this.turn) {
						turn.more = true;
						break;
					}
					if (!RowCursor.this.resultSet.next()) {
						finish();
						turn.complete = true;
						break;
					}
					@Nullable Object[] values = readRow();
					RowCursor.this.rowsRead++;
					turn.rows.add(new SqliteRow(values, RowCursor.this.metadata));
					emitted++;
				}
			}
			catch (SQLException ex) {
				finish();
				turn.error = RowCursor.this.connection.translate(ex, RowCursor.this.sql);
			}
			catch (RuntimeException | Error ex) {
				finish();
				throw ex;
			}
			if (requested != Long.MAX_VALUE && emitted != 0) {
				this.requested.addAndGet(-emitted);
			}
			return turn;
		}

		private void finish() {
			this.done = true;
			close();
		}

		/**
		 * Rows read in one turn, then their end or failure, for the subscriber.
		 */
		private final class Turn {

			final List<Row> rows = new ArrayList<>(4);

			@Nullable Throwable error;

			boolean complete;

			boolean more;

			/**
			 * Emit, unless cancelled meanwhile.
			 * @return whether demand is left after a full turn
			 */
			boolean emit() {
				Subscriber<? super Result.Segment> actual = RowSubscription.this.actual;
				for (Row row : this.rows) {
					if (RowSubscription.this.cancelled) {
						return false;
					}
					actual.onNext((Result.RowSegment) () -> row);
				}
				if (RowSubscription.this.cancelled) {
					return false;
				}
				Throwable error = this.error;
				if (error != null) {
					actual.onError(error);
				}
				else if (this.complete) {
					actual.onComplete();
				}
				return this.more;
			}

		}

	}

}

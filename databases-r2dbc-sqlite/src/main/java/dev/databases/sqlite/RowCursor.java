package dev.databases.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * An open SQLite cursor published as row segments. Rows are stepped on the connection
 * thread only as they are requested: {@code request(n)} reads at most {@code n} rows, in
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

	// confined to the connection thread
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
			this.connection.worker().execute(this::close);
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
		return this.connection.worker().submit(() -> {
			close();
			return null;
		});
	}

	/**
	 * Close the statement; runs on the connection thread.
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
		if (subscription != null) {
			// closed under a reader, by close() or preRelease() of the connection
			subscription.abandon();
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
	 * The subscription, drained on the connection thread with the usual work-in-progress
	 * counter so that requests from any thread, including from within {@code onNext},
	 * are never lost and never drained twice at once.
	 */
	private final class RowSubscription implements Subscription, Runnable {

		private final Subscriber<? super Result.Segment> actual;

		private final AtomicLong requested = new AtomicLong();

		private final AtomicInteger wip = new AtomicInteger();

		private volatile boolean cancelled;

		private volatile boolean badRequest;

		// confined to the connection thread
		private boolean done;

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

		private void drain() {
			if (this.wip.getAndIncrement() == 0 && !RowCursor.this.connection.worker().execute(this)) {
				// the connection is closed, and with it the statement
				if (!this.cancelled) {
					this.actual.onError(RowCursor.this.connection.closedException());
				}
			}
		}

		@Override
		public void run() {
			int missed = (this.carried != 0) ? this.carried : 1;
			this.carried = 0;
			for (;;) {
				if (!this.done && !timedStep()) {
					// yielded: the rest of this drain was queued behind other work
					this.carried = missed;
					return;
				}
				missed = this.wip.addAndGet(-missed);
				if (missed == 0) {
					return;
				}
			}
		}

		private boolean timedStep() {
			try {
				return RowCursor.this.connection.timed(this::step);
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Emit as many rows as requested, at most one turn's worth.
		 * @return {@code false} if the turn ended with demand left and the drain was
		 * queued again
		 */
		private boolean step() {
			if (RowCursor.this.closed) {
				abandon();
				return true;
			}
			if (this.cancelled) {
				finish();
				return true;
			}
			if (this.badRequest) {
				finish();
				this.actual.onError(new IllegalArgumentException("Reactive Streams rule 3.9: request must be positive"));
				return true;
			}
			long requested = this.requested.get();
			long emitted = 0;
			try {
				while (emitted != requested) {
					if (this.cancelled) {
						finish();
						return true;
					}
					if (emitted == RowCursor.this.turn) {
						produced(requested, emitted);
						if (RowCursor.this.connection.worker().execute(this)) {
							return false;
						}
						finish();
						this.actual.onError(RowCursor.this.connection.closedException());
						return true;
					}
					if (!RowCursor.this.resultSet.next()) {
						finish();
						this.actual.onComplete();
						return true;
					}
					@Nullable Object[] values = readRow();
					RowCursor.this.rowsRead++;
					Row row = new SqliteRow(values, RowCursor.this.metadata);
					emitted++;
					this.actual.onNext((Result.RowSegment) () -> row);
				}
			}
			catch (SQLException ex) {
				finish();
				this.actual.onError(RowCursor.this.connection.translate(ex, RowCursor.this.sql));
				return true;
			}
			catch (RuntimeException | Error ex) {
				finish();
				throw ex;
			}
			produced(requested, emitted);
			return true;
		}

		/**
		 * End a subscription whose cursor was closed from outside; runs on the
		 * connection thread.
		 */
		void abandon() {
			if (!this.done) {
				this.done = true;
				if (!this.cancelled) {
					this.actual.onError(RowCursor.this.connection.closedException());
				}
			}
		}

		private void produced(long requested, long emitted) {
			if (requested != Long.MAX_VALUE && emitted != 0) {
				this.requested.addAndGet(-emitted);
			}
		}

		private void finish() {
			this.done = true;
			close();
		}

	}

}

package dev.databases.sqlite;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The result of one statement run: either an update count, or a cursor whose rows are
 * read as they are requested. A DML statement with {@code RETURNING} has both: its rows,
 * then the number of rows it changed.
 *
 * @author databases
 */
final class SqliteResult implements Result {

	private final @Nullable RowCursor cursor;

	private final long updateCount;

	private final boolean countRows;

	private final AtomicBoolean consumed;

	private final @Nullable Predicate<Segment> filter;

	private SqliteResult(@Nullable RowCursor cursor, long updateCount, boolean countRows, AtomicBoolean consumed,
			@Nullable Predicate<Segment> filter) {
		this.cursor = cursor;
		this.updateCount = updateCount;
		this.countRows = countRows;
		this.consumed = consumed;
		this.filter = filter;
	}

	static SqliteResult updateCount(long count) {
		return new SqliteResult(null, count, false, new AtomicBoolean(), null);
	}

	static SqliteResult rows(RowCursor cursor, boolean countRows) {
		return new SqliteResult(cursor, -1, countRows, new AtomicBoolean(), null);
	}

	/**
	 * Return how many rows have been read from SQLite for this result so far.
	 * @return the number of rows stepped over
	 */
	long rowsRead() {
		return (this.cursor != null) ? this.cursor.rowsRead() : 0;
	}

	/**
	 * Close the cursor of a result that will never be read; callable from any thread.
	 */
	void release() {
		if (this.cursor != null) {
			this.cursor.release();
		}
	}

	private Flux<Segment> segments() {
		Flux<Segment> segments;
		RowCursor cursor = this.cursor;
		if (cursor == null) {
			segments = Flux.defer(() -> {
				if (!this.consumed.compareAndSet(false, true)) {
					return Flux.error(new IllegalStateException("A Result can only be consumed once"));
				}
				return Flux.just((UpdateCount) () -> this.updateCount);
			});
		}
		else {
			segments = Flux.from(cursor);
			if (this.countRows) {
				segments = segments.concatWith(Mono.fromSupplier(() -> (UpdateCount) cursor::rowsRead));
			}
		}
		Predicate<Segment> filter = this.filter;
		return (filter != null) ? segments.filter(filter) : segments;
	}

	@Override
	public Mono<Long> getRowsUpdated() {
		RowCursor cursor = this.cursor;
		if (cursor != null && !this.countRows && this.filter == null) {
			// a query changes nothing: close it without stepping through its rows
			return cursor.discard().then(Mono.empty());
		}
		return segments().ofType(UpdateCount.class).map(UpdateCount::value).reduce(Long::sum);
	}

	@Override
	public <T> Flux<T> map(BiFunction<Row, RowMetadata, ? extends T> mappingFunction) {
		requireNonNull(mappingFunction, "mappingFunction");
		return segments().handle((segment, sink) -> {
			if (segment instanceof RowSegment rowSegment) {
				Row row = rowSegment.row();
				sink.next(mappingFunction.apply(row, row.getMetadata()));
			}
			else if (segment instanceof Message message) {
				sink.error(message.exception());
			}
		});
	}

	@Override
	public <T> Flux<T> map(Function<? super Readable, ? extends T> mappingFunction) {
		requireNonNull(mappingFunction, "mappingFunction");
		return map((row, metadata) -> mappingFunction.apply(row));
	}

	@Override
	public Result filter(Predicate<Segment> filter) {
		requireNonNull(filter, "filter");
		Predicate<Segment> combined = (this.filter != null) ? this.filter.and(filter) : filter;
		return new SqliteResult(this.cursor, this.updateCount, this.countRows, this.consumed, combined);
	}

	@Override
	public <T> Flux<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mappingFunction) {
		requireNonNull(mappingFunction, "mappingFunction");
		return segments().concatMap((segment) -> {
			Publisher<? extends T> publisher = mappingFunction.apply(segment);
			if (publisher == null) {
				return Mono.error(new IllegalStateException("The mapping function returned null"));
			}
			return publisher;
		}, 1);
	}

	private static void requireNonNull(@Nullable Object value, String name) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' must not be null");
		}
	}

	@Override
	public String toString() {
		return (this.cursor != null) ? "SqliteResult{rows=" + this.cursor.metadata() + "}"
				: "SqliteResult{updateCount=" + this.updateCount + "}";
	}

}

package dev.databases.sqlite;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SqliteResult}: rows are read as requested, cancelling closes the
 * statement.
 *
 * @author databases
 */
class SqliteResultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c";

	private SqliteConnection connection;

	@BeforeEach
	void open() {
		this.connection = new SqliteConnectionFactory(SqliteConnectionConfiguration.builder().build()).create()
			.block(TIMEOUT);
		run("CREATE TABLE big (x INTEGER)");
		run("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10000) INSERT INTO big SELECT x FROM c");
	}

	@AfterEach
	void close() {
		this.connection.close().block(TIMEOUT);
	}

	@Test
	void mapShouldReadOnlyTheRowsRequested() {
		SqliteResult result = result(ENDLESS);
		StepVerifier.create(result.map((row) -> row.get(0, Long.class)), 0)
			.thenRequest(1)
			.expectNext(1L)
			.then(() -> assertThat(result.rowsRead()).isEqualTo(1))
			.thenRequest(3)
			.expectNext(2L, 3L, 4L)
			.then(() -> assertThat(result.rowsRead()).isEqualTo(4))
			.thenCancel()
			.verify(TIMEOUT);
		// the endless query is closed: the connection is free for the next statement
		assertThat(rows("SELECT 42")).containsExactly(42L);
	}

	@Test
	void mapWhenCancelledShouldCloseTheStatement() {
		SqliteResult result = result("SELECT x FROM big ORDER BY x");
		StepVerifier.create(result.map((row) -> row.get(0, Long.class)).take(5))
			.expectNext(1L, 2L, 3L, 4L, 5L)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(result.rowsRead()).isEqualTo(5);
		// SQLite refuses to drop a table a running statement reads
		run("DROP TABLE big");
		assertThat(rows("SELECT count(*) FROM sqlite_schema WHERE name = 'big'")).containsExactly(0L);
	}

	@Test
	void mapWhenDemandIsUnboundedShouldLetOtherWorkInBetweenTurns() {
		List<String> events = new CopyOnWriteArrayList<>();
		Flux<Long> rows = Flux.from(this.connection.createStatement("SELECT x FROM big WHERE x <= 100").fetchSize(10).execute())
			.concatMap((result) -> result.map((row) -> {
				long x = row.get(0, Long.class);
				if (x == 1) {
					// a PRAGMA may write, so it is queued for the connection thread at once
					Flux.from(this.connection.createStatement("PRAGMA user_version").execute())
						.concatMap((other) -> other.map((value) -> "other"))
						.subscribe(events::add);
				}
				events.add(Long.toString(x));
				return x;
			}));
		StepVerifier.create(rows).expectNextCount(100).expectComplete().verify(TIMEOUT);
		// the PRAGMA runs after the first turn of 10 rows, its own cursor after the second at
		// the latest: not after all of them
		assertThat(events.indexOf("other")).isNotNegative().isLessThan(events.indexOf("21"));
	}

	@Test
	void mapShouldRunAReadSubscribedFromOnNextAtOnce() {
		List<String> events = new CopyOnWriteArrayList<>();
		Flux<Long> rows = Flux.from(this.connection.createStatement("SELECT x FROM big WHERE x <= 3").execute())
			.concatMap((result) -> result.map((row) -> {
				long x = row.get(0, Long.class);
				// the rows are emitted with the connection let go of: a nested read runs at once,
				// on this thread, even when waited for. It is read to its end: a cancel would
				// queue the statement's close for the connection thread, which would then hold
				// the connection when this cursor takes its next turn.
				events.add(Flux.from(this.connection.createStatement("SELECT 'other'").execute())
					.concatMap((other) -> other.map((value) -> value.get(0, String.class)))
					.single()
					.block(TIMEOUT));
				events.add(Long.toString(x));
				return x;
			}));
		StepVerifier.create(rows).expectNext(1L, 2L, 3L).expectComplete().verify(TIMEOUT);
		assertThat(events).containsExactly("other", "1", "other", "2", "other", "3");
	}

	@Test
	void mapShouldEmitOnTheSubscribersThreadWhenTheConnectionIsIdle() {
		String caller = Thread.currentThread().getName();
		assertThat(Flux.from(this.connection.createStatement("SELECT x FROM big WHERE x <= 300").execute())
			.concatMap((result) -> result.map((row) -> Thread.currentThread().getName()))
			.distinct()
			.collectList()
			.block(TIMEOUT)).containsExactly(caller);
	}

	@Test
	void executeWhenResultsAreDroppedShouldCloseTheirStatements() {
		SqliteResult first = (SqliteResult) Mono
			.from(this.connection.createStatement("SELECT 1; SELECT x FROM big").execute())
			.block(TIMEOUT);
		StepVerifier.create(first.map((row) -> row.get(0))).expectNext(1L).expectComplete().verify(TIMEOUT);
		// the second result was never delivered: its cursor must not keep the table busy
		run("DROP TABLE big");
	}

	@Test
	void mapWhenTheConnectionClosesShouldFail() {
		SqliteResult result = result(ENDLESS);
		StepVerifier.create(result.map((row) -> row.get(0, Long.class)), 1)
			.expectNext(1L)
			.then(() -> this.connection.close().subscribe())
			.thenRequest(1)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcNonTransientResourceException.class)
				.hasMessageContaining("closed"))
			.verify(TIMEOUT);
	}

	@Test
	void getRowsUpdatedWhenQueryShouldCloseItWithoutReading() {
		SqliteResult result = result("SELECT x FROM big");
		StepVerifier.create(result.getRowsUpdated()).expectComplete().verify(TIMEOUT);
		assertThat(result.rowsRead()).isZero();
		run("DROP TABLE big");
	}

	@Test
	void mapWhenConsumedTwiceShouldFail() {
		SqliteResult result = result("SELECT 1");
		StepVerifier.create(result.map((row) -> row.get(0))).expectNext(1L).expectComplete().verify(TIMEOUT);
		StepVerifier.create(result.map((row) -> row.get(0))).expectError(IllegalStateException.class).verify(TIMEOUT);
	}

	@Test
	void mapWhenQueryFailsHalfwayShouldEmitTheRowsThenTheError() {
		SqliteResult result = result("SELECT CASE WHEN x < 3 THEN x ELSE abs(-9223372036854775807 - 1) END FROM big");
		StepVerifier.create(result.map((row) -> row.get(0, Long.class)))
			.expectNext(1L, 2L)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcException.class)
				.hasMessageContaining("integer overflow"))
			.verify(TIMEOUT);
		assertThat(rows("SELECT 1")).containsExactly(1L);
	}

	@Test
	void filterShouldHideSegments() {
		run("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
		SqliteResult result = result("INSERT INTO t (v) VALUES ('a'), ('b') RETURNING id");
		StepVerifier.create(result.filter(Result.UpdateCount.class::isInstance).getRowsUpdated())
			.expectNext(2L)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void flatMapShouldSeeRowsThenTheUpdateCount() {
		run("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
		SqliteResult result = result("INSERT INTO t (v) VALUES ('a'), ('b') RETURNING v");
		StepVerifier.create(result.flatMap((segment) -> Mono.just((segment instanceof Result.RowSegment row)
				? row.row().get(0, String.class) : "count " + ((Result.UpdateCount) segment).value())))
			.expectNext("a", "b", "count 2")
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void rowsShouldStayReadableAfterTheResultMovedOn() {
		List<Row> rows = result("SELECT x, 'v' || x AS v FROM big WHERE x <= 3").map((row, metadata) -> row)
			.collectList()
			.block(TIMEOUT);
		assertThat(rows).extracting((row) -> row.get("V", String.class)).containsExactly("v1", "v2", "v3");
	}

	private SqliteResult result(String sql) {
		return (SqliteResult) Mono.from(this.connection.createStatement(sql).execute()).block(TIMEOUT);
	}

	private List<Long> rows(String sql) {
		return result(sql).map((row) -> row.get(0, Long.class)).collectList().block(TIMEOUT);
	}

	private void run(String sql) {
		Flux.from(this.connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).blockLast(TIMEOUT);
	}

}

package dev.databases.sqlite;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SqliteStatement} and {@link SqliteBatch}.
 *
 * @author databases
 */
class SqliteStatementTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private SqliteConnection connection;

	@BeforeEach
	void open() {
		this.connection = new SqliteConnectionFactory(SqliteConnectionConfiguration.builder().build()).create()
			.block(TIMEOUT);
		run("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price NUMERIC)");
	}

	@AfterEach
	void close() {
		this.connection.close().block(TIMEOUT);
	}

	@Test
	void bindByIndexShouldFillQuestionMarksInOrder() {
		rowsUpdated(this.connection.createStatement("INSERT INTO item (name, price) VALUES (?, ?)")
			.bind(0, "pen")
			.bind(1, 2));
		assertThat(query("SELECT name, price FROM item", (row) -> row.get(0) + "=" + row.get(1)))
			.containsExactly("pen=2");
	}

	@Test
	void bindByNameShouldAcceptTheMarkerOrItsName() {
		rowsUpdated(this.connection.createStatement("INSERT INTO item (name, price) VALUES (:name, @price)")
			.bind("name", "pen")
			.bind("@price", 3));
		rowsUpdated(this.connection.createStatement("UPDATE item SET price = ?2 + $p WHERE name = ?1")
			.bind(0, "pen")
			.bind(1, 1)
			.bind("$p", 10));
		assertThat(query("SELECT price FROM item", (row) -> row.get(0, Integer.class))).containsExactly(11);
	}

	@Test
	void bindWhenNameRepeatsShouldBindEveryOccurrence() {
		List<Long> values = query(this.connection.createStatement("SELECT :v + :v, :v * 3").bind("v", 2),
				(row) -> row.get(0, Long.class) + row.get(1, Long.class));
		assertThat(values).containsExactly(10L);
	}

	@Test
	void bindWhenInvalidShouldFailAtOnce() {
		Statement statement = this.connection.createStatement("SELECT ?, :name");
		assertThatIllegalArgumentException().isThrownBy(() -> statement.bind(0, null));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> statement.bind(2, 1));
		assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(() -> statement.bind("other", 1))
			.withMessageContaining("name");
		assertThatIllegalArgumentException().isThrownBy(() -> statement.bind(0, new Object()))
			.withMessageContaining("java.lang.Object");
		assertThatIllegalArgumentException().isThrownBy(() -> statement.bindNull(0, null));
		assertThatIllegalArgumentException().isThrownBy(() -> statement.bind(0, Parameters.out(String.class)));
	}

	@Test
	void executeWhenParameterUnboundShouldFailNamingIt() {
		Statement statement = this.connection.createStatement("SELECT ?, ?").bind(0, 1);
		assertThatIllegalStateException().isThrownBy(statement::execute).withMessageContaining("[1]");
		assertThatIllegalStateException().isThrownBy(statement::add);
	}

	@Test
	void bindNullShouldStoreNull() {
		rowsUpdated(this.connection.createStatement("INSERT INTO item (name, price) VALUES (?, ?)")
			.bind(0, "free")
			.bindNull(1, Integer.class));
		assertThat(query("SELECT price IS NULL FROM item", (row) -> row.get(0, Boolean.class))).containsExactly(true);
	}

	@Test
	void addShouldRunTheStatementOncePerBindingSet() {
		Statement statement = this.connection.createStatement("INSERT INTO item (name) VALUES (?)");
		for (int i = 0; i < 600; i++) {
			statement.bind(0, "item-" + i);
			if (i < 599) {
				statement.add();
			}
		}
		List<Long> counts = Flux.from(statement.execute()).concatMap(Result::getRowsUpdated).collectList().block(TIMEOUT);
		assertThat(counts).hasSize(600).containsOnly(1L);
		assertThat(query("SELECT count(*) FROM item", (row) -> row.get(0))).containsExactly(600L);
	}

	@Test
	void addWhenOneSetFailsShouldKeepTheEarlierResultsAndFail() {
		Statement statement = this.connection.createStatement("INSERT INTO item (name) VALUES (?)")
			.bind(0, "a")
			.add()
			.bind(0, "a")
			.add()
			.bind(0, "b");
		StepVerifier.create(Flux.from(statement.execute()).concatMap(Result::getRowsUpdated))
			.expectNext(1L)
			.expectError(R2dbcDataIntegrityViolationException.class)
			.verify(TIMEOUT);
		assertThat(query("SELECT name FROM item", (row) -> row.get(0))).containsExactly("a");
	}

	@Test
	void returnGeneratedValuesShouldReturnTheKeyNamedAfterTheIntegerPrimaryKey() {
		run("INSERT INTO item (name) VALUES ('first')");
		Statement statement = this.connection.createStatement("INSERT INTO item (name) VALUES (?)")
			.bind(0, "second")
			.returnGeneratedValues();
		List<String> keys = Flux.from(statement.execute())
			.concatMap((result) -> result.map((row, metadata) -> metadata.getColumnMetadata(0).getName() + "="
					+ row.get(0)))
			.collectList()
			.block(TIMEOUT);
		assertThat(keys).containsExactly("id=2");
	}

	@Test
	void returnGeneratedValuesShouldGiveTheRowsAndTheUpdateCount() {
		Statement statement = this.connection.createStatement("INSERT INTO item (name) VALUES (?), (?)")
			.bind(0, "a")
			.bind(1, "b")
			.returnGeneratedValues("id", "upper(name) AS upper");
		List<Object> segments = Flux.from(statement.execute())
			.concatMap((result) -> result.<Object>flatMap((segment) -> Mono.just((segment instanceof Result.RowSegment row)
					? row.row().get("id") + ":" + row.row().get("upper") : ((Result.UpdateCount) segment).value())))
			.collectList()
			.block(TIMEOUT);
		assertThat(segments).containsExactly("1:A", "2:B", 2L);
	}

	@Test
	void returnGeneratedValuesWhenBatchShouldReturnAKeyPerBindingSet() {
		Statement statement = this.connection.createStatement("INSERT INTO item (name) VALUES (?)")
			.bind(0, "a")
			.add()
			.bind(0, "b")
			.returnGeneratedValues();
		assertThat(Flux.from(statement.execute())
			.concatMap((result) -> result.map((row) -> row.get(0, Long.class)))
			.collectList()
			.block(TIMEOUT)).containsExactly(1L, 2L);
	}

	@Test
	void returnGeneratedValuesWhenWithoutRowidShouldStillInsert() {
		run("CREATE TABLE tag (name TEXT PRIMARY KEY) WITHOUT ROWID");
		Statement statement = this.connection.createStatement("INSERT INTO tag VALUES ('x')").returnGeneratedValues();
		assertThat(Flux.from(statement.execute()).concatMap(Result::getRowsUpdated).collectList().block(TIMEOUT))
			.containsExactly(1L);
		assertThat(query("SELECT name FROM tag", (row) -> row.get(0))).containsExactly("x");
	}

	@Test
	void returnGeneratedValuesWhenSqlHasReturningShouldKeepIt() {
		Statement statement = this.connection.createStatement("INSERT INTO item (name) VALUES ('a') RETURNING name")
			.returnGeneratedValues();
		assertThat(query(statement, (row) -> row.get(0))).containsExactly("a");
	}

	@Test
	void executeWhenSeveralStatementsShouldGiveAResultForEach() {
		List<String> values = Flux
			.from(this.connection
				.createStatement("INSERT INTO item (name) VALUES (?); SELECT count(*) FROM item; UPDATE item SET price = ?")
				.bind(0, "a")
				.bind(1, 5)
				.execute())
			.concatMap((result) -> result
				.flatMap((segment) -> Mono.just((segment instanceof Result.RowSegment row) ? "rows:" + row.row().get(0)
						: "count:" + ((Result.UpdateCount) segment).value())))
			.collectList()
			.block(TIMEOUT);
		assertThat(values).containsExactly("count:1", "rows:1", "count:1");
	}

	@Test
	void executeWhenDdlShouldReportNoRowsChanged() {
		rowsUpdated(this.connection.createStatement("INSERT INTO item (name) VALUES ('a')"));
		assertThat(rowsUpdated(this.connection.createStatement("CREATE TABLE other (x)"))).containsExactly(0L);
	}

	@Test
	void executeWhenTriggerChangesRowsShouldCountOnlyTheStatementsOwn() {
		run("CREATE TABLE audit (name TEXT)");
		run("CREATE TRIGGER item_audit AFTER UPDATE ON item BEGIN INSERT INTO audit VALUES (new.name); "
				+ "INSERT INTO audit VALUES (old.name); END");
		run("INSERT INTO item (name) VALUES ('a'), ('b'), ('c')");
		assertThat(rowsUpdated(this.connection.createStatement("UPDATE item SET price = 1"))).containsExactly(3L);
		assertThat(query("SELECT count(*) FROM audit", (row) -> row.get(0))).containsExactly(6L);
	}

	@Test
	void executeWhenConstraintFailsShouldRaiseDataIntegrityViolation() {
		run("INSERT INTO item (name) VALUES ('a')");
		StepVerifier.create(Flux.from(this.connection.createStatement("INSERT INTO item (name) VALUES ('a')").execute())
			.concatMap(Result::getRowsUpdated))
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(R2dbcDataIntegrityViolationException.class)
					.hasMessageContaining("UNIQUE constraint failed: item.name");
				R2dbcException r2dbc = (R2dbcException) ex;
				assertThat(r2dbc.getSqlState()).isEqualTo("23505");
				assertThat(r2dbc.getErrorCode()).isEqualTo(2067);
				assertThat(r2dbc.getSql()).isEqualTo("INSERT INTO item (name) VALUES ('a')");
			})
			.verify(TIMEOUT);
	}

	@Test
	void executeWhenForeignKeyFailsShouldRaiseDataIntegrityViolation() {
		run("CREATE TABLE part (item_id INTEGER REFERENCES item (id))");
		StepVerifier.create(Flux.from(this.connection.createStatement("INSERT INTO part VALUES (42)").execute())
			.concatMap(Result::getRowsUpdated))
			.expectErrorSatisfies((ex) -> assertThat(((R2dbcException) ex).getSqlState()).isEqualTo("23503"))
			.verify(TIMEOUT);
	}

	@Test
	void executeWhenSyntaxIsWrongShouldRaiseBadGrammar() {
		StepVerifier.create(Flux.from(this.connection.createStatement("SELEKT 1").execute()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcBadGrammarException.class)
				.hasMessageContaining("syntax error")
				.extracting((e) -> ((R2dbcException) e).getSqlState())
				.isEqualTo("42000"))
			.verify(TIMEOUT);
	}

	@Test
	void executeAfterAnErrorShouldWork() {
		StepVerifier.create(Flux.from(this.connection.createStatement("SELECT * FROM missing").execute()))
			.expectError(R2dbcBadGrammarException.class)
			.verify(TIMEOUT);
		assertThat(query("SELECT 1", (row) -> row.get(0))).containsExactly(1L);
	}

	@Test
	void executeWhenSubscribedTwiceShouldRunTwice() {
		Publisher<? extends Result> insert = this.connection.createStatement("INSERT INTO item (name) VALUES (?)")
			.bind(0, "a")
			.execute();
		Flux.from(insert).concatMap(Result::getRowsUpdated).blockLast(TIMEOUT);
		StepVerifier.create(Flux.from(insert).concatMap(Result::getRowsUpdated))
			.expectError(R2dbcDataIntegrityViolationException.class)
			.verify(TIMEOUT);
	}

	@Test
	void createBatchShouldRunEachStatement() {
		List<Long> counts = Flux.from(this.connection.createBatch()
			.add("INSERT INTO item (name) VALUES ('a')")
			.add("INSERT INTO item (name) VALUES ('b'), ('c')")
			.add("DELETE FROM item WHERE name <> 'b'")
			.execute()).concatMap(Result::getRowsUpdated).collectList().block(TIMEOUT);
		assertThat(counts).containsExactly(1L, 2L, 2L);
	}

	private void run(String sql) {
		rowsUpdated(this.connection.createStatement(sql));
	}

	private List<Long> rowsUpdated(Statement statement) {
		return Flux.from(statement.execute()).concatMap(Result::getRowsUpdated).collectList().block(TIMEOUT);
	}

	private <T> List<T> query(String sql, Function<io.r2dbc.spi.Row, T> mapper) {
		return query(this.connection.createStatement(sql), mapper);
	}

	private <T> List<T> query(Statement statement, Function<io.r2dbc.spi.Row, T> mapper) {
		return Flux.from(statement.execute())
			.concatMap((result) -> result.map((row, metadata) -> mapper.apply(row)))
			.collectList()
			.block(TIMEOUT);
	}


}

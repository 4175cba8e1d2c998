package dev.databases.relational;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.databases.Database;
import dev.databases.DatabaseURL;
import dev.databases.NoSuchColumnException;
import dev.databases.Query;
import dev.databases.QueryBuilderTestDatabases;
import dev.databases.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.relational.core.sql.Column;
import org.springframework.data.relational.core.sql.Delete;
import org.springframework.data.relational.core.sql.Functions;
import org.springframework.data.relational.core.sql.Insert;
import org.springframework.data.relational.core.sql.LockMode;
import org.springframework.data.relational.core.sql.SQL;
import org.springframework.data.relational.core.sql.Select;
import org.springframework.data.relational.core.sql.Table;
import org.springframework.data.relational.core.sql.Update;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link RelationalQuery}: the Python README's query examples, update, delete, a join,
 * paging and transactions, written with Spring Data Relational statements and run on every
 * backend; and the rendering for each dialect.
 */
class RelationalQueryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String PREFIX = "qb_rel";

	private static final Table NOTES = Table.create(PREFIX + "_notes");

	private static final Column ID = NOTES.column("id");

	private static final Column TEXT = NOTES.column("text");

	private static final Column COMPLETED = NOTES.column("completed");

	private static final Column AUTHOR_ID = NOTES.column("author_id");

	private static final Table AUTHORS = Table.create(PREFIX + "_authors").as("a");

	private static final Column AUTHOR_NAME = AUTHORS.column("name").as("author");

	private static final Insert INSERT_NOTE = Insert.builder()
		.into(NOTES)
		.columns(TEXT, COMPLETED)
		.values(SQL.bindMarker(":text"), SQL.bindMarker(":completed"))
		.build();

	private static final Select ALL_NOTES = Select.builder().select(NOTES.asterisk()).from(NOTES).orderBy(ID).build();

	private static final Select NOTES_BY_COMPLETED = Select.builder()
		.select(ID, TEXT, COMPLETED)
		.from(NOTES)
		.where(COMPLETED.isEqualTo(SQL.bindMarker(":completed")))
		.orderBy(ID)
		.build();

	private static final Select NOTE_BY_ID = Select.builder()
		.select(ID, TEXT, COMPLETED)
		.from(NOTES)
		.where(ID.isEqualTo(SQL.bindMarker(":id")))
		.build();

	private static final Select COUNT_NOTES = Select.builder().select(Functions.count(ID).as("n")).from(NOTES).build();

	record Note(long id, String text, boolean completed) {
	}

	static void run(String url, Function<Database, Mono<?>> test) {
		QueryBuilderTestDatabases.assumeAvailable(url);
		Database db = new Database(url);
		try {
			db.connect()
				.then(QueryBuilderTestDatabases.createTables(db, url, PREFIX))
				.then(Mono.defer(() -> test.apply(db)))
				.block(TIMEOUT);
		}
		finally {
			if (db.isConnected()) {
				QueryBuilderTestDatabases.dropTables(db, PREFIX).onErrorResume((error) -> Mono.empty()).block(TIMEOUT);
				db.disconnect().block(TIMEOUT);
			}
		}
	}

	private static Mono<Long> insertThreeNotes(Database db) {
		return db.execute(RelationalQuery.of(INSERT_NOTE, Map.of("text", "example1", "completed", true)))
			.then(db.executeMany(RelationalQuery.of(INSERT_NOTE), List.of(Map.of("text", "example2", "completed", false),
					Map.of("text", "example3", "completed", true))));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> valuesOf(Query query) {
		return (Map<String, Object>) query.values();
	}

	private static List<String> texts(List<Record> rows) {
		return rows.stream().map((row) -> RelationalQuery.value(row, TEXT, String.class)).toList();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void readmeQueriesShouldRunOnEveryBackend(String url) {
		run(url, (db) -> db.execute(RelationalQuery.of(INSERT_NOTE, Map.of("text", "example1", "completed", true)))
			.flatMap((result) -> {
				assertThat(result.rowsAffected()).isEqualTo(1);
				assertThat(result.lastRowId()).isNotNull();
				return db.executeMany(RelationalQuery.of(INSERT_NOTE), List.of(
						Map.of("text", "example2", "completed", false), Map.of("text", "example3", "completed", true)));
			})
			.flatMap((inserted) -> {
				assertThat(inserted).isEqualTo(2);
				return db.fetchAll(RelationalQuery.of(ALL_NOTES));
			})
			.flatMap((rows) -> {
				assertThat(texts(rows)).containsExactly("example1", "example2", "example3");
				assertThat(rows.get(0).get("completed", Boolean.class)).isTrue();
				return db.fetchAll(RelationalQuery.of(NOTES_BY_COMPLETED, Map.of("completed", true)));
			})
			.flatMap((rows) -> {
				assertThat(texts(rows)).containsExactly("example1", "example3");
				long firstId = RelationalQuery.value(rows.get(0), ID, Long.class);
				return db.fetchOne(RelationalQuery.of(NOTE_BY_ID, Map.of("id", firstId)));
			})
			.flatMap((row) -> {
				assertThat(RelationalQuery.value(row, TEXT)).isEqualTo("example1");
				assertThat(RelationalQuery.value(row, COMPLETED, Boolean.class)).isTrue();
				return db.fetchVal(RelationalQuery.of(COUNT_NOTES), Long.class);
			})
			.flatMap((count) -> {
				assertThat(count).isEqualTo(3);
				return db.iterate(RelationalQuery.of(ALL_NOTES))
					.map((row) -> RelationalQuery.value(row, TEXT, String.class))
					.collectList();
			})
			.doOnNext((texts) -> assertThat(texts).containsExactly("example1", "example2", "example3")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void fetchAllShouldMapRowsToJavaRecordsAndFetchValShouldReadAColumnByName(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.fetchAll(RelationalQuery.of(NOTES_BY_COMPLETED, Map.of("completed", true)), Note.class))
			.flatMap((notes) -> {
				assertThat(notes).extracting(Note::text).containsExactly("example1", "example3");
				assertThat(notes).allMatch(Note::completed);
				return db.fetchVal(RelationalQuery.of(NOTE_BY_ID, Map.of("id", notes.get(1).id())), "text", String.class);
			})
			.doOnNext((text) -> assertThat(text).isEqualTo("example3")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void fetchOneWhenNoRowMatchesShouldBeEmpty(String url) {
		run(url, (db) -> insertThreeNotes(db).then(db.fetchOne(RelationalQuery.of(NOTE_BY_ID, Map.of("id", -1))))
			.map((row) -> "a row")
			.defaultIfEmpty("no row")
			.doOnNext((found) -> assertThat(found).isEqualTo("no row")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void updateShouldChangeOnlyMatchingRows(String url) {
		Update complete = Update.builder()
			.table(NOTES)
			.set(COMPLETED.set(SQL.bindMarker(":completed")))
			.where(TEXT.isEqualTo(SQL.bindMarker(":text")))
			.build();
		run(url, (db) -> insertThreeNotes(db)
			.then(db.execute(RelationalQuery.of(complete, Map.of("completed", true, "text", "example2"))))
			.flatMap((result) -> {
				assertThat(result.rowsAffected()).isEqualTo(1);
				return db.fetchAll(RelationalQuery.of(NOTES_BY_COMPLETED, Map.of("completed", false)));
			})
			.doOnNext((rows) -> assertThat(rows).isEmpty()));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void deleteShouldRemoveRowsWhenInExpandsACollection(String url) {
		Delete delete = Delete.builder().from(NOTES).where(TEXT.in(SQL.bindMarker(":texts"))).build();
		run(url, (db) -> insertThreeNotes(db)
			.then(db.execute(RelationalQuery.of(delete, Map.of("texts", List.of("example1", "example3")))))
			.flatMap((result) -> {
				assertThat(result.rowsAffected()).isEqualTo(2);
				return db.fetchAll(RelationalQuery.of(ALL_NOTES));
			})
			.doOnNext((rows) -> assertThat(texts(rows)).containsExactly("example2")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void joinShouldReadColumnsByAlias(String url) {
		Insert author = Insert.builder()
			.into(Table.create(PREFIX + "_authors"))
			.columns(Table.create(PREFIX + "_authors").column("name"))
			.values(SQL.bindMarker(":name"))
			.build();
		Insert note = Insert.builder()
			.into(NOTES)
			.columns(TEXT, COMPLETED, AUTHOR_ID)
			.values(SQL.bindMarker(":text"), SQL.bindMarker(":completed"), SQL.bindMarker(":author"))
			.build();
		Select join = Select.builder()
			.select(TEXT, AUTHOR_NAME)
			.from(NOTES)
			.join(AUTHORS)
			.on(AUTHOR_ID)
			.equals(AUTHORS.column("id"))
			.where(COMPLETED.isEqualTo(SQL.bindMarker(":completed")))
			.orderBy(ID)
			.build();
		run(url, (db) -> db.execute(RelationalQuery.of(author, Map.of("name", "Ada")))
			.flatMap((ada) -> db.execute(RelationalQuery.of(author, Map.of("name", "Grace")))
				.flatMap((grace) -> db.executeMany(RelationalQuery.of(note),
						List.of(Map.of("text", "compilers", "completed", true, "author", grace.lastRowId()),
								Map.of("text", "engines", "completed", true, "author", ada.lastRowId()),
								Map.of("text", "draft", "completed", false, "author", ada.lastRowId())))))
			.then(db.fetchAll(RelationalQuery.of(join, Map.of("completed", true))))
			.doOnNext((rows) -> {
				assertThat(rows).hasSize(2);
				assertThat(RelationalQuery.value(rows.get(0), TEXT)).isEqualTo("compilers");
				assertThat(RelationalQuery.value(rows.get(0), AUTHOR_NAME)).isEqualTo("Grace");
				assertThat(RelationalQuery.value(rows.get(1), AUTHOR_NAME, String.class)).isEqualTo("Ada");
			}));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void limitAndOffsetShouldPageInEveryDialect(String url) {
		Select page = Select.builder().select(TEXT).from(NOTES).limitOffset(1, 1).orderBy(ID).build();
		Select skip = Select.builder().select(TEXT).from(NOTES).offset(1).orderBy(ID).build();
		Select first = Select.builder().select(TEXT).from(NOTES).limit(2).orderBy(ID).build();
		run(url, (db) -> insertThreeNotes(db).then(db.fetchAll(RelationalQuery.of(page)))
			.flatMap((rows) -> {
				assertThat(texts(rows)).containsExactly("example2");
				return db.fetchAll(RelationalQuery.of(skip));
			})
			.flatMap((rows) -> {
				assertThat(texts(rows)).containsExactly("example2", "example3");
				return db.fetchAll(RelationalQuery.of(first));
			})
			.doOnNext((rows) -> assertThat(texts(rows)).containsExactly("example1", "example2")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void lockedSelectShouldRunInATransaction(String url) {
		Select locked = Select.builder()
			.select(TEXT)
			.from(NOTES)
			.where(ID.isGreater(SQL.literalOf(0)))
			.orderBy(ID)
			.lock(LockMode.PESSIMISTIC_WRITE)
			.build();
		run(url, (db) -> insertThreeNotes(db)
			.then(db.transaction((tx) -> db.fetchAll(RelationalQuery.of(locked))))
			.doOnNext((rows) -> assertThat(texts(rows)).containsExactly("example1", "example2", "example3")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void transactionShouldRollBackBuilderStatementsOnError(String url) {
		IllegalStateException boom = new IllegalStateException("boom");
		Query insert = RelationalQuery.of(INSERT_NOTE, Map.of("text", "rolled back", "completed", false));
		run(url, (db) -> db.transaction((tx) -> db.execute(insert).then(Mono.error(boom)))
			.onErrorResume((error) -> {
				assertThat(error).isSameAs(boom);
				return Mono.empty();
			})
			.then(db.transaction((tx) -> tx.connection()
				.execute(RelationalQuery.of(INSERT_NOTE, Map.of("text", "committed", "completed", true)))))
			.then(db.fetchAll(RelationalQuery.of(ALL_NOTES)))
			.doOnNext((rows) -> assertThat(texts(rows)).containsExactly("committed")));
	}

	@Test
	void insertWithoutValuesShouldUseDefaultValuesOnSqlite() {
		String url = QueryBuilderTestDatabases.urls()
			.map((arguments) -> (String) arguments.get()[0])
			.filter((candidate) -> candidate.startsWith("sqlite:"))
			.findFirst()
			.orElseThrow();
		Insert empty = Insert.builder().into(NOTES).build();
		run(url, (db) -> db.execute(RelationalQuery.of(empty))
			.then(db.fetchVal(RelationalQuery.of(COUNT_NOTES), Long.class))
			.doOnNext((count) -> assertThat(count).isEqualTo(1)));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			postgresql://localhost/db | SELECT qb_rel_notes.text FROM qb_rel_notes ORDER BY qb_rel_notes.id LIMIT 2 OFFSET 1 FOR UPDATE OF qb_rel_notes
			postgres://localhost/db   | SELECT qb_rel_notes.text FROM qb_rel_notes ORDER BY qb_rel_notes.id LIMIT 2 OFFSET 1 FOR UPDATE OF qb_rel_notes
			mysql://localhost/db      | SELECT qb_rel_notes.text FROM qb_rel_notes ORDER BY qb_rel_notes.id LIMIT 1, 2 FOR UPDATE
			mariadb://localhost/db    | SELECT qb_rel_notes.text FROM qb_rel_notes ORDER BY qb_rel_notes.id LIMIT 1, 2 FOR UPDATE
			h2:mem:///db              | SELECT qb_rel_notes.text FROM qb_rel_notes ORDER BY qb_rel_notes.id OFFSET 1 ROWS FETCH FIRST 2 ROWS ONLY FOR UPDATE
			sqlite:///db.sqlite       | SELECT qb_rel_notes.text FROM qb_rel_notes ORDER BY qb_rel_notes.id LIMIT 2 OFFSET 1
			""")
	void renderForShouldUseTheDialectOfTheUrl(String url, String expected) {
		Select select = Select.builder()
			.select(TEXT)
			.from(NOTES)
			.limitOffset(2, 1)
			.orderBy(ID)
			.lock(LockMode.PESSIMISTIC_WRITE)
			.build();
		assertThat(RelationalQuery.of(select).renderFor(DatabaseURL.parse(url)).sql()).isEqualTo(expected);
	}

	@Test
	void renderForWhenSqliteAndOnlyAnOffsetShouldRenderANegativeLimit() {
		Select select = Select.builder().select(TEXT).from(NOTES).offset(5).build();
		assertThat(RelationalQuery.of(select).renderFor(DatabaseURL.parse("sqlite://")).sql())
			.isEqualTo("SELECT qb_rel_notes.text FROM qb_rel_notes LIMIT -1 OFFSET 5");
	}

	@Test
	void renderForShouldKeepNamedBindMarkersAndValues() {
		Query rendered = RelationalQuery.of(INSERT_NOTE, Map.of("text", "a", "completed", true))
			.renderFor(DatabaseURL.parse("postgresql://localhost/db"));
		assertThat(rendered.sql()).isEqualTo("INSERT INTO qb_rel_notes (text, completed) VALUES (:text, :completed)");
		assertThat(valuesOf(rendered)).containsExactlyInAnyOrderEntriesOf(Map.of("text", "a", "completed", true));
	}

	@Test
	void renderForShouldRenderEachDialectOnce() {
		RelationalQuery query = RelationalQuery.of(ALL_NOTES);
		Query postgres = query.renderFor(DatabaseURL.parse("postgresql://localhost/db"));
		assertThat(query.renderFor(DatabaseURL.parse("postgresql://other/db2"))).isSameAs(postgres);
		assertThat(query.renderFor(DatabaseURL.parse("mysql://localhost/db"))).isNotSameAs(postgres);
	}

	@Test
	void renderForWhenDatabaseUnsupportedShouldNameIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RelationalQuery.of(ALL_NOTES).renderFor(DatabaseURL.parse("r2dbc:mssql://localhost/db")))
			.withMessageContaining("'mssql'");
	}

	@Test
	void valuesShouldBeACopyThatAllowsNull() {
		Map<String, Object> values = new HashMap<>();
		values.put("text", null);
		values.put("completed", true);
		RelationalQuery query = RelationalQuery.of(INSERT_NOTE, values);
		values.put("completed", false);
		assertThat(valuesOf(query)).containsEntry("completed", true).containsEntry("text", null);
		assertThatThrownBy(() -> query.values().clear()).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void sqlShouldBeStandardSql() {
		Select select = Select.builder().select(TEXT).from(NOTES).limit(2).build();
		assertThat(RelationalQuery.of(select).sql())
			.isEqualTo("SELECT qb_rel_notes.text FROM qb_rel_notes FETCH FIRST 2 ROWS ONLY");
	}

	@Test
	void toStringShouldShowTheSqlButNotTheValues() {
		assertThat(RelationalQuery.of(INSERT_NOTE, Map.of("text", "secret", "completed", true)))
			.hasToString("RelationalQuery[INSERT INTO qb_rel_notes (text, completed) VALUES (:text, :completed)]");
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void valueWhenColumnNotSelectedShouldNameIt(String url) {
		run(url, (db) -> insertThreeNotes(db).then(db.fetchOne(RelationalQuery.of(NOTES_BY_COMPLETED,
				Map.of("completed", true)))).doOnNext((row) -> assertThatThrownBy(() -> RelationalQuery.value(row, AUTHOR_ID))
					.isInstanceOf(NoSuchColumnException.class)
					.hasMessageContaining("author_id")));
	}

}

package dev.databases.jooq;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.databases.Database;
import dev.databases.DatabaseURL;
import dev.databases.NoSuchColumnException;
import dev.databases.Query;
import dev.databases.QueryBuilderTestDatabases;
import dev.databases.Record;
import org.jooq.Converter;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link JooqQuery}: the Python README's query examples, update, delete, a join,
 * paging, converters and transactions, written with jOOQ and run on every backend; and the
 * rendering of bind values as {@code :name} parameters.
 */
class JooqQueryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String PREFIX = "qb_jooq";

	// Unquoted names: the tables are created unquoted, which H2 folds to upper case.
	private static final Table<?> NOTES = DSL.table(DSL.unquotedName(PREFIX + "_notes"));

	private static final Field<Long> ID = DSL.field(DSL.unquotedName(PREFIX + "_notes", "id"), Long.class);

	private static final Field<String> TEXT = DSL.field(DSL.unquotedName(PREFIX + "_notes", "text"), String.class);

	private static final Field<Boolean> COMPLETED = DSL.field(DSL.unquotedName(PREFIX + "_notes", "completed"),
			Boolean.class);

	private static final Field<Long> AUTHOR_ID = DSL.field(DSL.unquotedName(PREFIX + "_notes", "author_id"),
			Long.class);

	private static final Table<?> AUTHORS = DSL.table(DSL.unquotedName(PREFIX + "_authors"));

	private static final Field<Long> AUTHORS_ID = DSL.field(DSL.unquotedName(PREFIX + "_authors", "id"), Long.class);

	private static final Field<String> AUTHORS_NAME = DSL.field(DSL.unquotedName(PREFIX + "_authors", "name"),
			String.class);

	private static final DataType<Status> STATUS_TYPE = SQLDataType.BOOLEAN.asConvertedDataType(
			Converter.of(Boolean.class, Status.class, (done) -> done ? Status.DONE : Status.OPEN,
					(status) -> status == Status.DONE));

	private static final Field<Status> STATUS = DSL.field(DSL.unquotedName(PREFIX + "_notes", "completed"),
			STATUS_TYPE);

	private static final DatabaseURL POSTGRES = DatabaseURL.parse("postgresql://localhost/db");

	enum Status {

		OPEN, DONE

	}

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

	private static JooqQuery insertNote(String text, boolean completed) {
		return JooqQuery.of(DSL.insertInto(NOTES, TEXT, COMPLETED).values(text, completed));
	}

	/** An INSERT whose values are named parameters, for {@code executeMany}. */
	private static JooqQuery insertNotes() {
		return JooqQuery.of(DSL.insertInto(NOTES, TEXT, COMPLETED)
			.values(DSL.param("text", String.class), DSL.param("completed", Boolean.class)));
	}

	private static Mono<Long> insertThreeNotes(Database db) {
		return db.execute(insertNote("example1", true))
			.then(db.executeMany(insertNotes(), List.of(Map.of("text", "example2", "completed", false),
					Map.of("text", "example3", "completed", true))));
	}

	private static JooqQuery allNotes() {
		return JooqQuery.of(DSL.select(ID, TEXT, COMPLETED).from(NOTES).orderBy(ID));
	}

	private static List<String> texts(List<Record> rows) {
		return rows.stream().map((row) -> JooqQuery.value(row, TEXT)).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> valuesOf(Query query) {
		return (Map<String, Object>) query.values();
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void readmeQueriesShouldRunOnEveryBackend(String url) {
		run(url, (db) -> db.execute(insertNote("example1", true)).flatMap((result) -> {
			assertThat(result.rowsAffected()).isEqualTo(1);
			assertThat(result.lastRowId()).isNotNull();
			return db.executeMany(insertNotes(), List.of(Map.of("text", "example2", "completed", false),
					Map.of("text", "example3", "completed", true)));
		}).flatMap((inserted) -> {
			assertThat(inserted).isEqualTo(2);
			return db.fetchAll(allNotes());
		}).flatMap((rows) -> {
			assertThat(texts(rows)).containsExactly("example1", "example2", "example3");
			assertThat(JooqQuery.value(rows.get(0), COMPLETED)).isTrue();
			return db.fetchAll(JooqQuery.of(DSL.select(ID, TEXT).from(NOTES).where(COMPLETED.eq(true)).orderBy(ID)));
		}).flatMap((rows) -> {
			assertThat(texts(rows)).containsExactly("example1", "example3");
			Long firstId = JooqQuery.value(rows.get(0), ID);
			return db.fetchOne(JooqQuery.of(DSL.select(TEXT, COMPLETED).from(NOTES).where(ID.eq(firstId))));
		}).flatMap((row) -> {
			assertThat(JooqQuery.value(row, TEXT)).isEqualTo("example1");
			assertThat(JooqQuery.value(row, COMPLETED)).isTrue();
			return db.fetchVal(JooqQuery.of(DSL.selectCount().from(NOTES)), Long.class);
		}).flatMap((count) -> {
			assertThat(count).isEqualTo(3);
			return db.iterate(allNotes()).map((row) -> JooqQuery.value(row, TEXT)).collectList();
		}).doOnNext((texts) -> assertThat(texts).containsExactly("example1", "example2", "example3")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void fetchAllShouldMapRowsToJavaRecordsAndFetchValShouldReadAColumnByName(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.fetchAll(JooqQuery.of(DSL.select(ID, TEXT, COMPLETED).from(NOTES).where(COMPLETED.isTrue()).orderBy(ID)),
					Note.class))
			.flatMap((notes) -> {
				assertThat(notes).extracting(Note::text).containsExactly("example1", "example3");
				assertThat(notes).allMatch(Note::completed);
				return db.fetchVal(JooqQuery.of(DSL.select(ID, TEXT).from(NOTES).where(ID.eq(notes.get(1).id()))), "text",
						String.class);
			})
			.doOnNext((text) -> assertThat(text).isEqualTo("example3")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void fetchOneWhenNoRowMatchesShouldBeEmpty(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.fetchOne(JooqQuery.of(DSL.selectFrom(NOTES).where(TEXT.eq("nothing")))))
			.map((row) -> "a row")
			.defaultIfEmpty("no row")
			.doOnNext((found) -> assertThat(found).isEqualTo("no row")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void updateShouldChangeOnlyMatchingRows(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.execute(JooqQuery.of(DSL.update(NOTES).set(COMPLETED, true).where(TEXT.eq("example2")))))
			.flatMap((result) -> {
				assertThat(result.rowsAffected()).isEqualTo(1);
				return db.fetchAll(JooqQuery.of(DSL.select(TEXT).from(NOTES).where(COMPLETED.isFalse())));
			})
			.doOnNext((rows) -> assertThat(rows).isEmpty()));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void deleteShouldRemoveMatchingRows(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.execute(JooqQuery.of(DSL.deleteFrom(NOTES).where(TEXT.in("example1", "example3")))))
			.flatMap((result) -> {
				assertThat(result.rowsAffected()).isEqualTo(2);
				return db.fetchAll(allNotes());
			})
			.doOnNext((rows) -> assertThat(texts(rows)).containsExactly("example2")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void joinShouldReadFieldsByAlias(String url) {
		Field<String> author = AUTHORS_NAME.as("author");
		run(url, (db) -> db.execute(JooqQuery.of(DSL.insertInto(AUTHORS, AUTHORS_NAME).values("Ada")))
			.flatMap((ada) -> db.execute(JooqQuery.of(DSL.insertInto(AUTHORS, AUTHORS_NAME).values("Grace")))
				.flatMap((grace) -> db.execute(JooqQuery.of(DSL.insertInto(NOTES, TEXT, COMPLETED, AUTHOR_ID)
					.values("compilers", true, grace.lastRowId())
					.values("engines", true, ada.lastRowId())
					.values("draft", false, ada.lastRowId())))))
			.then(db.fetchAll(JooqQuery.of(DSL.select(TEXT, author)
				.from(NOTES)
				.join(AUTHORS)
				.on(AUTHOR_ID.eq(AUTHORS_ID))
				.where(COMPLETED.isTrue())
				.orderBy(ID))))
			.doOnNext((rows) -> {
				assertThat(rows).hasSize(2);
				assertThat(JooqQuery.value(rows.get(0), TEXT)).isEqualTo("compilers");
				assertThat(JooqQuery.value(rows.get(0), author)).isEqualTo("Grace");
				assertThat(JooqQuery.value(rows.get(1), author)).isEqualTo("Ada");
			}));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void limitAndOffsetShouldPageInEveryDialect(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.fetchAll(JooqQuery.of(DSL.select(TEXT).from(NOTES).orderBy(ID).limit(1).offset(1))))
			.flatMap((rows) -> {
				assertThat(texts(rows)).containsExactly("example2");
				return db.fetchAll(JooqQuery.of(DSL.select(TEXT).from(NOTES).orderBy(ID).limit(2)));
			})
			.doOnNext((rows) -> assertThat(texts(rows)).containsExactly("example1", "example2")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void convertersShouldApplyToBindValuesAndToValue(String url) {
		run(url, (db) -> db.execute(JooqQuery.of(DSL.insertInto(NOTES, TEXT, STATUS).values("done", Status.DONE)))
			.then(db.fetchOne(JooqQuery.of(DSL.select(TEXT, STATUS).from(NOTES).where(STATUS.eq(Status.DONE)))))
			.doOnNext((row) -> {
				assertThat(JooqQuery.value(row, STATUS)).isEqualTo(Status.DONE);
				assertThat(row.get("completed", Boolean.class)).isTrue();
			}));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void executeManyShouldTakeNamedParametersByRowAndDefaultsFromTheQuery(String url) {
		// "completed" keeps the query's own value unless a row gives one.
		JooqQuery insert = JooqQuery.of(DSL.insertInto(NOTES, TEXT, COMPLETED)
			.values(DSL.param("text", String.class), DSL.param("completed", true)));
		run(url, (db) -> db.executeMany(insert,
				List.of(Map.of("text", "a"), Map.of("text", "b", "completed", false), Map.of("text", "c")))
			.flatMap((inserted) -> {
				assertThat(inserted).isEqualTo(3);
				return db.fetchAll(JooqQuery.of(DSL.select(TEXT).from(NOTES).where(COMPLETED.isTrue()).orderBy(ID)));
			})
			.doOnNext((rows) -> assertThat(texts(rows)).containsExactly("a", "c")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void transactionShouldRollBackJooqStatementsOnError(String url) {
		IllegalStateException boom = new IllegalStateException("boom");
		run(url, (db) -> db.transaction((tx) -> db.execute(insertNote("rolled back", false)).then(Mono.error(boom)))
			.onErrorResume((error) -> {
				assertThat(error).isSameAs(boom);
				return Mono.empty();
			})
			.then(db.transaction((tx) -> tx.connection().execute(insertNote("committed", true))))
			.then(db.fetchAll(allNotes()))
			.doOnNext((rows) -> assertThat(texts(rows)).containsExactly("committed")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.QueryBuilderTestDatabases#urls")
	void valueWhenFieldNotSelectedShouldNameIt(String url) {
		run(url, (db) -> insertThreeNotes(db).then(db.fetchOne(allNotes()))
			.doOnNext((row) -> assertThatThrownBy(() -> JooqQuery.value(row, AUTHOR_ID))
				.isInstanceOf(NoSuchColumnException.class)
				.hasMessageContaining("author_id")));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			postgresql://localhost/db | select qb_jooq_notes.text from qb_jooq_notes where qb_jooq_notes.id = :p1 offset :p2 rows fetch next :p3 rows only
			mysql://localhost/db      | select qb_jooq_notes.text from qb_jooq_notes where qb_jooq_notes.id = :p1 limit :p2 offset :p3
			mariadb://localhost/db    | select qb_jooq_notes.text from qb_jooq_notes where qb_jooq_notes.id = :p1 offset :p2 rows fetch next :p3 rows only
			h2:mem:///db              | select qb_jooq_notes.text from qb_jooq_notes where qb_jooq_notes.id = cast(:p1 as bigint) offset :p2 rows fetch next :p3 rows only
			sqlite:///db.sqlite       | select qb_jooq_notes.text from qb_jooq_notes where qb_jooq_notes.id = :p1 limit :p2 offset :p3
			""")
	void renderForShouldUseTheDialectOfTheUrl(String url, String expected) {
		Query rendered = JooqQuery.of(DSL.select(TEXT).from(NOTES).where(ID.eq(7L)).limit(2).offset(1))
			.renderFor(DatabaseURL.parse(url));
		assertThat(rendered.sql()).isEqualTo(expected);
		assertThat(rendered.values()).hasSize(3);
		assertThat(valuesOf(rendered)).containsEntry("p1", 7L);
	}

	@Test
	void renderForShouldKeepValidParameterNamesAndNumberTheOthers() {
		Query rendered = JooqQuery
			.of(DSL.update(NOTES)
				.set(TEXT, DSL.param("text", "new"))
				.set(COMPLETED, true)
				.where(TEXT.eq(DSL.param("old text", "old"))))
			.renderFor(POSTGRES);
		assertThat(rendered.sql())
			.isEqualTo("update qb_jooq_notes set text = :text, completed = :p2 where qb_jooq_notes.text = :p3");
		assertThat(valuesOf(rendered)).containsExactly(Map.entry("text", "new"), Map.entry("p2", true),
				Map.entry("p3", "old"));
	}

	@Test
	void renderForWhenAParameterIsNamedLikeAGeneratedOneShouldNotClash() {
		Query rendered = JooqQuery.of(DSL.select(DSL.val(1), DSL.param("p1", 2), DSL.param("_p1", 3)))
			.renderFor(POSTGRES);
		assertThat(rendered.sql()).isEqualTo("select :__p1, :p1, :_p1");
		assertThat(valuesOf(rendered)).containsExactly(Map.entry("__p1", 1), Map.entry("p1", 2), Map.entry("_p1", 3));
	}

	@Test
	void renderForWhenOneParameterIsUsedTwiceShouldBindItOnce() {
		Param<String> text = DSL.param("text", "x");
		Query rendered = JooqQuery.of(DSL.select(TEXT).from(NOTES).where(TEXT.eq(text).or(TEXT.like(text))))
			.renderFor(POSTGRES);
		assertThat(rendered.sql()).isEqualTo(
				"select qb_jooq_notes.text from qb_jooq_notes where (qb_jooq_notes.text = :text or qb_jooq_notes.text like :text)");
		assertThat(valuesOf(rendered)).containsExactly(Map.entry("text", "x"));
	}

	@Test
	void renderForWhenTwoParametersShareANameButNotAValueShouldKeepBoth() {
		Query rendered = JooqQuery.of(DSL.select(DSL.param("x", 1), DSL.param("x", 2))).renderFor(POSTGRES);
		assertThat(rendered.sql()).isEqualTo("select :x, :p2");
		assertThat(valuesOf(rendered)).containsExactly(Map.entry("x", 1), Map.entry("p2", 2));
	}

	@Test
	void renderForShouldLeaveInlinedValuesAndLiteralsAlone() {
		Query rendered = JooqQuery.of(DSL.select(DSL.inline("it's ? :x -- not a comment"), DSL.val("?"))
			.where(DSL.field(DSL.unquotedName("a")).eq(DSL.inline(1))))
			.renderFor(DatabaseURL.parse("mysql://localhost/db"));
		assertThat(rendered.sql()).isEqualTo("select 'it''s ? :x -- not a comment', :p1 where a = 1");
		assertThat(valuesOf(rendered)).containsExactly(Map.entry("p1", "?"));
	}

	@Test
	void renderForShouldNumberPlainSqlBindValues() {
		ResultQuery<?> plain = DSL.resultQuery("select * from qb_jooq_notes where text = ? and completed = ?", "a", true);
		Query rendered = JooqQuery.of(plain).renderFor(POSTGRES);
		assertThat(rendered.sql()).isEqualTo("select * from qb_jooq_notes where text = :p1 and completed = :p2");
		assertThat(valuesOf(rendered)).containsExactly(Map.entry("p1", "a"), Map.entry("p2", true));
	}

	@Test
	void renderForShouldPassValuesThroughConverters() {
		Query rendered = JooqQuery.of(DSL.insertInto(NOTES, STATUS).values(Status.DONE)).renderFor(POSTGRES);
		assertThat(valuesOf(rendered)).containsExactly(Map.entry("p1", true));
	}

	@Test
	void renderForShouldTurnJdbcTemporalValuesIntoJavaTime() {
		java.sql.Date date = java.sql.Date.valueOf("2024-02-29");
		Query rendered = JooqQuery.of(DSL.select(DSL.val(date))).renderFor(POSTGRES);
		assertThat(valuesOf(rendered)).containsExactly(Map.entry("p1", java.time.LocalDate.of(2024, 2, 29)));
	}

	@Test
	void renderForShouldApplyTheSettingsOfTheQuerysConfiguration() {
		org.jooq.Query query = DSL.using(SQLDialect.DEFAULT, new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER))
			.select(DSL.field(DSL.name("text")))
			.from(DSL.table(DSL.name("notes")));
		assertThat(JooqQuery.of(query).renderFor(POSTGRES).sql()).isEqualTo("select text from notes");
		assertThat(JooqQuery.of(DSL.select(DSL.field(DSL.name("text")))).renderFor(POSTGRES).sql())
			.isEqualTo("select \"text\"");
	}

	@Test
	void renderForShouldSeeValuesBoundAfterOf() {
		org.jooq.Query insert = DSL.insertInto(NOTES, TEXT).values(DSL.param("text", "first"));
		JooqQuery query = JooqQuery.of(insert);
		assertThat(valuesOf(query.renderFor(POSTGRES))).containsEntry("text", "first");
		insert.bind("text", "second");
		assertThat(valuesOf(query.renderFor(POSTGRES))).containsEntry("text", "second");
	}

	@Test
	void renderForWhenDatabaseUnsupportedShouldNameIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> allNotes().renderFor(DatabaseURL.parse("r2dbc:mssql://localhost/db")))
			.withMessageContaining("'mssql'");
	}

	@Test
	void sqlAndValuesShouldUseTheQuerysOwnDialect() {
		JooqQuery query = JooqQuery.of(DSL.using(SQLDialect.MYSQL).select(TEXT).from(NOTES).where(ID.eq(3L)));
		assertThat(query.sql()).isEqualTo("select qb_jooq_notes.text from qb_jooq_notes where qb_jooq_notes.id = :p1");
		assertThat(valuesOf(query)).containsExactly(Map.entry("p1", 3L));
	}

	@Test
	void toStringShouldShowTheSqlButNotTheValues() {
		assertThat(insertNote("secret", true)).hasToString(
				"JooqQuery[insert into qb_jooq_notes (text, completed) values (:p1, :p2)]");
	}

	@Test
	void queryShouldBeTheWrappedJooqQuery() {
		org.jooq.Query select = DSL.selectOne();
		assertThat(JooqQuery.of(select).query()).isSameAs(select);
	}

}

package dev.databases;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the mapping of Java values to columns and back ({@link Conversions} and the
 * binding in {@link StatementRunner}): each type is bound into the backend's natural column
 * type and read back with {@code fetchOne(sql, values, Type.class)}, {@code Record.get(column,
 * Type.class)} and as a Java record's component, on every backend. The README's table "How
 * values map" is this class in prose.
 */
class TypeMappingTests {

	private static final LocalDateTime LOCAL = LocalDateTime.of(2026, 12, 7, 10, 15, 30, 123_456_000);

	private static final OffsetDateTime OFFSET = LOCAL.atOffset(ZoneOffset.ofHours(2));

	enum Size {

		SMALL, LARGE

	}

	record Doc(String title, int count, List<String> tags) {
	}

	record DateRow(int id, LocalDate v) {
	}

	record TimeRow(int id, LocalTime v) {
	}

	record DateTimeRow(int id, LocalDateTime v) {
	}

	record OffsetRow(int id, OffsetDateTime v) {
	}

	record InstantRow(int id, Instant v) {
	}

	record ZonedRow(int id, ZonedDateTime v) {
	}

	record UuidRow(int id, UUID v) {
	}

	record SizeRow(int id, Size v) {
	}

	record DocRow(int id, Doc v) {
	}

	record BytesRow(int id, byte[] v) {
	}

	record DecimalRow(int id, BigDecimal v) {
	}

	record BooleanRow(int id, boolean v) {
	}

	record LongRow(int id, long v) {
	}

	record DoubleRow(int id, double v) {
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void localDateMapsToDate(String url) {
		roundTrip(url, "DATE", LocalDate.of(2026, 12, 7), LocalDate.class, DateRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void localTimeMapsToTimeToTheMicrosecond(String url) {
		// H2 and MySQL keep no fraction in a plain TIME.
		String type = (TestDatabases.isH2(url) || TestDatabases.isMySql(url)) ? "TIME(6)" : "TIME";
		roundTrip(url, type, LOCAL.toLocalTime(), LocalTime.class, TimeRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void localDateTimeMapsToTimestampWithoutTimeZone(String url) {
		roundTrip(url, TestDatabases.isMySql(url) ? "DATETIME(6)" : "TIMESTAMP", LOCAL, LocalDateTime.class,
				DateTimeRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void localDateTimeMapsToMySqlTimestampToo(String url) {
		// r2dbc-mysql reads a TIMESTAMP as a ZonedDateTime: issue 16's failing record.
		roundTrip(url, "TIMESTAMP(6)", LOCAL, LocalDateTime.class, DateTimeRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void offsetDateTimeMapsToTimestampWithTimeZoneKeepingTheInstant(String url) {
		roundTrip(url, zonedType(url), OFFSET, OffsetDateTime.class, OffsetRow.class, TypeMappingTests::sameInstant);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void instantMapsToTimestampWithTimeZone(String url) {
		roundTrip(url, zonedType(url), OFFSET.toInstant(), Instant.class, InstantRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void zonedDateTimeMapsToTimestampWithTimeZoneKeepingTheInstantNotTheZone(String url) {
		ZonedDateTime paris = LOCAL.atZone(ZoneId.of("Europe/Paris"));
		roundTrip(url, zonedType(url), paris, ZonedDateTime.class, ZonedRow.class,
				(read, written) -> assertThat(read.toInstant()).isEqualTo(written.toInstant()));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void uuidMapsToUuidOrItsText(String url) {
		String type = (TestDatabases.isPostgres(url) || TestDatabases.isH2(url)) ? "UUID"
				: TestDatabases.isMySql(url) ? "CHAR(36)" : "TEXT";
		roundTrip(url, type, UUID.randomUUID(), UUID.class, UuidRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void enumMapsToItsName(String url) {
		roundTrip(url, "VARCHAR(20)", Size.LARGE, Size.class, SizeRow.class);
		String stored = withTable(url, "VARCHAR(20)", Size.LARGE,
				(db) -> db.fetchVal("SELECT v FROM type_mapping", String.class));
		assertThat(stored).isEqualTo("LARGE");
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void recordMapsToJsonThroughJackson(String url) {
		String type = TestDatabases.isPostgres(url) ? "JSONB" : TestDatabases.isSqlite(url) ? "TEXT" : "JSON";
		Doc doc = new Doc("notes", 3, List.of("a", "b"));
		List<Object> read = withTable(url, type, doc, (db) -> Mono.zip(
				db.fetchVal("SELECT v FROM type_mapping WHERE id = :id", Map.of("id", 1), Doc.class),
				db.fetchOne("SELECT id, v FROM type_mapping WHERE id = :id", Map.of("id", 1), DocRow.class),
				db.fetchOne("SELECT v FROM type_mapping").map((record) -> record.get("v", Map.class)),
				db.fetchVal("SELECT v FROM type_mapping", String.class))
			.map((all) -> List.of(all.getT1(), all.getT2().v(), all.getT3(), all.getT4())));
		assertThat(read.get(0)).isEqualTo(doc);
		assertThat(read.get(1)).isEqualTo(doc);
		assertThat(read.get(2)).isEqualTo(Map.of("title", "notes", "count", 3, "tags", List.of("a", "b")));
		assertThat((String) read.get(3)).as("a JSON column reads as its text by default").contains("\"notes\"");
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void mapMapsToJsonThroughJackson(String url) {
		String type = TestDatabases.isPostgres(url) ? "JSON" : TestDatabases.isSqlite(url) ? "TEXT" : "JSON";
		Map<String, Object> map = Map.of("title", "plain", "count", 1, "tags", List.of());
		Doc read = withTable(url, type, map, (db) -> db.fetchVal("SELECT v FROM type_mapping", Doc.class));
		assertThat(read).isEqualTo(new Doc("plain", 1, List.of()));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void byteArrayMapsToBinary(String url) {
		String type = TestDatabases.isPostgres(url) ? "BYTEA" : TestDatabases.isSqlite(url) ? "BLOB" : "VARBINARY(100)";
		roundTrip(url, type, new byte[] { 0, 1, -1, 127, -128 }, byte[].class, BytesRow.class);
		if (!TestDatabases.isPostgres(url)) {
			roundTrip(url, "BLOB", new byte[] { 0, 1, -1, 127, -128 }, byte[].class, BytesRow.class);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void bigDecimalMapsToNumericWithEveryDigit(String url) {
		// SQLite's NUMERIC columns store a double: only TEXT keeps every digit.
		String type = TestDatabases.isSqlite(url) ? "TEXT" : "NUMERIC(30, 10)";
		roundTrip(url, type, new BigDecimal("12345678901234567890.0123456789"), BigDecimal.class, DecimalRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void booleanMapsToBoolean(String url) {
		roundTrip(url, "BOOLEAN", Boolean.TRUE, Boolean.class, BooleanRow.class);
		roundTrip(url, "BOOLEAN", Boolean.FALSE, Boolean.class, BooleanRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void longMapsToBigint(String url) {
		roundTrip(url, "BIGINT", 1L << 40, Long.class, LongRow.class);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void doubleMapsToDoublePrecision(String url) {
		String type = TestDatabases.isPostgres(url) || TestDatabases.isH2(url) ? "DOUBLE PRECISION"
				: TestDatabases.isSqlite(url) ? "REAL" : "DOUBLE";
		roundTrip(url, type, 0.1d, Double.class, DoubleRow.class);
	}

	/** The column type that keeps an instant: the offset is kept by H2 and SQLite only. */
	private static String zonedType(String url) {
		if (TestDatabases.isPostgres(url)) {
			return "TIMESTAMPTZ";
		}
		if (TestDatabases.isMySql(url)) {
			return "TIMESTAMP(6)";
		}
		return TestDatabases.isH2(url) ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
	}

	private static void sameInstant(OffsetDateTime read, OffsetDateTime written) {
		assertThat(read.toInstant()).isEqualTo(written.toInstant());
	}

	private static <T> void roundTrip(String url, String columnType, T value, Class<T> type,
			Class<? extends java.lang.Record> rowType) {
		roundTrip(url, columnType, value, type, rowType, (read, written) -> assertThat(read).isEqualTo(written));
	}

	/**
	 * Write {@code value} with a bound parameter, find it again with the same value bound
	 * (so binding matches what the server holds), and read it back all three ways.
	 */
	private static <T> void roundTrip(String url, String columnType, T value, Class<T> type,
			Class<? extends java.lang.Record> rowType, BiConsumer<T, T> same) {
		List<Object> read = withTable(url, columnType, value, (db) -> {
			Map<String, Object> byId = Map.of("id", 1);
			return db.fetchVal("SELECT COUNT(*) FROM type_mapping WHERE v = :v", Map.of("v", value), Long.class)
				.flatMap((count) -> db.fetchOne("SELECT v FROM type_mapping WHERE id = :id", byId, type)
					.flatMap((one) -> db.fetchOne("SELECT id, v FROM type_mapping WHERE id = :id", byId)
						.flatMap((record) -> db.fetchOne("SELECT id, v FROM type_mapping WHERE id = :id", byId, rowType)
							.map((row) -> List.of(count, one, record.get("v", type), component(row))))));
		});
		assertThat(read.get(0)).as("rows found by the bound value in %s", columnType).isEqualTo(1L);
		same.accept(type.cast(read.get(1)), value);
		same.accept(type.cast(read.get(2)), value);
		same.accept(type.cast(read.get(3)), value);
	}

	private static Object component(java.lang.Record row) {
		try {
			return row.getClass().getRecordComponents()[1].getAccessor().invoke(row);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static <R> R withTable(String url, String columnType, Object value,
			Function<Database, Mono<R>> work) {
		TestDatabases.assumeAvailable(url);
		Database db = new Database(url);
		db.connect().block();
		try {
			db.execute("DROP TABLE IF EXISTS type_mapping").block();
			db.execute("CREATE TABLE type_mapping (id INTEGER PRIMARY KEY, v " + columnType + ")").block();
			db.execute("INSERT INTO type_mapping (id, v) VALUES (1, :v)", Map.of("v", value)).block();
			return work.apply(db).block(java.time.Duration.ofSeconds(30));
		}
		finally {
			db.execute("DROP TABLE IF EXISTS type_mapping").onErrorComplete().block();
			db.disconnect().block();
		}
	}

}

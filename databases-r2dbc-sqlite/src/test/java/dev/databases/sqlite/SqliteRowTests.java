package dev.databases.sqlite;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SqliteRow} and {@link SqliteRowMetadata}: how values travel to
 * SQLite's storage classes and back.
 *
 * @author databases
 */
class SqliteRowTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private SqliteConnection connection;

	@BeforeEach
	void open() {
		this.connection = new SqliteConnectionFactory(SqliteConnectionConfiguration.builder().build()).create()
			.block(TIMEOUT);
	}

	@AfterEach
	void close() {
		this.connection.close().block(TIMEOUT);
	}

	@Test
	void getShouldDefaultToTheStorageClass() {
		Row row = row("SELECT 1, 2.5, 'text', x'0102', NULL, 9223372036854775807");
		assertThat(row.get(0)).isEqualTo(1L);
		assertThat(row.get(1)).isEqualTo(2.5d);
		assertThat(row.get(2)).isEqualTo("text");
		assertThat(row.get(3)).isEqualTo(ByteBuffer.wrap(new byte[] { 1, 2 }));
		assertThat(row.get(4)).isNull();
		assertThat(row.get(5)).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void getShouldConvertIntegersOnRequest() {
		Row row = row("SELECT 7, 0, 300");
		assertThat(row.get(0, Integer.class)).isEqualTo(7);
		assertThat(row.get(0, int.class)).isEqualTo(7);
		assertThat(row.get(0, Short.class)).isEqualTo((short) 7);
		assertThat(row.get(0, Byte.class)).isEqualTo((byte) 7);
		assertThat(row.get(0, Boolean.class)).isTrue();
		assertThat(row.get(1, Boolean.class)).isFalse();
		assertThat(row.get(0, Double.class)).isEqualTo(7.0);
		assertThat(row.get(0, BigDecimal.class)).isEqualTo(BigDecimal.valueOf(7));
		assertThat(row.get(0, String.class)).isEqualTo("7");
		assertThatIllegalArgumentException().isThrownBy(() -> row.get(2, Byte.class))
			.withMessageContaining("java.lang.Byte");
	}

	@Test
	void bindShouldStoreEachJavaTypeAndGetShouldReadItBack() {
		UUID uuid = UUID.randomUUID();
		LocalDate date = LocalDate.of(2024, 2, 29);
		LocalTime time = LocalTime.of(13, 45, 0, 500_000_000);
		LocalDateTime dateTime = LocalDateTime.of(2024, 1, 31, 23, 59, 58, 123_000_000);
		Instant instant = Instant.parse("2024-06-01T10:15:30.25Z");
		OffsetDateTime offset = OffsetDateTime.of(2024, 6, 1, 12, 15, 30, 0, ZoneOffset.ofHours(2));
		Row row = row(this.connection.createStatement("SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?")
			.bind(0, true)
			.bind(1, (short) 3)
			.bind(2, 4.5f)
			.bind(3, new BigDecimal("12345678901234567890.123"))
			.bind(4, new BigInteger("123456789012345678901234567890"))
			.bind(5, uuid)
			.bind(6, date)
			.bind(7, time)
			.bind(8, dateTime)
			.bind(9, instant)
			.bind(10, offset)
			.bind(11, "text".getBytes(StandardCharsets.UTF_8))
			.bind(12, ByteBuffer.wrap(new byte[] { 9 }))
			.bind(13, ChronoUnit.DAYS)
			.bind(14, Parameters.in(R2dbcType.VARCHAR, "typed")));
		assertThat(row.get(0)).isEqualTo(1L);
		assertThat(row.get(0, Boolean.class)).isTrue();
		assertThat(row.get(1, Short.class)).isEqualTo((short) 3);
		assertThat(row.get(2, Float.class)).isEqualTo(4.5f);
		assertThat(row.get(3, BigDecimal.class)).isEqualTo(new BigDecimal("12345678901234567890.123"));
		assertThat(row.get(4, BigInteger.class)).isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(row.get(5)).isEqualTo(uuid.toString());
		assertThat(row.get(5, UUID.class)).isEqualTo(uuid);
		assertThat(row.get(6)).isEqualTo("2024-02-29");
		assertThat(row.get(6, LocalDate.class)).isEqualTo(date);
		assertThat(row.get(7)).isEqualTo("13:45:00.5");
		assertThat(row.get(7, LocalTime.class)).isEqualTo(time);
		assertThat(row.get(8)).isEqualTo("2024-01-31 23:59:58.123");
		assertThat(row.get(8, LocalDateTime.class)).isEqualTo(dateTime);
		assertThat(row.get(9)).isEqualTo("2024-06-01 10:15:30.25");
		assertThat(row.get(9, Instant.class)).isEqualTo(instant);
		assertThat(row.get(10)).isEqualTo("2024-06-01 12:15:30+02:00");
		assertThat(row.get(10, OffsetDateTime.class)).isEqualTo(offset);
		assertThat(row.get(10, Instant.class)).isEqualTo(offset.toInstant());
		assertThat(row.get(11, byte[].class)).isEqualTo("text".getBytes(StandardCharsets.UTF_8));
		assertThat(row.get(11, String.class)).isEqualTo("text");
		assertThat(row.get(12, ByteBuffer.class)).isEqualTo(ByteBuffer.wrap(new byte[] { 9 }));
		assertThat(row.get(13, ChronoUnit.class)).isEqualTo(ChronoUnit.DAYS);
		assertThat(row.get(14)).isEqualTo("typed");
	}

	@Test
	void getShouldReadSqliteDateFunctions() {
		Row row = row("SELECT datetime('2024-03-01 08:00:00', '+1 day'), date('2024-03-01'), "
				+ "unixepoch('2024-03-01 00:00:00'), CURRENT_TIMESTAMP");
		assertThat(row.get(0, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 3, 2, 8, 0));
		assertThat(row.get(0, Instant.class)).isEqualTo(Instant.parse("2024-03-02T08:00:00Z"));
		assertThat(row.get(1, LocalDate.class)).isEqualTo(LocalDate.of(2024, 3, 1));
		assertThat(row.get(1, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 3, 1, 0, 0));
		assertThat(row.get(2, Instant.class)).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
		assertThat(row.get(3, Instant.class)).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1,
				ChronoUnit.MINUTES));
	}

	@Test
	void bindShouldMakeDatesComparableWithSqliteOwn() {
		List<Long> matches = Flux.from(this.connection
			.createStatement("SELECT ? < CURRENT_TIMESTAMP, ? = datetime('2024-01-01 10:00:00'), date(?) = ?")
			.bind(0, Instant.now().minusSeconds(3600))
			.bind(1, LocalDateTime.of(2024, 1, 1, 10, 0))
			.bind(2, LocalDateTime.of(2024, 1, 1, 10, 0))
			.bind(3, LocalDate.of(2024, 1, 1))
			.execute())
			.concatMap((result) -> result.map((row) -> row.get(0, Long.class) + row.get(1, Long.class)
					+ row.get(2, Long.class)))
			.collectList()
			.block(TIMEOUT);
		assertThat(matches).containsExactly(3L);
	}

	@Test
	void getAsBlobShouldStreamTheBytes() {
		Row row = row("SELECT x'00ff'");
		Blob blob = row.get(0, Blob.class);
		ByteBuffer bytes = Flux.from(blob.stream()).single().block(TIMEOUT);
		assertThat(bytes).isEqualTo(ByteBuffer.wrap(new byte[] { 0, (byte) 0xff }));
	}

	@Test
	void getWhenColumnIsUnknownShouldFail() {
		Row row = row("SELECT 1 AS a");
		assertThatExceptionOfType(java.util.NoSuchElementException.class).isThrownBy(() -> row.get("b"))
			.withMessageContaining("[a]");
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> row.get(1));
		assertThatIllegalArgumentException().isThrownBy(() -> row.get(0, null));
	}

	@Test
	void getMetadataShouldDescribeTheColumns() {
		Flux.from(this.connection.createStatement("CREATE TABLE typed (i INTEGER, r REAL, t VARCHAR(20), b BLOB, "
				+ "n NUMERIC, flag BOOLEAN)").execute()).blockLast(TIMEOUT);
		Flux.from(this.connection.createStatement("INSERT INTO typed VALUES (1, 1.5, 'x', x'01', 2, 1)").execute())
			.blockLast(TIMEOUT);
		RowMetadata metadata = Flux
			.from(this.connection.createStatement("SELECT i, r, t, b, n, flag, i + 1 AS expr FROM typed").execute())
			.concatMap((result) -> result.map((row, rowMetadata) -> rowMetadata))
			.single()
			.block(TIMEOUT);
		assertThat(metadata.getColumnMetadatas()).extracting(ColumnMetadata::getName)
			.containsExactly("i", "r", "t", "b", "n", "flag", "expr");
		assertThat(metadata.getColumnMetadatas()).extracting(ColumnMetadata::getJavaType)
			.containsExactly(Long.class, Double.class, String.class, ByteBuffer.class, Object.class, Object.class,
					Long.class);
		assertThat(metadata.getColumnMetadata("T").getNativeTypeMetadata()).isEqualTo("VARCHAR");
		assertThat(metadata.getColumnMetadata("flag").getType().getName()).isEqualTo("NUMERIC");
		assertThat(metadata.contains("EXPR")).isTrue();
	}

	private Row row(String sql) {
		return row(this.connection.createStatement(sql));
	}

	private Row row(Statement statement) {
		return Flux.from(statement.execute())
			.concatMap((result) -> result.map((row, metadata) -> row))
			.single()
			.block(TIMEOUT);
	}


}

package dev.databases;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Conversions} on its own: the lossless conversions that make a value the drivers
 * return in different types read as the type the caller names, and the refusals.
 */
class ConversionsTests {

	@Test
	void nullStaysNullWhateverIsAsked() {
		assertThat(Conversions.convert(null, int.class, "n")).isNull();
		assertThat(Conversions.convert(null, UUID.class, "n")).isNull();
	}

	@Test
	void aValueOfTheAskedTypeIsReturnedAsItIs() {
		Object value = new Object();
		assertThat(Conversions.convert(value, Object.class, "o")).isSameAs(value);
		assertThat(Conversions.convert(7, int.class, "n")).isEqualTo(7);
	}

	@Test
	void integersNarrowOnlyWhenTheyFit() {
		assertThat(Conversions.convert(42L, Integer.class, "n")).isEqualTo(42);
		assertThat(Conversions.convert(new BigDecimal("12"), Long.class, "n")).isEqualTo(12L);
		assertThat(Conversions.convert(3.0d, short.class, "n")).isEqualTo((short) 3);
		assertThat(Conversions.convert(BigInteger.TEN, Byte.class, "n")).isEqualTo((byte) 10);
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert(1L << 40, Integer.class, "big"))
			.withMessage("Column 'big' holds a java.lang.Long that cannot be converted to java.lang.Integer");
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert(1.5d, Long.class, "half"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Conversions.convert(new BigDecimal("2.5"), Integer.class, "d"));
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert(300, Byte.class, "b"));
	}

	@Test
	void decimalsAndBigIntegersComeFromAnyNumber() {
		assertThat(Conversions.convert(12L, BigDecimal.class, "n")).isEqualByComparingTo("12");
		assertThat(Conversions.convert(0.5d, BigDecimal.class, "n")).isEqualByComparingTo("0.5");
		assertThat(Conversions.convert(new BigInteger("123456789012345678901234567890"), BigDecimal.class, "n"))
			.isEqualByComparingTo("123456789012345678901234567890");
		assertThat(Conversions.convert(9L, BigInteger.class, "n")).isEqualTo(BigInteger.valueOf(9));
		assertThat(Conversions.convert(2, double.class, "n")).isEqualTo(2.0d);
		assertThat(Conversions.convert(2, Float.class, "n")).isEqualTo(2.0f);
	}

	@Test
	void booleansComeFromZeroOneAndText() {
		assertThat(Conversions.convert(1, boolean.class, "b")).isTrue();
		assertThat(Conversions.convert((byte) 0, Boolean.class, "b")).isFalse();
		assertThat(Conversions.convert("TRUE", Boolean.class, "b")).isTrue();
		assertThat(Conversions.convert("false", Boolean.class, "b")).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert(2, Boolean.class, "b"));
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert("yes", Boolean.class, "b"));
	}

	@Test
	void textBecomesUuidEnumAndTemporalValues() {
		UUID id = UUID.randomUUID();
		assertThat(Conversions.convert(id.toString(), UUID.class, "id")).isEqualTo(id);
		assertThat(Conversions.convert("SECONDS", java.util.concurrent.TimeUnit.class, "unit"))
			.isEqualTo(java.util.concurrent.TimeUnit.SECONDS);
		assertThat(Conversions.convert("2026-12-07", LocalDate.class, "d")).isEqualTo(LocalDate.of(2026, 12, 7));
		assertThat(Conversions.convert("10:15:30", LocalTime.class, "t")).isEqualTo(LocalTime.of(10, 15, 30));
		// SQLite's CURRENT_TIMESTAMP has a space where ISO has a T.
		assertThat(Conversions.convert("2026-12-07 10:15:30", LocalDateTime.class, "ts"))
			.isEqualTo(LocalDateTime.of(2026, 12, 7, 10, 15, 30));
		assertThat(Conversions.convert("2026-12-07T10:15:30Z", Instant.class, "i"))
			.isEqualTo(Instant.parse("2026-12-07T10:15:30Z"));
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert("nope", UUID.class, "id"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Conversions.convert("LIGHTYEARS", java.util.concurrent.TimeUnit.class, "unit"));
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert("07/12/2026", LocalDate.class, "d"));
	}

	@Test
	void anythingButBytesReadsAsText() {
		assertThat(Conversions.convert(42, String.class, "n")).isEqualTo("42");
		assertThat(Conversions.convert(LocalDate.of(2026, 1, 2), String.class, "d")).isEqualTo("2026-01-02");
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert(new byte[] { 1 }, String.class, "b"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Conversions.convert(ByteBuffer.wrap(new byte[] { 1 }), String.class, "b"));
	}

	@Test
	void bytesAndByteBuffersConvertBothWays() {
		ByteBuffer buffer = ByteBuffer.wrap(new byte[] { 1, 2, 3 });
		assertThat(Conversions.convert(buffer, byte[].class, "b")).containsExactly(1, 2, 3);
		assertThat(buffer.remaining()).as("the driver's buffer is not consumed").isEqualTo(3);
		assertThat(Conversions.convert(new byte[] { 4, 5 }, ByteBuffer.class, "b")).isEqualTo(ByteBuffer.wrap(new byte[] { 4, 5 }));
	}

	@Test
	void instantsAndZonedTimesConvertBetweenTheirForms() {
		OffsetDateTime offset = OffsetDateTime.of(2026, 12, 7, 10, 0, 0, 0, ZoneOffset.ofHours(2));
		assertThat(Conversions.convert(offset, Instant.class, "t")).isEqualTo(offset.toInstant());
		assertThat(Conversions.convert(offset, ZonedDateTime.class, "t")).isEqualTo(offset.toZonedDateTime());
		ZonedDateTime zoned = offset.toZonedDateTime();
		assertThat(Conversions.convert(zoned, Instant.class, "t")).isEqualTo(offset.toInstant());
		assertThat(Conversions.convert(zoned, OffsetDateTime.class, "t")).isEqualTo(offset);
		Instant instant = offset.toInstant();
		assertThat(Conversions.convert(instant, OffsetDateTime.class, "t"))
			.isEqualTo(instant.atOffset(ZoneOffset.UTC));
	}

	@Test
	void aMidnightTimestampReadsAsADateButATimeOfDayDoesNot() {
		assertThat(Conversions.convert(LocalDateTime.of(2026, 12, 7, 0, 0), LocalDate.class, "d"))
			.isEqualTo(LocalDate.of(2026, 12, 7));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Conversions.convert(LocalDateTime.of(2026, 12, 7, 0, 0, 1), LocalDate.class, "d"));
	}

	@Test
	void textKeepsEveryDigitOfADecimal() {
		assertThat(Conversions.convert("12345678901234567890.0123456789", BigDecimal.class, "d"))
			.isEqualTo(new BigDecimal("12345678901234567890.0123456789"));
		assertThat(Conversions.convert("42", BigInteger.class, "n")).isEqualTo(BigInteger.valueOf(42));
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert("4.5", BigInteger.class, "n"));
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert("many", BigDecimal.class, "d"));
	}

	@Test
	void sqliteTimestampTextReadsAsAnInstantInUtcUnlessItHasAnOffset() {
		assertThat(Conversions.convert("2026-12-07 08:15:30.123456", Instant.class, "t"))
			.isEqualTo(Instant.parse("2026-12-07T08:15:30.123456Z"));
		assertThat(Conversions.convert("2026-12-07 10:15:30.5+02:00", OffsetDateTime.class, "t"))
			.isEqualTo(OffsetDateTime.of(2026, 12, 7, 10, 15, 30, 500_000_000, ZoneOffset.ofHours(2)));
		assertThat(Conversions.convert("2026-12-07T10:15:30+02:00", ZonedDateTime.class, "t").toInstant())
			.isEqualTo(Instant.parse("2026-12-07T08:15:30Z"));
		assertThatIllegalArgumentException().isThrownBy(() -> Conversions.convert("10:15", Instant.class, "t"));
	}

	@Test
	void aMySqlTimestampReadsAsItsWallClock() {
		ZonedDateTime timestamp = ZonedDateTime.of(2026, 12, 7, 10, 15, 30, 0, ZoneOffset.UTC);
		assertThat(Conversions.convert(timestamp, LocalDateTime.class, "ts"))
			.isEqualTo(LocalDateTime.of(2026, 12, 7, 10, 15, 30));
	}

	record Doc(String title, int count) {
	}

	@Test
	void jsonTextReadsAsARecordOrAMapThroughJackson() {
		assertThat(Conversions.convert("{\"title\":\"a\",\"count\":2}", Doc.class, "doc")).isEqualTo(new Doc("a", 2));
		assertThat(Conversions.convert("{\"title\":\"a\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
				java.util.Map.class, "doc"))
			.isEqualTo(java.util.Map.of("title", "a"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Conversions.convert("{\"title\":\"secret\",\"count\":\"x\"}", Doc.class, "doc"))
			.withMessage("Column 'doc' holds a java.lang.String that cannot be converted to " + Doc.class.getName());
		assertThatIllegalArgumentException().as("plain values are never read as JSON")
			.isThrownBy(() -> Conversions.convert("{}", Integer.class, "n"));
	}

	@Test
	void theMessageNamesTypesButNeverTheValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Conversions.convert("secret-password", Integer.class, "password"))
			.withMessageContaining("'password'")
			.withMessageContaining("java.lang.String")
			.withMessageNotContaining("secret-password");
	}

}

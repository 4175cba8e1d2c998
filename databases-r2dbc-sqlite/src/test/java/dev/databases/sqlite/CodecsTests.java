package dev.databases.sqlite;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Codecs}.
 *
 * @author databases
 */
class CodecsTests {

	@Property(tries = 300)
	void encodeShouldOrderDateTimesAsTextAsInTime(@ForAll("dateTimes") LocalDateTime first,
			@ForAll("dateTimes") LocalDateTime second) {
		String a = (String) Codecs.encode(first);
		String b = (String) Codecs.encode(second);
		// SQLite compares dates as text, so text order must be time order
		assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(first.compareTo(second)));
	}

	@Property(tries = 300)
	void decodeShouldReadBackWhatEncodeWrote(@ForAll("dateTimes") LocalDateTime dateTime) {
		Object stored = Codecs.encode(dateTime);
		assertThat(Codecs.decode(stored, LocalDateTime.class, "c")).isEqualTo(dateTime);
		Instant instant = dateTime.toInstant(ZoneOffset.UTC);
		assertThat(Codecs.decode(Codecs.encode(instant), Instant.class, "c")).isEqualTo(instant);
	}

	@Property(tries = 300)
	void decodeShouldKeepEveryLong(@ForAll long value) {
		Object stored = Codecs.encode(value);
		assertThat(Codecs.decode(stored, Long.class, "c")).isEqualTo(value);
		assertThat(Codecs.decode(Codecs.encode(String.valueOf(value)), Long.class, "c")).isEqualTo(value);
	}

	@Provide
	Arbitrary<LocalDateTime> dateTimes() {
		return Arbitraries.longs()
			.between(LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC),
					LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC))
			.flatMap((seconds) -> Arbitraries.integers()
				.between(0, 999_999_999)
				.map((nanos) -> LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC)));
	}

}

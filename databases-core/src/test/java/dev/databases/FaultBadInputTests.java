package dev.databases;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.test.StepVerifier;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hostile values on every backend: quotes, backslashes, NUL, emoji, 10 kB strings and
 * SQL fragments are bound, stored and read back verbatim; and an IN list larger than the
 * server's parameter limit fails with a clear error instead of a hang.
 */
class FaultBadInputTests {

	private static final String TABLE = "rel_hostile";

	private static final long SEED = Long.getLong("databases.hostile.seed", 9L);

	/** Hand-picked values that break SQL built by concatenation, naive escaping, or a naive :name parser. */
	static List<String> corpus() {
		List<String> values = new ArrayList<>(List.of("", " ", "'", "''", "'''", "\"", "\\", "\\'", "\\\\'", "'\\",
				"\\0", "'; DROP TABLE " + TABLE + "; --", "\" OR 1=1 --", "' OR '1'='1", "1; SELECT 1", ":name",
				":v", "::text", ":1", "$1", "$$", "$tag$ x $tag$", "?", "??", "? :v ?", "/*", "*/", "/* :v */", "--",
				"-- :v", "#", "%", "_", "%_\\%", "[a]", "`x`", "\n", "\r\n", "\t", "\b", "\f", "\u001a", "\u007f",
				"abc   ", "   abc", "NULL", "null", "${jndi:ldap://127.0.0.1/x}", "%s%n%d", "é", "Ω", "ß", "\u00a0",
				"\ufeff", "\u202e", "\u2028\u2029", "\ud83d\ude00", "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67",
				"\ud835\udd38", "\u4e2d\u6587", "\u0645\u0631\u062d\u0628\u0627", "e\u0301", "\uffff", "\ufffd"));
		values.add("x".repeat(10_240));
		values.add("\ud83d\ude00".repeat(2_560));
		values.add("'".repeat(5_000));
		values.add("\\".repeat(5_000));
		values.add("'\\\"".repeat(3_000));
		return values;
	}

	/** Random strings from a seeded generator, drawn mostly from the characters that matter. */
	static List<String> generated(int count) {
		Random random = new Random(SEED);
		String special = "'\"\\`:?$;-/*#%_ \n\r\t";
		List<String> values = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int length = random.nextInt(64);
			StringBuilder text = new StringBuilder();
			for (int j = 0; j < length; j++) {
				switch (random.nextInt(5)) {
					case 0, 1 -> text.append(special.charAt(random.nextInt(special.length())));
					case 2 -> text.append((char) (0x20 + random.nextInt(0x5f)));
					case 3 -> {
						// Anywhere in the BMP outside the surrogates, then a supplementary code point.
						int c = 0xa0 + random.nextInt(0xd800 - 0xa0);
						text.appendCodePoint((random.nextInt(4) == 0) ? 0x1f300 + random.nextInt(0x300) : c);
					}
					default -> text.append((char) ('a' + random.nextInt(26)));
				}
			}
			values.add(text.toString());
		}
		return values;
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void hostileValuesShouldBeStoredAndReadBackVerbatim(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = ReliabilitySupport.connect(url, Map.of("max_size", 2));
		try {
			create(db, url);
			List<String> values = new ArrayList<>(corpus());
			values.addAll(generated(1_000));
			// One at a time through execute, and all at once through executeMany.
			Flux.range(0, corpus().size())
				.concatMap((i) -> db.execute("INSERT INTO " + TABLE + " (id, v) VALUES (:id, :v)",
						Map.of("id", i, "v", values.get(i))))
				.then()
				.block(NO_HANG);
			List<Map<String, Object>> rows = new ArrayList<>();
			for (int i = corpus().size(); i < values.size(); i++) {
				rows.add(Map.of("id", i, "v", values.get(i)));
			}
			db.executeMany("INSERT INTO " + TABLE + " (id, v) VALUES (:id, :v)", rows).block(NO_HANG);
			List<Record> stored = db.fetchAll("SELECT id, v FROM " + TABLE + " ORDER BY id").block(NO_HANG);
			assertThat(stored).hasSize(values.size());
			for (Record row : stored) {
				int id = row.get("id", Number.class).intValue();
				assertThat(row.get("v", String.class)).as("value %d read back", id).isEqualTo(values.get(id));
			}
			// Found by equality too, which sends each value as a parameter of a query.
			for (int i = 0; i < corpus().size(); i++) {
				String value = values.get(i);
				List<Record> found = db.fetchAll("SELECT id FROM " + TABLE + " WHERE v = :v", Map.of("v", value))
					.block(NO_HANG);
				assertThat(found).as("rows equal to value %d", i)
					.extracting((row) -> row.get("id", Number.class).intValue())
					.contains(i);
			}
		}
		finally {
			FaultInjectionTests.dropQuietly(db, TABLE);
			ReliabilitySupport.disconnect(db);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void nulShouldBeStoredVerbatimWhereTheBackendAllowsItAndRefusedClearlyWhereNot(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = ReliabilitySupport.connect(url, Map.of("max_size", 2));
		try {
			create(db, url);
			List<String> values = List.of("\u0000", "a\u0000b", "\u0000'\u0000\\", "\u0000".repeat(100));
			for (int i = 0; i < values.size(); i++) {
				int id = i;
				String value = values.get(i);
				var insert = db.execute("INSERT INTO " + TABLE + " (id, v) VALUES (:id, :v)", Map.of("id", i, "v", value));
				if (TestDatabases.isPostgres(url)) {
					// PostgreSQL text cannot hold NUL: SQLSTATE 22021, never a silent truncation.
					StepVerifier.create(insert).expectErrorSatisfies((error) -> {
						assertThat(error).isInstanceOf(DatabaseException.class);
						assertThat(((DatabaseException) error).sqlState()).isEqualTo("22021");
						assertThat(error.getMessage()).contains("0x00").doesNotContain(value);
					}).verify(NO_HANG);
				}
				else {
					insert.block(NO_HANG);
					StepVerifier.create(db.fetchVal("SELECT v FROM " + TABLE + " WHERE id = :id", Map.of("id", i),
							String.class))
						.assertNext((back) -> assertThat(back).as("NUL value %d", id).isEqualTo(value))
						.expectComplete()
						.verify(NO_HANG);
				}
			}
		}
		finally {
			FaultInjectionTests.dropQuietly(db, TABLE);
			ReliabilitySupport.disconnect(db);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void inListLargerThanTheServerParameterLimitShouldWorkOrFailClearlyWithoutAHang(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = ReliabilitySupport.connect(url, Map.of("max_size", 1, "disconnect_timeout", "2s"));
		try {
			create(db, url);
			db.executeMany("INSERT INTO " + TABLE + " (id, v) VALUES (:id, :v)",
					List.of(Map.of("id", 5, "v", "five"), Map.of("id", 69_999, "v", "last"))).block(NO_HANG);
			// A list under the limit first, on the same connection: the state in which PostgreSQL hung.
			StepVerifier.create(count(db, 30_000))
				.expectNext(1L)
				.expectComplete()
				.verify(NO_HANG);
			Signal<Long> outcome;
			try {
				outcome = count(db, 70_000).materialize().block(Duration.ofSeconds(15));
			}
			catch (IllegalStateException ex) {
				throw new AssertionError("IN (:ids) with 70,000 ids on " + TestDatabases.dialect(url)
						+ " hung: neither a result nor an error within 15 s", ex);
			}
			assertThat(outcome).isNotNull();
			if (outcome.isOnNext()) {
				assertThat(outcome.get()).isEqualTo(2L);
			}
			else {
				// Refused: then the error must say which parameter and what the limit is.
				Throwable error = outcome.getThrowable();
				assertThat(error).isInstanceOfAny(DatabaseException.class, IllegalArgumentException.class)
					.isNotInstanceOf(ConnectionException.class);
				assertThat(error.getMessage()).contains("ids").containsAnyOf("65535", "65,535", "32767", "32,767");
			}
		}
		finally {
			FaultInjectionTests.dropQuietly(db, TABLE);
			ReliabilitySupport.disconnect(db);
		}
	}

	@Test
	void rowValueOnH2ShouldFailAsASignalAndReleaseTheConnection() throws Throwable {
		Database db = ReliabilitySupport.connect("h2:mem:///rel_row_value",
				Map.of("max_size", 2, "disconnect_timeout", "2s"));
		Throwable failure = null;
		try {
			// r2dbc-h2 1.1.0 has no codec for ROW and recurses in ParameterCodec until the stack overflows.
			Throwable thrown = catchThrowable(() -> db.fetchAll("SELECT ROW(1, 2)").materialize().block(NO_HANG));
			assertThat(thrown).as("an error thrown at the caller instead of signalled").isNull();
			StepVerifier.create(db.fetchAll("SELECT ROW(1, 2)"))
				.expectError(DatabaseException.class)
				.verify(NO_HANG);
			ReliabilitySupport.awaitAllReleased(db).block(NO_HANG);
			StepVerifier.create(db.fetchVal("SELECT 1", Map.of(), Number.class))
				.expectNextCount(1)
				.expectComplete()
				.verify(NO_HANG);
		}
		catch (Throwable ex) {
			failure = ex;
		}
		// disconnect() must end within disconnect_timeout whatever state the driver is in.
		long started = System.nanoTime();
		Throwable hung = catchThrowable(() -> db.disconnect().block(Duration.ofSeconds(15)));
		long took = (System.nanoTime() - started) / 1_000_000;
		if (failure != null) {
			if (hung != null) {
				failure.addSuppressed(new AssertionError("disconnect() had not returned after " + took + " ms", hung));
			}
			throw failure;
		}
		assertThat(hung).as("disconnect() with disconnect_timeout=2s, after %d ms", took).isNull();
	}

	private static Mono<Long> count(Database db, int ids) {
		List<Integer> list = new ArrayList<>(ids);
		for (int i = 0; i < ids; i++) {
			list.add(i);
		}
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("ids", list);
		return db.fetchVal("SELECT COUNT(*) FROM " + TABLE + " WHERE id IN (:ids)", values, Number.class)
			.map(Number::longValue);
	}

	private static void create(Database db, String url) {
		db.execute("DROP TABLE IF EXISTS " + TABLE)
			.then(db.execute("CREATE TABLE " + TABLE + " (id INTEGER PRIMARY KEY, v " + ReliabilitySupport.textType(url)
					+ ")"))
			.block(NO_HANG);
	}

}

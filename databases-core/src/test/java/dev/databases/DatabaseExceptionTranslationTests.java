package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link Database.Builder#exceptionTranslator}: every query method, on the
 * Database and on a block's connection, signals the translated exception with the
 * {@link DatabaseException} as its cause; a translator may leave an error as it is.
 */
class DatabaseExceptionTranslationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** The caller's own exception type, as Spring's DataAccessException is. */
	static final class Translated extends RuntimeException {

		Translated(DatabaseException cause) {
			super("translated: " + cause.getMessage(), cause);
		}

	}

	private static final String DUPLICATE = "INSERT INTO translation_keys (id) VALUES (1)";

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void everyQueryMethodSignalsTheTranslatedExceptionWithTheDatabaseExceptionAsCause(String url) {
		withTable(url, Translated::new, (db) -> {
			List<Mono<?>> calls = List.of(db.execute(DUPLICATE), db.fetchAll(DUPLICATE), db.fetchOne(DUPLICATE),
					db.iterate(DUPLICATE).then(), db.executeMany("INSERT INTO translation_keys (id) VALUES (:id)",
							List.of(Map.of("id", 1))), db.fetchVal(DUPLICATE, Integer.class));
			for (Mono<?> call : calls) {
				Throwable error = catchThrowable(() -> call.block(TIMEOUT));
				assertThat(error).isInstanceOf(Translated.class)
					.cause()
					.isInstanceOf(ConstraintViolationException.class);
				assertThat(((DatabaseException) error.getCause()).sqlState()).startsWith("23");
			}
			Throwable inBlock = catchThrowable(() -> db.transaction((tx) -> tx.connection().execute(DUPLICATE))
				.block(TIMEOUT));
			assertThat(inBlock).as("on a block's connection, and passed on by the block").isInstanceOf(Translated.class);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM translation_keys", Long.class).block(TIMEOUT)).isEqualTo(1L);
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void aTranslatorReturningNullLeavesTheDatabaseException(String url) {
		withTable(url, (error) -> null, (db) -> assertThat(catchThrowable(() -> db.execute(DUPLICATE).block(TIMEOUT)))
			.isInstanceOf(ConstraintViolationException.class));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void errorsThatAreNotTheDatabasesPassUntranslated(String url) {
		withTable(url, Translated::new, (db) -> assertThat(catchThrowable(
				() -> db.fetchOne("SELECT id FROM translation_keys").map((record) -> record.get("id", List.class))
					.block(TIMEOUT)))
			.as("a conversion the caller asked for").isInstanceOf(IllegalArgumentException.class));
	}

	private static void withTable(String url, Function<DatabaseException, RuntimeException> translator,
			java.util.function.Consumer<Database> work) {
		TestDatabases.assumeAvailable(url);
		Database db = Database.builder(url).exceptionTranslator(translator).build();
		db.connect().block(TIMEOUT);
		try {
			db.execute("DROP TABLE IF EXISTS translation_keys").block(TIMEOUT);
			db.execute("CREATE TABLE translation_keys (id INTEGER PRIMARY KEY)").block(TIMEOUT);
			db.execute(DUPLICATE).block(TIMEOUT);
			work.accept(db);
		}
		finally {
			db.execute("DROP TABLE IF EXISTS translation_keys").onErrorComplete().block(TIMEOUT);
			db.disconnect().block(TIMEOUT);
		}
	}

}

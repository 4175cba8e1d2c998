package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how long an in-memory H2 database lives: while a {@link Database} on it is
 * connected, unless the URL's own {@code DB_CLOSE_DELAY} says otherwise.
 */
class EmbeddedH2LifetimeTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static String name() {
		return "lifetime_" + UUID.randomUUID().toString().replace("-", "");
	}

	private static Database connected(String url) {
		Database db = new Database(url);
		db.connect().block(TIMEOUT);
		return db;
	}

	private static void createNote(Database db) {
		db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text VARCHAR(100))")
			.then(db.execute("INSERT INTO notes(id, text) VALUES (1, 'kept')"))
			.block(TIMEOUT);
	}

	private static List<String> tables(Database db) {
		return db.fetchAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'")
			.block(TIMEOUT)
			.stream()
			.map((row) -> row.get(0, String.class).toLowerCase(java.util.Locale.ROOT))
			.toList();
	}

	@Test
	void explicitCloseDelayKeepsTheDatabaseAfterDisconnect() {
		String url = "h2:mem:///" + name() + "?DB_CLOSE_DELAY=-1";
		Database first = connected(url);
		createNote(first);
		first.disconnect().block(TIMEOUT);
		Database second = connected(url);
		try {
			assertThat(second.fetchVal("SELECT text FROM notes WHERE id = 1", Map.of(), String.class).block(TIMEOUT))
				.isEqualTo("kept");
			second.execute("SET DB_CLOSE_DELAY 0").block(TIMEOUT);
		}
		finally {
			second.disconnect().block(TIMEOUT);
		}
	}

	@Test
	void withoutCloseDelayTheDatabaseEndsWithItsDatabase() {
		String url = "h2:mem:///" + name();
		Database first = connected(url);
		createNote(first);
		first.disconnect().block(TIMEOUT);
		Database second = connected(url);
		try {
			assertThat(tables(second)).doesNotContain("notes");
		}
		finally {
			second.disconnect().block(TIMEOUT);
		}
	}

	@Test
	void sharedNameLivesUntilTheLastDatabaseDisconnects() {
		String url = "h2:mem:///" + name();
		Database first = connected(url);
		Database second = connected(url);
		createNote(first);
		first.disconnect().block(TIMEOUT);
		try {
			assertThat(second.fetchVal("SELECT text FROM notes WHERE id = 1", Map.of(), String.class).block(TIMEOUT))
				.as("seen by the Database still connected").isEqualTo("kept");
		}
		finally {
			second.disconnect().block(TIMEOUT);
		}
		Database third = connected(url);
		try {
			assertThat(tables(third)).as("after the last one disconnected").doesNotContain("notes");
		}
		finally {
			third.disconnect().block(TIMEOUT);
		}
	}

	@Test
	void forceRollbackDatabaseLeavesASharedDatabaseToItsOtherUsers() {
		String url = "h2:mem:///" + name();
		Database plain = connected(url);
		try {
			createNote(plain);
			Database forced = Database.builder(url).forceRollback(true).build();
			forced.connect().then(forced.execute("INSERT INTO notes(id, text) VALUES (2, 'rolled back')")).block(TIMEOUT);
			forced.disconnect().block(TIMEOUT);
			assertThat(plain.fetchVal("SELECT COUNT(*) FROM notes", Map.of(), Long.class).block(TIMEOUT)).isOne();
		}
		finally {
			plain.disconnect().block(TIMEOUT);
		}
	}

}

package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseListener}: every statement and every lent connection is
 * reported, and a failing listener changes nothing for the caller.
 */
class DatabaseListenerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static final class Recording implements DatabaseListener {

		final List<String> queries = new CopyOnWriteArrayList<>();

		final List<Throwable> errors = new CopyOnWriteArrayList<>();

		final AtomicInteger acquired = new AtomicInteger();

		final List<Object> released = new CopyOnWriteArrayList<>();

		final AtomicInteger created = new AtomicInteger();

		@Override
		public Object connectionAcquired(Duration waited) {
			return "lease-" + this.acquired.incrementAndGet();
		}

		@Override
		public void connectionReleased(@Nullable Object context, Duration held) {
			this.released.add(context);
		}

		@Override
		public void connectionCreated(Duration took) {
			this.created.incrementAndGet();
		}

		@Override
		public void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
			this.queries.add(sql);
			if (error != null) {
				this.errors.add(error);
			}
		}

	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void listenerSeesEveryStatementAndEveryLease(String url) {
		TestDatabases.assumeAvailable(url);
		Recording recording = new Recording();
		Database db = Database.builder(url).listener(recording).build();
		db.connect().block(TIMEOUT);
		try {
			db.execute("CREATE TABLE listener_notes (id INTEGER, text VARCHAR(100))").block(TIMEOUT);
			db.execute("INSERT INTO listener_notes(id, text) VALUES (:id, :text)", Map.of("id", 1, "text", "secret"))
				.block(TIMEOUT);
			db.fetchOne("SELECT * FROM listener_notes WHERE id = :id", Map.of("id", 1)).block(TIMEOUT);
			db.iterate("SELECT * FROM listener_notes").blockLast(TIMEOUT);
			StepVerifier.create(db.fetchAll("SELECT * FROM no_such_table")).expectError().verify(TIMEOUT);
			db.execute("DROP TABLE listener_notes").block(TIMEOUT);
			assertThat(recording.queries).containsExactly(
					"CREATE TABLE listener_notes (id INTEGER, text VARCHAR(100))",
					"INSERT INTO listener_notes(id, text) VALUES (:id, :text)",
					"SELECT * FROM listener_notes WHERE id = :id", "SELECT * FROM listener_notes",
					"SELECT * FROM no_such_table", "DROP TABLE listener_notes");
			assertThat(recording.errors).singleElement().isInstanceOf(DatabaseException.class);
			assertThat(recording.acquired).hasValue(6);
			assertThat(recording.released).containsExactlyInAnyOrder("lease-1", "lease-2", "lease-3", "lease-4",
					"lease-5", "lease-6");
			assertThat(recording.created).hasValueGreaterThanOrEqualTo(1);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void failingListenerChangesNothing(String url) {
		TestDatabases.assumeAvailable(url);
		DatabaseListener failing = new DatabaseListener() {

			@Override
			public Object connectionAcquired(Duration waited) {
				throw new IllegalStateException("listener bug");
			}

			@Override
			public void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
				throw new IllegalStateException("listener bug");
			}

		};
		Database db = Database.builder(url).listener(failing).build();
		db.connect().block(TIMEOUT);
		try {
			assertThat(db.fetchVal("SELECT 1", Integer.class).block(TIMEOUT)).isEqualTo(1);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

}

package dev.databases.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for many {@link SqliteConnection}s at once: readers and a writer on one WAL
 * database, and threads that end with their connections.
 *
 * @author databases
 */
class SqliteConcurrencyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int READERS = 16;

	private static final int TRANSACTIONS = 150;

	private static final int ROWS_PER_TRANSACTION = 3;

	@TempDir
	Path directory;

	@Test
	void readersAndAWriterShouldRunTogetherWithoutErrorsOrLostWrites() {
		SqliteConnectionFactory factory = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().database(this.directory.resolve("wal.db").toString()).build());
		Mono.usingWhen(factory.create(),
				(connection) -> rowsUpdated(connection, "CREATE TABLE log (id INTEGER PRIMARY KEY, v INTEGER)"),
				Connection::close)
			.block(TIMEOUT);
		AtomicBoolean written = new AtomicBoolean();
		Mono<Void> writer = Mono.usingWhen(factory.create(), (connection) -> Flux.range(0, TRANSACTIONS)
			.concatMap((i) -> Mono.from(connection.beginTransaction())
				.then(rowsUpdated(connection, "INSERT INTO log (v) VALUES (1), (2), (3)"))
				.then(Mono.from(connection.commitTransaction())))
			.then(), Connection::close).doFinally((signal) -> written.set(true));
		Flux<List<Long>> readers = Flux.range(0, READERS)
			.flatMap((reader) -> Mono.usingWhen(factory.create(),
					(connection) -> Mono.defer(() -> countRows(connection))
						.repeat(() -> !written.get())
						.collectList(),
					Connection::close), READERS);
		List<List<Long>> seen = Mono.zip(writer.then(Mono.just(true)), readers.collectList())
			.map((both) -> both.getT2())
			.block(TIMEOUT);
		assertThat(seen).hasSize(READERS);
		for (List<Long> counts : seen) {
			// every snapshot holds whole transactions, and no reader goes back in time
			assertThat(counts).isNotEmpty().allSatisfy((count) -> assertThat(count % ROWS_PER_TRANSACTION).isZero());
			assertThat(counts).isSorted();
		}
		// the readers really read while the writer wrote
		assertThat(seen.stream().flatMap(List::stream).distinct().count()).isGreaterThan(1);
		long total = Mono.usingWhen(factory.create(), SqliteConcurrencyTests::countRows, Connection::close)
			.block(TIMEOUT);
		assertThat(total).isEqualTo((long) TRANSACTIONS * ROWS_PER_TRANSACTION);
	}

	@RepeatedTest(5)
	void createWhenManyConnectionsOpenANewFileAtOnceShouldSucceed(RepetitionInfo repetition) {
		Path file = this.directory.resolve("new-" + repetition.getCurrentRepetition() + ".db");
		SqliteConnectionFactory factory = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().database(file.toString()).build());
		List<Long> created = Flux.range(0, READERS)
			.flatMap((i) -> Mono.usingWhen(factory.create(),
					(connection) -> rowsUpdated(connection, "CREATE TABLE IF NOT EXISTS t" + (i % 4) + " (v)"),
					Connection::close), READERS)
			.collectList()
			.block(TIMEOUT);
		assertThat(created).hasSize(READERS);
		String mode = Mono.usingWhen(factory.create(),
				(connection) -> SqliteConnectionFactoryTests.single(connection, "PRAGMA journal_mode"), Connection::close)
			.block(TIMEOUT);
		assertThat(mode).isEqualTo("wal");
	}

	@Test
	void closeShouldEndTheConnectionThread() throws InterruptedException {
		Set<Thread> before = sqliteThreads();
		SqliteConnectionFactory factory = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().database(this.directory.resolve("cycles.db").toString()).build());
		List<Integer> alive = new ArrayList<>();
		for (int round = 0; round < 10; round++) {
			Flux.range(0, 100)
				.concatMap((i) -> Mono.usingWhen(factory.create(), (connection) -> countOne(connection),
						Connection::close))
				.blockLast(TIMEOUT);
			alive.add(newThreads(before).size());
		}
		// threads end as connections close rather than piling up
		assertThat(alive).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(2));
		for (Thread thread : newThreads(before)) {
			thread.join(TIMEOUT.toMillis());
		}
		assertThat(newThreads(before)).isEmpty();
	}

	private static Set<Thread> newThreads(Set<Thread> before) {
		Set<Thread> threads = sqliteThreads();
		threads.removeAll(before);
		return threads;
	}

	private static Set<Thread> sqliteThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("sqlite-") && thread.isAlive())
			.collect(Collectors.toSet());
	}

	private static Mono<Long> countOne(Connection connection) {
		return Flux.from(connection.createStatement("SELECT 1").execute())
			.concatMap((result) -> result.map((row) -> row.get(0, Long.class)))
			.single();
	}

	private static Mono<Long> countRows(Connection connection) {
		return Flux.from(connection.createStatement("SELECT count(*) FROM log").execute())
			.concatMap((result) -> result.map((row) -> row.get(0, Long.class)))
			.single();
	}

	private static Mono<Long> rowsUpdated(Connection connection, String sql) {
		return Flux.from(connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).reduce(0L, Long::sum);
	}

}

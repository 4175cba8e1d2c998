package dev.databases.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SqliteConnectionFactory}.
 *
 * @author databases
 */
class SqliteConnectionFactoryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	@Test
	void createWhenInMemoryShouldShareTheDatabaseBetweenConnectionsOfOneFactory() {
		SqliteConnectionFactory factory = memory();
		Mono<Long> shared = Mono.usingWhen(factory.create(),
				(first) -> Mono.usingWhen(factory.create(),
						(second) -> execute(first, "CREATE TABLE t (v INTEGER)")
							.then(execute(first, "INSERT INTO t VALUES (1), (2)"))
							.then(count(second, "t")),
						Connection::close),
				Connection::close);
		StepVerifier.create(shared).expectNext(2L).expectComplete().verify(TIMEOUT);
	}

	@Test
	void createWhenInMemoryShouldNotShareTheDatabaseBetweenFactories() {
		SqliteConnectionFactory one = memory();
		SqliteConnectionFactory other = memory();
		Mono<Long> separate = Mono.usingWhen(one.create(),
				(first) -> Mono.usingWhen(other.create(),
						(second) -> execute(first, "CREATE TABLE t (v INTEGER)").then(count(second, "t")),
						Connection::close),
				Connection::close);
		StepVerifier.create(separate)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcBadGrammarException.class)
				.hasMessageContaining("no such table: t"))
			.verify(TIMEOUT);
	}

	@Test
	void createWhenInMemoryShouldKeepTheDatabaseWhileAConnectionIsOpen() {
		SqliteConnectionFactory factory = memory();
		Mono<Long> kept = Mono.usingWhen(factory.create(), (keeper) -> execute(keeper, "CREATE TABLE t (v INTEGER)")
			.then(Mono.usingWhen(factory.create(), (other) -> execute(other, "INSERT INTO t VALUES (1)"),
					Connection::close))
			.then(Mono.usingWhen(factory.create(), (other) -> count(other, "t"), Connection::close)), Connection::close);
		StepVerifier.create(kept).expectNext(1L).expectComplete().verify(TIMEOUT);
		// once the last connection closed, the database is gone
		StepVerifier.create(Mono.usingWhen(factory.create(), (connection) -> count(connection, "t"), Connection::close))
			.expectError(R2dbcBadGrammarException.class)
			.verify(TIMEOUT);
	}

	@Test
	void createWhenInMemoryShouldWaitForLocksUpToTheBusyTimeout() {
		SqliteConnectionFactory factory = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().busyTimeout(Duration.ofMillis(200)).build());
		long[] waited = new long[1];
		Mono<Long> blocked = Mono.usingWhen(factory.create(),
				(writer) -> execute(writer, "CREATE TABLE t (v INTEGER)")
					.then(Mono.from(writer.beginTransaction()))
					.then(execute(writer, "INSERT INTO t VALUES (1)"))
					.then(Mono.usingWhen(factory.create(), (other) -> Mono.fromRunnable(() -> waited[0] = System.nanoTime())
						.then(execute(other, "INSERT INTO t VALUES (2)")), Connection::close)),
				Connection::close);
		StepVerifier.create(blocked)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcTransientResourceException.class)
				.hasMessageContaining("in memory")
				.hasMessageContaining("busy_timeout of 200 ms"))
			.verify(TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - waited[0])).isGreaterThanOrEqualTo(Duration.ofMillis(150));
	}

	@Test
	void createWhenPooledInMemoryShouldShowEveryConnectionTheSameDatabase() {
		ConnectionPool pool = new ConnectionPool(
				ConnectionPoolConfiguration.builder(memory()).initialSize(3).minIdle(1).maxSize(3).build());
		try {
			Mono<Long> counted = Mono.usingWhen(pool.create(), (connection) -> execute(connection,
					"CREATE TABLE t (v INTEGER)"), Connection::close)
				.then(Flux.range(0, 6)
					.flatMap((i) -> Mono.usingWhen(pool.create(),
							(connection) -> execute(connection, "INSERT INTO t VALUES (" + i + ")"), Connection::close),
							3)
					.then())
				.then(Mono.usingWhen(pool.create(), (connection) -> count(connection, "t"), Connection::close));
			StepVerifier.create(counted).expectNext(6L).expectComplete().verify(TIMEOUT);
		}
		finally {
			pool.disposeLater().block(TIMEOUT);
		}
	}

	@Test
	void createWhenFileShouldCreateItInWalMode() {
		Path file = this.directory.resolve("wal.db");
		SqliteConnectionFactory factory = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().database(file.toString()).build());
		Mono<List<String>> settings = Mono.usingWhen(factory.create(),
				(connection) -> Flux.concat(single(connection, "PRAGMA journal_mode"),
						single(connection, "PRAGMA foreign_keys"), single(connection, "PRAGMA busy_timeout"),
						single(connection, "PRAGMA synchronous"))
					.collectList(),
				Connection::close);
		StepVerifier.create(settings)
			.assertNext((values) -> assertThat(values).containsExactly("wal", "1", "5000", "1"))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(file).exists();
	}

	@Test
	void createWhenConfiguredShouldApplyTheSettings() {
		SqliteConnectionFactory factory = new SqliteConnectionFactory(SqliteConnectionConfiguration.builder()
			.database(this.directory.resolve("settings.db").toString())
			.journalMode("delete")
			.foreignKeys(false)
			.busyTimeout(Duration.ofMillis(250))
			.pragma("cache_size", "-4000")
			.build());
		Mono<List<String>> settings = Mono.usingWhen(factory.create(),
				(connection) -> Flux.concat(single(connection, "PRAGMA journal_mode"),
						single(connection, "PRAGMA foreign_keys"), single(connection, "PRAGMA busy_timeout"),
						single(connection, "PRAGMA cache_size"))
					.collectList(),
				Connection::close);
		StepVerifier.create(settings)
			.assertNext((values) -> assertThat(values).containsExactly("delete", "0", "250", "-4000"))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void createWhenReadOnlyShouldRefuseWrites() {
		Path file = this.directory.resolve("read-only.db");
		SqliteConnectionFactory writer = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().database(file.toString()).build());
		StepVerifier.create(Mono.usingWhen(writer.create(), (connection) -> execute(connection, "CREATE TABLE t (v)"),
				Connection::close))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
		SqliteConnectionFactory reader = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().database(file.toString()).readOnly(true).build());
		StepVerifier.create(Mono.usingWhen(reader.create(),
				(connection) -> count(connection, "t").then(execute(connection, "INSERT INTO t VALUES (1)")),
				Connection::close))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(io.r2dbc.spi.R2dbcPermissionDeniedException.class)
				.hasMessageContaining(file.toString()))
			.verify(TIMEOUT);
	}

	@Test
	void createWhenDirectoryDoesNotExistShouldFailNamingTheFile() throws Exception {
		Path file = this.directory.resolve("missing").resolve("x.db");
		SqliteConnectionFactory factory = new SqliteConnectionFactory(
				SqliteConnectionConfiguration.builder().database(file.toString()).build());
		StepVerifier.create(factory.create())
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(R2dbcNonTransientResourceException.class)
				.hasMessageContaining(file.toString()))
			.verify(TIMEOUT);
		assertThat(Files.exists(file)).isFalse();
	}

	@Test
	void createShouldRunEachConnectionOnItsOwnThread() {
		SqliteConnectionFactory factory = memory();
		Mono<List<String>> threads = Mono.usingWhen(factory.create(),
				(first) -> Mono.usingWhen(factory.create(),
						(second) -> Flux.concat(threadOf(first), threadOf(second), threadOf(first)).collectList(),
						Connection::close),
				Connection::close);
		StepVerifier.create(threads).assertNext((names) -> {
			assertThat(names).allSatisfy((name) -> assertThat(name).startsWith("sqlite-"));
			assertThat(names.get(0)).isEqualTo(names.get(2)).isNotEqualTo(names.get(1));
		}).expectComplete().verify(TIMEOUT);
	}

	private static SqliteConnectionFactory memory() {
		return new SqliteConnectionFactory(SqliteConnectionConfiguration.builder().build());
	}

	static Mono<Long> execute(Connection connection, String sql) {
		return Flux.from(connection.createStatement(sql).execute())
			.concatMap((result) -> result.getRowsUpdated())
			.reduce(0L, Long::sum);
	}

	static Mono<Long> count(Connection connection, String table) {
		return Flux.from(connection.createStatement("SELECT count(*) FROM " + table).execute())
			.concatMap((result) -> result.map((row) -> row.get(0, Long.class)))
			.single();
	}

	static Mono<String> single(Connection connection, String sql) {
		return Flux.from(connection.createStatement(sql).execute())
			.concatMap((result) -> result.map((row) -> String.valueOf(row.get(0))))
			.single();
	}

	private static Mono<String> threadOf(Connection connection) {
		// a PRAGMA may write, so it runs on the connection's thread even when the connection is idle
		return Flux.from(connection.createStatement("PRAGMA user_version").execute())
			.concatMap((result) -> result.map((row) -> Thread.currentThread().getName()))
			.single();
	}

	static ConnectionFactory file(Path file) {
		return new SqliteConnectionFactory(SqliteConnectionConfiguration.builder().database(file.toString()).build());
	}

}

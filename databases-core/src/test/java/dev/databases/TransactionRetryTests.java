package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link TransactionOptions#retry(int)} against real conflicts on the servers: two
 * transactions that really deadlock or fail to serialise both commit, because the one the
 * server chose to end runs again; and what is never retried.
 */
class TransactionRetryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Counts the retries the listener hears of. */
	private static final class Retries implements DatabaseListener {

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		@Override
		public void transactionRetried(int attempt, Throwable error) {
			this.attempts.add(attempt);
		}

	}

	/** Opens once both parties have arrived: the first attempts of both hold their first lock. */
	private static final class Barrier {

		private final AtomicInteger arrived = new AtomicInteger();

		private final Sinks.Empty<Void> open = Sinks.empty();

		Mono<Void> arrive() {
			if (this.arrived.incrementAndGet() == 2) {
				this.open.tryEmitEmpty();
			}
			return this.open.asMono();
		}

	}

	private static Database connected(String url, DatabaseListener listener) {
		return connected(url, listener, null);
	}

	private static Database connected(String url, DatabaseListener listener,
			@Nullable Function<DatabaseException, RuntimeException> translator) {
		Database db = Database.builder(DatabaseURL.parse(url)).listener(listener).exceptionTranslator(translator).build();
		db.connect().block(TIMEOUT);
		return db;
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void twoTransactionsThatDeadlockShouldBothCommitThroughTheRetry(String url) {
		deadlockResolvedByTheRetry(url, null);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void twoTransactionsThatDeadlockShouldBothCommitWhenErrorsAreTranslated(String url) {
		// The retry decides on the DatabaseException behind the caller's exception type.
		deadlockResolvedByTheRetry(url, (error) -> new IllegalStateException("translated", error));
	}

	private void deadlockResolvedByTheRetry(String url, @Nullable Function<DatabaseException, RuntimeException> translator) {
		TestDatabases.assumeAvailable(url);
		Retries retries = new Retries();
		Database db = connected(url, retries, translator);
		try {
			db.execute("DROP TABLE IF EXISTS retry_accounts")
				.then(db.execute("CREATE TABLE retry_accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)"))
				.then(db.execute("INSERT INTO retry_accounts (id, balance) VALUES (1, 0), (2, 0)"))
				.block(TIMEOUT);
			Barrier barrier = new Barrier();
			AtomicInteger runs = new AtomicInteger();
			TransactionOptions options = TransactionOptions.defaults().retry(3);
			Function<int[], Mono<String>> transfer = (order) -> db.transaction(options, (tx) -> {
				boolean first = runs.incrementAndGet() <= 2;
				return db.execute("UPDATE retry_accounts SET balance = balance + 1 WHERE id = :id", Map.of("id", order[0]))
					.then(first ? Mono.defer(barrier::arrive) : Mono.<Void>empty())
					.then(db.execute("UPDATE retry_accounts SET balance = balance + 1 WHERE id = :id", Map.of("id", order[1])))
					.thenReturn("committed");
			});
			List<String> outcomes = Mono.zip(transfer.apply(new int[] { 1, 2 }), transfer.apply(new int[] { 2, 1 }),
					(a, b) -> List.of(a, b)).block(TIMEOUT);
			assertThat(outcomes).containsExactly("committed", "committed");
			assertThat(runs).as("one of the two ran again").hasValue(3);
			assertThat(retries.attempts).containsExactly(2);
			assertThat(db.fetchAll("SELECT balance FROM retry_accounts ORDER BY id", Map.of(), Integer.class)
				.block(TIMEOUT)).as("each transfer applied once, none half-applied").containsExactly(2, 2);
		}
		finally {
			db.execute("DROP TABLE IF EXISTS retry_accounts").onErrorResume((error) -> Mono.empty()).block(TIMEOUT);
			db.disconnect().block(TIMEOUT);
		}
	}

	@Test
	void twoSerializableTransactionsThatConflictShouldBothCommitOnPostgres() {
		String url = postgres();
		Retries retries = new Retries();
		Database db = connected(url, retries);
		try {
			db.execute("DROP TABLE IF EXISTS retry_counter")
				.then(db.execute("CREATE TABLE retry_counter (id INTEGER PRIMARY KEY, hits INTEGER NOT NULL)"))
				.then(db.execute("INSERT INTO retry_counter (id, hits) VALUES (1, 0)"))
				.block(TIMEOUT);
			Barrier barrier = new Barrier();
			AtomicInteger runs = new AtomicInteger();
			TransactionOptions options = TransactionOptions.defaults().isolation(IsolationLevel.SERIALIZABLE).retry(5);
			Mono<Integer> increment = db.transaction(options, (tx) -> {
				boolean first = runs.incrementAndGet() <= 2;
				// Both read the same snapshot, then both write: one of them cannot be serialised.
				return db.fetchVal("SELECT hits FROM retry_counter WHERE id = 1", Integer.class)
					.flatMap((hits) -> (first ? barrier.arrive() : Mono.<Void>empty())
						.then(db.execute("UPDATE retry_counter SET hits = :hits WHERE id = 1", Map.of("hits", hits + 1)))
						.thenReturn(hits + 1));
			});
			List<Integer> seen = Mono.zip(increment, increment, (a, b) -> List.of(a, b)).block(TIMEOUT);
			assertThat(seen).containsExactlyInAnyOrder(1, 2);
			assertThat(runs).hasValue(3);
			assertThat(retries.attempts).containsExactly(2);
			assertThat(db.fetchVal("SELECT hits FROM retry_counter WHERE id = 1", Integer.class).block(TIMEOUT))
				.as("no lost update").isEqualTo(2);
		}
		finally {
			db.execute("DROP TABLE IF EXISTS retry_counter").onErrorResume((error) -> Mono.empty()).block(TIMEOUT);
			db.disconnect().block(TIMEOUT);
		}
	}

	@Test
	void whenTheAttemptsRunOutTheLastErrorShouldSayHowManyRan() {
		Retries retries = new Retries();
		Database db = connected(postgres(), retries);
		try {
			AtomicInteger runs = new AtomicInteger();
			DatabaseException error = catchThrowableOfType(DatabaseException.class,
					() -> db.transaction(TransactionOptions.defaults().retry(3), (tx) -> {
						runs.incrementAndGet();
						return raise(db, "40001");
					}).block(TIMEOUT));
			assertThat(error.sqlState()).isEqualTo("40001");
			assertThat(error.attempts()).isEqualTo(3);
			assertThat(runs).hasValue(3);
			assertThat(retries.attempts).containsExactly(2, 3);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

	@Test
	void otherErrorsSavepointsAndForceRollbackShouldNeverBeRetried() {
		String url = postgres();
		Retries retries = new Retries();
		Database db = connected(url, retries);
		Database rolledBack = Database.builder(DatabaseURL.parse(url)).forceRollback(true).listener(retries).build();
		rolledBack.connect().block(TIMEOUT);
		try {
			TransactionOptions retrying = TransactionOptions.defaults().retry(3);
			AtomicInteger runs = new AtomicInteger();
			DatabaseException other = catchThrowableOfType(DatabaseException.class,
					() -> db.transaction(retrying, (tx) -> {
						runs.incrementAndGet();
						return raise(db, "22012");
					}).block(TIMEOUT));
			assertThat(other.attempts()).isEqualTo(1);
			assertThat(runs).as("a division by zero is not a conflict").hasValue(1);

			runs.set(0);
			DatabaseException nested = catchThrowableOfType(DatabaseException.class,
					() -> db.transaction((outer) -> db.transaction(retrying, (savepoint) -> {
						runs.incrementAndGet();
						return raise(db, "40001");
					})).block(TIMEOUT));
			assertThat(nested.sqlState()).isEqualTo("40001");
			assertThat(runs).as("a savepoint is not retried on its own").hasValue(1);

			runs.set(0);
			catchThrowableOfType(DatabaseException.class, () -> rolledBack.transaction(retrying, (tx) -> {
				runs.incrementAndGet();
				return raise(rolledBack, "40001");
			}).block(TIMEOUT));
			assertThat(runs).as("inside force-rollback every transaction is a savepoint").hasValue(1);
			assertThat(retries.attempts).isEmpty();
		}
		finally {
			rolledBack.disconnect().block(TIMEOUT);
			db.disconnect().block(TIMEOUT);
		}
	}

	@Test
	void aStreamingTransactionWhoseValuesReachedTheCallerShouldNeverRunAgain() {
		Retries retries = new Retries();
		Database db = Database.builder(DatabaseURL.parse(postgres())).transactionRetry(3).listener(retries).build();
		db.connect().block(TIMEOUT);
		try {
			AtomicInteger runs = new AtomicInteger();
			List<Object> seen = new CopyOnWriteArrayList<>();
			DatabaseException error = catchThrowableOfType(DatabaseException.class,
					() -> db.transactionMany((tx) -> {
						runs.incrementAndGet();
						return Flux.<Object>concat(db.fetchVal("SELECT 1", Integer.class), raise(db, "40001"));
					}).doOnNext(seen::add).blockLast(TIMEOUT));
			assertThat(error.sqlState()).isEqualTo("40001");
			assertThat(runs).as("its first value was already downstream").hasValue(1);
			assertThat(seen).containsExactly(1);
			assertThat(retries.attempts).isEmpty();
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
	}

	@Test
	void theDatabasesRetryShouldApplyToTransactionsGivenNoOptions() {
		Database db = Database.builder(DatabaseURL.parse(postgres())).transactionRetry(3).build();
		db.connect().block(TIMEOUT);
		try {
			AtomicInteger runs = new AtomicInteger();
			DatabaseException error = catchThrowableOfType(DatabaseException.class,
					() -> db.transaction((tx) -> {
						runs.incrementAndGet();
						return raise(db, "40P01");
					}).block(TIMEOUT));
			assertThat(error.attempts()).isEqualTo(3);
			assertThat(runs).hasValue(3);
			runs.set(0);
			catchThrowableOfType(DatabaseException.class,
					() -> db.transaction(TransactionOptions.defaults(), (tx) -> {
						runs.incrementAndGet();
						return raise(db, "40P01");
					}).block(TIMEOUT));
			assertThat(runs).as("options given to the call decide").hasValue(1);
		}
		finally {
			db.disconnect().block(TIMEOUT);
		}
		assertThatIllegalArgumentException().isThrownBy(() -> Database.builder(DatabaseURL.parse("h2:mem:///retry"))
			.transactionRetry(0)).withMessageContaining("at least 1");
	}

	@Test
	void retryShouldTakeAtLeastOneAttempt() {
		assertThatIllegalArgumentException().isThrownBy(() -> TransactionOptions.defaults().retry(0))
			.withMessageContaining("at least 1");
		assertThat(TransactionOptions.defaults().maxAttempts()).isEqualTo(1);
		assertThat(TransactionOptions.defaults().retry(4).maxAttempts()).isEqualTo(4);
		assertThat(TransactionOptions.defaults().retry(4)).isNotEqualTo(TransactionOptions.defaults());
	}

	/** The server, not the test, raises the error: its SQLSTATE is what the retry reads. */
	private static Mono<String> raise(Database db, String sqlState) {
		return db.execute("DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '" + sqlState
				+ "'; END $$").thenReturn("unreachable");
	}

	private static String postgres() {
		String url = TestDatabases.targets().stream().filter((target) -> !target.startsWith(TestDatabases.SKIPPED))
			.filter(TestDatabases::isPostgres).findFirst().orElse(null);
		if (url == null) {
			assertThat(TestDatabases.requireAll()).as("PostgreSQL is required (DATABASES_TEST_REQUIRE=all)").isFalse();
			org.junit.jupiter.api.Assumptions.abort("no PostgreSQL configured");
		}
		return url;
	}

}

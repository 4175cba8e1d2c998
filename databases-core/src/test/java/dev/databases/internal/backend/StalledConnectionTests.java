package dev.databases.internal.backend;

import java.time.Duration;
import java.util.Locale;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Lifecycle;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MySQL's connection wrapper against the real server: what ends a session's work (close,
 * the rollbacks, the pool's cleanup) is bounded by {@link StalledConnection#GRACE} and then
 * closes the socket, while a COMMIT and the user's statements are never cut short. The
 * exchange queue is held up the way a stall holds it: an exchange in front that does not end
 * ({@code SELECT SLEEP}), so that r2dbc-mysql queues everything sent after it.
 */
class StalledConnectionTests {

	/** Longer than the grace plus slack for a slow machine: an unbounded wait shows as a failure. */
	private static final int HOLD_SECONDS = 6;

	private static final Duration BOUND = StalledConnection.GRACE.plusSeconds(3);

	private ConnectionFactory factory;

	private MySqlPooledConnection connection;

	private Disposable holdingUp;

	@BeforeEach
	void connect() {
		this.factory = new MySqlBackend(true).decorate(ConnectionFactories.get(r2dbcUrl()));
		this.connection = (MySqlPooledConnection) Mono.from(this.factory.create()).block(BOUND);
	}

	@AfterEach
	void close() {
		if (this.holdingUp != null) {
			this.holdingUp.dispose();
		}
		if (this.connection != null) {
			StalledConnection.forceClose(this.connection.unwrap()).block(BOUND);
		}
	}

	@Test
	void closeBehindAStalledExchangeShouldEndWithinTheGraceAndCloseTheSocket() {
		holdUp(this.connection);
		assertThat(timed(Mono.from(this.connection.close()))).isLessThan(BOUND);
		assertThat(Mono.from(this.connection.validate(ValidationDepth.LOCAL)).block(BOUND)).isFalse();
	}

	@Test
	void rollbackBehindAStalledExchangeShouldEndWithinTheGraceAndCloseTheSocket() {
		Mono.from(this.connection.beginTransaction()).block(BOUND);
		holdUp(this.connection);
		assertThat(timed(Mono.from(this.connection.rollbackTransaction()))).isLessThan(BOUND);
		assertThat(Mono.from(this.connection.validate(ValidationDepth.LOCAL)).block(BOUND)).isFalse();
	}

	@Test
	void rollbackToASavepointBehindAStalledExchangeShouldEndWithinTheGraceAndCloseTheSocket() {
		Mono.from(this.connection.beginTransaction()).then(Mono.from(this.connection.createSavepoint("sp1")))
			.block(BOUND);
		holdUp(this.connection);
		assertThat(timed(Mono.from(this.connection.rollbackTransactionToSavepoint("sp1")))).isLessThan(BOUND);
		assertThat(Mono.from(this.connection.validate(ValidationDepth.LOCAL)).block(BOUND)).isFalse();
	}

	@Test
	void rollbackStatementBehindAStalledExchangeShouldEndWithNoResultWithinTheGrace() {
		execute(this.connection, "START TRANSACTION").block(BOUND);
		holdUp(this.connection);
		long started = System.nanoTime();
		assertThat(Flux.from(this.connection.createStatement("ROLLBACK").execute()).count().block(BOUND)).isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
		assertThat(Mono.from(this.connection.validate(ValidationDepth.LOCAL)).block(BOUND)).isFalse();
	}

	@Test
	void cleanupBehindAStalledExchangeShouldFailWithinTheGraceSoThePoolDropsTheConnection() {
		holdUp(this.connection);
		long started = System.nanoTime();
		assertThatThrownBy(() -> Mono.from(((Lifecycle) this.connection).preRelease()).block(BOUND))
			.isInstanceOf(R2dbcNonTransientResourceException.class)
			.hasMessageContaining("stalled");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
		assertThat(Mono.from(this.connection.validate(ValidationDepth.LOCAL)).block(BOUND)).isFalse();
	}

	@Test
	void commitAndStatementsAreNeverCutShort() {
		Mono.from(this.connection.beginTransaction()).block(BOUND);
		// Longer than the grace, shorter than the hold-up of the other tests.
		Mono<Long> sleep = execute(this.connection, "SELECT SLEEP(2)");
		Mono<Void> commit = Mono.from(this.connection.commitTransaction());
		assertThat(Mono.zip(sleep, commit.thenReturn(true)).map((both) -> both.getT2()).block(BOUND)).isTrue();
		assertThat(Mono.from(this.connection.validate(ValidationDepth.LOCAL)).block(BOUND)).isTrue();
		assertThat(execute(this.connection, "SELECT 1").block(BOUND)).isNotNull();
	}

	@Test
	void poolReleaseAsDatabaseClientClosesAConnectionShouldEndWithinTheGraceAndDropIt() {
		ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(this.factory)
			.initialSize(0)
			.maxSize(1)
			.validationDepth(ValidationDepth.LOCAL)
			.build());
		try {
			Connection lent = pool.create().block(BOUND);
			holdUp(lent);
			// DatabaseClient closes its connection after use: r2dbc-pool's release runs the cleanup.
			assertThat(timed(Mono.from(lent.close()))).isLessThan(BOUND);
			assertThat(pool.getMetrics().get().acquiredSize()).isZero();
			Connection next = pool.create().block(BOUND);
			assertThat(execute(next, "SELECT 1").block(BOUND)).isNotNull();
			Mono.from(next.close()).block(BOUND);
		}
		finally {
			pool.disposeLater().block(BOUND);
		}
	}

	/** Put an exchange in front of the queue that does not end during the test. */
	private void holdUp(Connection target) {
		this.holdingUp = execute(target, "SELECT SLEEP(" + HOLD_SECONDS + ")").onErrorResume((error) -> Mono.empty())
			.subscribe();
	}

	private static Mono<Long> execute(Connection target, String sql) {
		return Flux.from(target.createStatement(sql).execute())
			.concatMap((result) -> result.map((row, metadata) -> 1L))
			.concatWith(Mono.just(0L))
			.reduce(Long::sum);
	}

	private static Duration timed(Mono<Void> work) {
		long started = System.nanoTime();
		work.onErrorResume((error) -> Mono.empty()).block(BOUND.plusSeconds(HOLD_SECONDS));
		return Duration.ofNanos(System.nanoTime() - started);
	}

	/** The first MySQL or MariaDB URL of {@code DATABASES_TEST_URLS}, in r2dbc-mysql's form. */
	private static String r2dbcUrl() {
		String configured = System.getenv("DATABASES_TEST_URLS");
		if (configured != null) {
			for (String url : configured.split(",")) {
				String trimmed = url.trim();
				String lower = trimmed.toLowerCase(Locale.ROOT);
				if (lower.startsWith("mysql://") || lower.startsWith("mariadb://")) {
					return "r2dbc:mysql://" + trimmed.substring(trimmed.indexOf("://") + 3);
				}
			}
		}
		String reason = "no mysql:// or mariadb:// URL in DATABASES_TEST_URLS";
		if ("all".equalsIgnoreCase(System.getenv("DATABASES_TEST_REQUIRE"))) {
			throw new IllegalStateException(reason + ", and DATABASES_TEST_REQUIRE=all");
		}
		throw new TestAbortedException(reason);
	}

}

package dev.databases;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static dev.databases.ReliabilitySupport.NO_HANG;
import static dev.databases.ReliabilitySupport.awaitRunning;
import static dev.databases.ReliabilitySupport.sessionId;
import static dev.databases.ReliabilitySupport.sleep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network path between the pool and the server cut, restored and black-holed, through
 * a {@link LoopbackProxy}: failures come fast, name the host and port but never the
 * password, and the same {@link Database} works again once the path is back.
 */
class FaultNetworkTests {

	private static final String PASSWORD = "rel-Secret-pw-42";

	private static final String TABLE = "rel_network_tx";

	private static final Duration FAST = Duration.ofSeconds(3);

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void networkCutShouldFailFastNamingHostAndPortAndRecoverOnceRestored(String url) {
		TestDatabases.assumeAvailable(url);
		try (LoopbackProxy proxy = ReliabilitySupport.proxyFor(url)) {
			DatabaseURL via = ReliabilitySupport.through(url, proxy);
			Database db = ReliabilitySupport.connect(via.toUnmaskedString(), Map.of("min_size", 1, "max_size", 2,
					"connect_timeout", "2s", "disconnect_timeout", "2s"));
			try {
				assertThat(db.fetchVal("SELECT 1", Map.of(), Number.class).block(NO_HANG)).isEqualTo(1);
				proxy.cut();
				String where = "127.0.0.1:" + proxy.port();
				AtomicReference<Throwable> last = new AtomicReference<>();
				for (int attempt = 0; attempt < 3; attempt++) {
					long started = System.nanoTime();
					StepVerifier.create(db.fetchVal("SELECT 1", Map.of(), Number.class))
						.expectErrorSatisfies((error) -> {
							assertThat(error).isInstanceOf(ConnectionException.class);
							assertThat(error.getMessage()).doesNotContain(PASSWORD);
							last.set(error);
						})
						.verify(NO_HANG);
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
				}
				// Once the pool has dropped the dead connections, each call is a refused connect.
				assertThat(last.get().getMessage()).contains(where).doesNotContain(PASSWORD);
				// A database that has never connected says the same, and hides its password.
				Database withPassword = new Database(via.withPassword(PASSWORD));
				long started = System.nanoTime();
				StepVerifier.create(withPassword.connect()).expectErrorSatisfies((error) -> {
					assertThat(error).isInstanceOf(ConnectionException.class);
					assertThat(error.getMessage()).contains(where).doesNotContain(PASSWORD);
					assertThat(String.valueOf(error.getCause())).doesNotContain(PASSWORD);
				}).verify(NO_HANG);
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
				proxy.restore();
				StepVerifier.create(db.fetchVal("SELECT 1", Map.of(), Number.class))
					.expectNext(1)
					.expectComplete()
					.verify(NO_HANG);
				assertThat(db.poolMetrics().get().acquiredSize()).isZero();
			}
			finally {
				ReliabilitySupport.disconnect(db);
			}
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void networkCutDuringATransactionShouldFailItApplyNothingAndRecover(String url) {
		TestDatabases.assumeAvailable(url);
		Database admin = ReliabilitySupport.admin(url);
		AtomicLong session = new AtomicLong(-1);
		try (LoopbackProxy proxy = ReliabilitySupport.proxyFor(url)) {
			Database db = ReliabilitySupport.connect(ReliabilitySupport.through(url, proxy).toUnmaskedString(),
					Map.of("min_size", 1, "max_size", 1, "connect_timeout", "2s", "disconnect_timeout", "2s"));
			try {
				db.execute("DROP TABLE IF EXISTS " + TABLE)
					.then(db.execute("CREATE TABLE " + TABLE + " (id INTEGER PRIMARY KEY)"))
					.block(NO_HANG);
				Mono<Object> work = db.transaction((tx) -> db.execute("INSERT INTO " + TABLE + " (id) VALUES (1)")
					.then(db.execute("INSERT INTO " + TABLE + " (id) VALUES (2)"))
					.then(sessionId(db, url))
					.flatMap((id) -> {
						session.set(id);
						return Mono.when(db.fetchAll(sleep(url, 60)), awaitRunning(admin, url, id, "leep(60")
							.then(Mono.fromRunnable(proxy::cut)));
					})
					.thenReturn("committed"));
				StepVerifier.create(work)
					.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ConnectionException.class))
					.verify(NO_HANG);
				proxy.restore();
				StepVerifier.create(db.fetchVal("SELECT COUNT(*) FROM " + TABLE, Map.of(), Number.class))
					.assertNext((count) -> assertThat(count.longValue()).isZero())
					.expectComplete()
					.verify(NO_HANG);
				assertThat(db.poolMetrics().get().acquiredSize()).isZero();
			}
			finally {
				// The server only notices the lost client when its sleep ends; end it now.
				if (session.get() >= 0) {
					ReliabilitySupport.kill(admin, url, session.get()).onErrorResume((error) -> Mono.empty())
						.block(NO_HANG);
				}
				FaultInjectionTests.dropQuietly(db, TABLE);
				ReliabilitySupport.disconnect(db);
			}
		}
		finally {
			ReliabilitySupport.disconnect(admin);
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void blackHoleShouldFailConnectWithinConnectTimeout(String url) {
		TestDatabases.assumeAvailable(url);
		try (LoopbackProxy proxy = ReliabilitySupport.proxyFor(url)) {
			proxy.pause();
			Database db = Database.builder(ReliabilitySupport.through(url, proxy).withPassword(PASSWORD))
				.option("connect_timeout", "1s")
				.build();
			long started = System.nanoTime();
			StepVerifier.create(db.connect()).expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(ConnectionException.class);
				assertThat(error.getMessage()).contains("127.0.0.1:" + proxy.port())
					.contains("connect_timeout")
					.doesNotContain(PASSWORD);
			}).verify(NO_HANG);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
			assertThat(db.isConnected()).isFalse();
		}
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#serverUrls")
	void blackHoleDuringAQueryShouldEndItWithinStatementTimeout(String url) {
		TestDatabases.assumeAvailable(url);
		try (LoopbackProxy proxy = ReliabilitySupport.proxyFor(url)) {
			Database db = ReliabilitySupport.connect(ReliabilitySupport.through(url, proxy).toUnmaskedString(),
					Map.of("min_size", 1, "max_size", 1, "statement_timeout", "1s", "connect_timeout", "1s",
							"disconnect_timeout", "1s"));
			try {
				assertThat(db.fetchVal("SELECT 1", Map.of(), Number.class).block(NO_HANG)).isEqualTo(1);
				proxy.pause();
				// The server never sees the query, so only a bound kept by the client can end it.
				StepVerifier.create(db.fetchVal("SELECT 2", Map.of(), Number.class))
					.expectError(DatabaseException.class)
					.verify(Duration.ofSeconds(10));
			}
			finally {
				proxy.resume();
				ReliabilitySupport.disconnect(db);
			}
		}
	}

}

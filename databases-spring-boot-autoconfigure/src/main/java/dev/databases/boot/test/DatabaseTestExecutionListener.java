package dev.databases.boot.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.databases.Database;
import io.r2dbc.spi.Connection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Rolls back, after every test method, what the method wrote through a force-rollback
 * {@link Database}, so that each test starts from the same data even when Spring's context
 * cache keeps the database connected between tests and test classes.
 * <p>
 * With {@code databases.force-rollback=true} (which {@link AutoConfigureDatabase} sets) a
 * Database has one connection in one outer transaction. Before each test method this
 * listener sets a savepoint on it, and after the method it rolls back to that savepoint;
 * if the savepoint is gone (a MySQL DDL statement commits by itself), the outer transaction
 * is rolled back and begun anew. The database stays connected, so an in-memory database and
 * its migrations survive. What Spring's {@code DatabaseClient} and transaction manager write
 * through the Database's connection factory is on that same connection (their transactions
 * become savepoints), so it is rolled back too. Every Database bean that
 * {@link Database#isForceRollback() is force-rollback}, however it was built, is handled; the
 * others are left alone, and the listener never loads a context that is not loaded yet.
 *
 * @since 0.1.0
 */
public class DatabaseTestExecutionListener implements TestExecutionListener, Ordered {

	private static final Log logger = LogFactory.getLog(DatabaseTestExecutionListener.class);

	private static final String SAVEPOINT_ATTRIBUTE = DatabaseTestExecutionListener.class.getName() + ".savepoint";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final AtomicLong savepoints = new AtomicLong();

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		Map<String, Database> databases = forceRollbackDatabases(testContext);
		if (databases.isEmpty()) {
			return;
		}
		String savepoint = "databases_test_" + this.savepoints.incrementAndGet();
		testContext.setAttribute(SAVEPOINT_ATTRIBUTE, savepoint);
		databases.values()
			.forEach((database) -> onConnection(database, (connection) -> connection.createSavepoint(savepoint)));
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		Object savepoint = testContext.removeAttribute(SAVEPOINT_ATTRIBUTE);
		Map<String, Database> databases = forceRollbackDatabases(testContext);
		for (Database database : databases.values()) {
			onConnection(database, (connection) -> rollBack(connection, (String) savepoint));
		}
	}

	private Mono<Void> rollBack(Connection connection, @Nullable String savepoint) {
		Mono<Void> restart = Mono.from(connection.rollbackTransaction())
			.onErrorResume((error) -> Mono.empty())
			.then(Mono.from(connection.beginTransaction()));
		if (savepoint == null) {
			return restart;
		}
		return Mono.from(connection.rollbackTransactionToSavepoint(savepoint))
			.then(Mono.from(connection.releaseSavepoint(savepoint)).onErrorResume((error) -> Mono.empty()))
			.onErrorResume((error) -> {
				logger.debug("Savepoint " + savepoint + " is gone; rolling back the whole outer transaction",
						error);
				return restart;
			});
	}

	private void onConnection(Database database, Function<Connection, Publisher<Void>> work) {
		database.connection((connection) -> Mono.from(work.apply(connection.raw()))).then().block(TIMEOUT);
	}

	private Map<String, Database> forceRollbackDatabases(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return Map.of();
		}
		ApplicationContext context = testContext.getApplicationContext();
		Map<String, Database> databases = new LinkedHashMap<>(
				context.getBeansOfType(Database.class, false, false));
		databases.values().removeIf((database) -> !database.isForceRollback() || !database.isConnected());
		return databases;
	}

}

package dev.databases.internal.backend;

import dev.databases.internal.reactor.GraceTimeout;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Bounding the exchanges of an r2dbc-mysql connection whose exchange queue may stall, and
 * closing it at the socket when one has.
 * <p>
 * r2dbc-mysql 1.4 serialises every exchange, its own close included, through one queue.
 * A cancel at the wrong moment can leave that queue waiting forever (asyncer-io/r2dbc-mysql
 * issues 347 and 349), and then {@code close()} never completes, so the pool's permit for
 * that connection is never given back. Measured here: about one stalled connection in 25
 * rounds of 1,000 randomly cancelled transactions on MariaDB. The driver can close the
 * socket itself ({@code Client.forceClose()}), but only from inside; this reaches it.
 * <p>
 * Only what ends a session's work is bounded: a close, a rollback and the pool's cleanup,
 * all of which the server does itself when the session ends. A COMMIT is never cut short,
 * since its outcome would then be unknown.
 */
final class StalledConnection {

	/** How long a close, a rollback or a cleanup may take before the connection counts as stalled. */
	static final Duration GRACE = Duration.ofSeconds(1);

	private StalledConnection() {
	}

	/**
	 * {@code work}, or once it has run for {@link #GRACE} without ending, the connection
	 * closed at the socket instead: the server then rolls back and ends the session.
	 */
	static Mono<Void> bounded(Publisher<Void> work, io.r2dbc.spi.Connection driver) {
		return GraceTimeout.of(Mono.from(work), GRACE, forceClose(driver));
	}

	/**
	 * As {@link #bounded}, but failing after the close at the socket, for the pool's cleanup:
	 * r2dbc-pool then drops the connection instead of keeping it idle.
	 */
	static Mono<Void> boundedOrFail(Publisher<Void> work, io.r2dbc.spi.Connection driver) {
		return GraceTimeout.of(Mono.from(work), GRACE, forceClose(driver).then(Mono.error(
				() -> new R2dbcNonTransientResourceException("closed at the socket: its cleanup stalled for " + GRACE))));
	}

	/**
	 * {@code statement} with its execution bounded as {@link #bounded} bounds a method: if no
	 * result has come within the grace, the connection is closed at the socket and the
	 * execution completes with no result.
	 */
	static Statement bounded(Statement statement, io.r2dbc.spi.Connection driver) {
		return new BoundedStatement(statement, driver);
	}

	/**
	 * Close {@code driver} at the socket, so the server ends the session and the pool's
	 * validation finds it closed; complete at once for a driver version without that field.
	 */
	static Mono<Void> forceClose(io.r2dbc.spi.Connection driver) {
		return Mono.defer(() -> {
			try {
				Field field = driver.getClass().getDeclaredField("client");
				field.setAccessible(true);
				Object client = field.get(driver);
				Method forceClose = client.getClass().getMethod("forceClose");
				forceClose.setAccessible(true);
				return Mono.from((Publisher<?>) forceClose.invoke(client)).then();
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// A driver version without that field: nothing more can be done from outside.
				return Mono.empty();
			}
		}).onErrorResume((error) -> Mono.empty());
	}

	/** A statement whose execution is bounded by {@link #GRACE} until its first result. */
	private static final class BoundedStatement implements Statement {

		private final Statement target;

		private final io.r2dbc.spi.Connection driver;

		BoundedStatement(Statement target, io.r2dbc.spi.Connection driver) {
			this.target = target;
			this.driver = driver;
		}

		@Override
		public Statement add() {
			this.target.add();
			return this;
		}

		@Override
		public Statement bind(int index, Object value) {
			this.target.bind(index, value);
			return this;
		}

		@Override
		public Statement bind(String name, Object value) {
			this.target.bind(name, value);
			return this;
		}

		@Override
		public Statement bindNull(int index, Class<?> type) {
			this.target.bindNull(index, type);
			return this;
		}

		@Override
		public Statement bindNull(String name, Class<?> type) {
			this.target.bindNull(name, type);
			return this;
		}

		@Override
		public Statement fetchSize(int rows) {
			this.target.fetchSize(rows);
			return this;
		}

		@Override
		public Statement returnGeneratedValues(String... columns) {
			this.target.returnGeneratedValues(columns);
			return this;
		}

		@Override
		public Publisher<? extends Result> execute() {
			// The first result comes with the server's answer; a stalled queue never sends the statement.
			return Flux.<Result>from(this.target.execute())
				.timeout(Mono.delay(GRACE), (result) -> Mono.never(),
						forceClose(this.driver).thenMany(Flux.<Result>empty()));
		}

	}

}

package dev.databases.internal.backend;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Closing a driver connection whose exchange queue has stalled.
 * <p>
 * r2dbc-mysql 1.4 serialises every exchange, its own close included, through one queue.
 * A cancel at the wrong moment can leave that queue waiting forever (asyncer-io/r2dbc-mysql
 * issues 347 and 349), and then {@code close()} never completes, so the pool's permit for
 * that connection is never given back. Measured here: about one stalled connection in 25
 * rounds of 1,000 randomly cancelled transactions on MariaDB. The driver can close the
 * socket itself ({@code Client.forceClose()}), but only from inside; this reaches it.
 * Other drivers are left alone.
 */
final class StalledConnection {

	/** How long a close or a cleanup after a cancel may take before the connection counts as stalled. */
	static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

	private static final String MYSQL_CONNECTION = "io.asyncer.r2dbc.mysql.MySqlSimpleConnection";

	private StalledConnection() {
	}

	/** Whether {@code physical} belongs to a driver whose stalled connections this can close. */
	static boolean canForceClose(io.r2dbc.spi.Connection physical) {
		return MYSQL_CONNECTION.equals(physical.getClass().getName());
	}

	/**
	 * Close {@code physical} at the socket when its driver can, so the server ends the session
	 * and the pool's validation finds it closed; complete at once otherwise.
	 */
	static Mono<Void> forceClose(io.r2dbc.spi.Connection physical) {
		if (!canForceClose(physical)) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			try {
				Field field = physical.getClass().getDeclaredField("client");
				field.setAccessible(true);
				Object client = field.get(physical);
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

}

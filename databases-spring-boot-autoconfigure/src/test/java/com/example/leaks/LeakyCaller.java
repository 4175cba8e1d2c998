package com.example.leaks;

import dev.databases.Database;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Application code that borrows a connection and forgets to give it back, or holds it too
 * long: the frame a leak warning should name.
 */
public final class LeakyCaller {

	private LeakyCaller() {
	}

	/**
	 * Borrow a connection and keep it.
	 * @param connectionFactory where to borrow it
	 * @return the connection, not closed
	 */
	public static Connection borrowAndForget(ConnectionFactory connectionFactory) {
		return Mono.<Connection>from(connectionFactory.create()).block();
	}

	/**
	 * Hold a connection of the database's own until {@code work} completes.
	 * @param database the database
	 * @param <T> the type work emits
	 * @param work what to wait for while holding it
	 */
	public static <T> void holdConnection(Database database, Publisher<T> work) {
		database.connection((connection) -> work).blockLast();
	}

}

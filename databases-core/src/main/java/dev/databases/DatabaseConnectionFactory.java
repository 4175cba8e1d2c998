package dev.databases;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The {@link ConnectionFactory} view of a {@link Database}: connections come from its
 * current pool, so Spring's DatabaseClient and transaction manager share it. It is one
 * object for the database's life, although each {@code connect()} makes a new pool, so
 * that Spring can key transactions by it. With force-rollback it lends the one connection,
 * its transactions becoming savepoints, so Spring's work is rolled back with the rest.
 */
final class DatabaseConnectionFactory implements ConnectionFactory {

	private final Database database;

	DatabaseConnectionFactory(Database database) {
		this.database = database;
	}

	@Override
	public Publisher<? extends io.r2dbc.spi.Connection> create() {
		return Mono.defer(() -> {
			Pool pool = this.database.currentPool();
			if (pool == null) {
				return Mono.error(this.database.notConnected("ConnectionFactory.create()"));
			}
			return pool.ready().then(pool.lend());
		});
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		Pool pool = this.database.currentPool();
		if (pool != null) {
			return pool.connectionPool().getMetadata();
		}
		String name = this.database.backend().productName();
		return () -> name;
	}

	@Override
	public String toString() {
		return "DatabaseConnectionFactory[" + this.database.url() + "]";
	}

}

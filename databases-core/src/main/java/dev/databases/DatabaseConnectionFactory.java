package dev.databases;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The {@link ConnectionFactory} view of a {@link Database}: connections come from its
 * current pool, so Spring's DatabaseClient and transaction manager share it. It is one
 * object for the database's life, although each {@code connect()} makes a new pool, so
 * that Spring can key transactions by it. With force-rollback it lends the one connection,
 * its transactions becoming savepoints, so Spring's work is rolled back with the rest.
 * Inside a {@code connection(...)} or {@code transaction(...)} block it lends the block's
 * connection the same way, so DatabaseClient, R2dbcEntityTemplate and repositories called
 * there share the block's transaction.
 * With a {@link DatabaseListener}, the connections it lends are reported to it as the
 * Database's own are ({@link ReportedConnection}).
 */
final class DatabaseConnectionFactory implements ConnectionFactory {

	private final Database database;

	private final @Nullable DatabaseListener listener;

	DatabaseConnectionFactory(Database database, @Nullable DatabaseListener listener) {
		this.database = database;
		this.listener = listener;
	}

	@Override
	public Publisher<? extends io.r2dbc.spi.Connection> create() {
		return Mono.deferContextual((context) -> {
			Scope scope = context.getOrDefault(this.database.scopeKey(), null);
			if (scope != null) {
				// Spring work inside db.connection(...) or db.transaction(...) runs on the block's
				// connection and in its transaction, as the Database's own work there does.
				return Mono.just(new SharedConnection(scope.connection().raw()));
			}
			Pool pool = this.database.currentPool();
			if (pool == null) {
				return Mono.error(this.database.notConnected("ConnectionFactory.create()"));
			}
			Mono<io.r2dbc.spi.Connection> lending = pool.ready().then(pool.lend());
			return (this.listener != null) ? ReportedConnection.lend(lending, this.listener) : lending;
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

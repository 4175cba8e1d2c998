package dev.databases.internal.backend;

import java.lang.invoke.MethodHandle;

import dev.databases.internal.r2dbc.DelegatingConnection;
import dev.databases.internal.r2dbc.PhysicalConnection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Lifecycle;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * An r2dbc-mysql connection as the pool holds it, so that giving it back costs no round
 * trip when nothing is left to clean up.
 * <p>
 * r2dbc-pool calls {@link Lifecycle#preRelease()} on every release, and r2dbc-mysql 1.4
 * answers it with {@code rollbackTransaction()}. When no transaction is open, that exchange
 * still sends a COM_PING, because it has to send something. So every query cost two round
 * trips: measured on W5, 1 ping per query, and 22k fetches/s where JDBC makes 51k. Such a
 * release is skipped when the pool says it is safe ({@link #releasingSettled()}: the
 * library's work on the lease ended without a cancel before an answer) and the server's
 * last status says auto-commit on and no transaction open. Connections lent to Spring, and
 * any state this cannot read, keep the driver's cleanup.
 * <p>
 * It also bounds what ends a session's work, so that a connection whose exchange queue
 * stalled (see {@link StalledConnection}) is closed at the socket instead of waited for:
 * {@link #close()}, the rollbacks (the driver's methods and the {@code ROLLBACK} statement)
 * and the pool's cleanup. That holds for every user of the pool, Spring's DatabaseClient
 * and transaction manager included.
 */
final class MySqlPooledConnection extends DelegatingConnection implements Lifecycle, PhysicalConnection {

	/** The statement that ends a transaction begun with {@link MySqlBackend#beginStatements}. */
	private static final String ROLLBACK = "ROLLBACK";

	private static final int SERVER_STATUS_IN_TRANS = 0x0001;

	private static final int SERVER_STATUS_AUTOCOMMIT = 0x0002;

	private final @Nullable MethodHandle serverStatus;

	private volatile boolean settled;

	private MySqlPooledConnection(io.r2dbc.spi.Connection target, @Nullable MethodHandle serverStatus) {
		super(target);
		this.serverStatus = serverStatus;
	}

	/** {@code raw} or a connection it wraps, if one is of this kind. */
	static @Nullable MySqlPooledConnection in(io.r2dbc.spi.Connection raw) {
		Object connection = raw;
		for (int depth = 0; depth < 4 && connection != null; depth++) {
			if (connection instanceof MySqlPooledConnection pooled) {
				return pooled;
			}
			connection = (connection instanceof Wrapped<?> wrapped) ? wrapped.unwrap() : null;
		}
		return null;
	}

	/**
	 * Called by the pool just before it gives the connection back, when every statement of
	 * the lease has answered: the next {@link #preRelease()} may then trust the server
	 * status the driver last read.
	 */
	void releasingSettled() {
		this.settled = true;
	}

	/**
	 * The driver's rollback, unless the release is settled and the server reported
	 * auto-commit on and no transaction open.
	 * @return completes when the connection is clean
	 */
	@Override
	public Publisher<Void> preRelease() {
		return Mono.defer(() -> {
			boolean settled = this.settled;
			this.settled = false;
			if (settled && idle()) {
				return Mono.empty();
			}
			return (this.target instanceof Lifecycle lifecycle)
					? StalledConnection.boundedOrFail(lifecycle.preRelease(), this.target) : Mono.empty();
		});
	}

	/**
	 * The driver's close, or past the grace the socket closed.
	 * @return completion
	 */
	@Override
	public Publisher<Void> close() {
		return StalledConnection.bounded(this.target.close(), this.target);
	}

	/**
	 * The driver's rollback, or past the grace the socket closed, which rolls back on the server.
	 * @return completion
	 */
	@Override
	public Publisher<Void> rollbackTransaction() {
		return StalledConnection.bounded(this.target.rollbackTransaction(), this.target);
	}

	/**
	 * The driver's rollback to {@code name}, or past the grace the socket closed.
	 * @param name the savepoint
	 * @return completion
	 */
	@Override
	public Publisher<Void> rollbackTransactionToSavepoint(String name) {
		return StalledConnection.bounded(this.target.rollbackTransactionToSavepoint(name), this.target);
	}

	/**
	 * The driver's statement; the library's {@code ROLLBACK} (sent as SQL, since the driver's
	 * method trusts a cached status) bounded as {@link #rollbackTransaction()} is.
	 * @param sql the SQL
	 * @return the statement
	 */
	@Override
	public Statement createStatement(String sql) {
		Statement statement = this.target.createStatement(sql);
		return ROLLBACK.equals(sql) ? StalledConnection.bounded(statement, this.target) : statement;
	}

	private boolean idle() {
		MethodHandle serverStatus = this.serverStatus;
		if (serverStatus == null) {
			return false;
		}
		try {
			int status = (short) serverStatus.invoke(this.target);
			return (status & SERVER_STATUS_AUTOCOMMIT) != 0 && (status & SERVER_STATUS_IN_TRANS) == 0;
		}
		catch (Throwable ex) {
			return false;
		}
	}

	/**
	 * Clears a settled mark left by a release the pool did not complete.
	 * @return the driver's own
	 */
	@Override
	public Publisher<Void> postAllocate() {
		this.settled = false;
		return (this.target instanceof Lifecycle lifecycle) ? lifecycle.postAllocate() : Mono.empty();
	}

	/**
	 * r2dbc-mysql's connection factory, its connections wrapped. The server status is read
	 * through the driver's {@code client.getContext().getServerStatuses()}, found once;
	 * without it (another driver version) releases keep the driver's cleanup.
	 */
	static ConnectionFactory factory(ConnectionFactory driver) {
		DriverClientGetter serverStatus = new DriverClientGetter("io.asyncer.r2dbc.mysql.MySqlSimpleConnection",
				"getContext", "getServerStatuses", short.class);
		return new WrappingConnectionFactory(driver,
				(connection) -> new MySqlPooledConnection(connection, serverStatus.on(connection)));
	}

}

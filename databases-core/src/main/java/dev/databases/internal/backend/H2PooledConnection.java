package dev.databases.internal.backend;

import java.lang.invoke.MethodHandle;

import dev.databases.internal.r2dbc.DelegatingConnection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * An r2dbc-h2 connection as the pool holds it, so that a {@link ValidationDepth#LOCAL LOCAL}
 * validation is the client-side check the R2DBC SPI describes.
 * <p>
 * r2dbc-h2 1.x answers every {@code validate}, whatever its depth, by checking that the
 * session is open and then running {@code SELECT CURRENT_TIMESTAMP}, which H2 parses and
 * plans anew each time. r2dbc-pool validates at that depth on every acquire and again on
 * every release, so each lease ran two such queries around its own statements: on H2,
 * whose statements cost microseconds, that was a large part of an INSERT (issue 18). An
 * embedded session has no network that could have failed without the session knowing; a
 * LOCAL check here asks the session whether it is closed, as r2dbc-h2 does first. A
 * {@link ValidationDepth#REMOTE REMOTE} one (the pool's check of a connection idle for a
 * while) still runs the driver's query.
 */
final class H2PooledConnection extends DelegatingConnection {

	/** {@code (Connection) -> boolean}: the driver's {@code client.getSession().isClosed()}. */
	private final MethodHandle sessionClosed;

	private H2PooledConnection(io.r2dbc.spi.Connection target, MethodHandle sessionClosed) {
		super(target);
		this.sessionClosed = sessionClosed;
	}

	@Override
	public Publisher<Boolean> validate(ValidationDepth depth) {
		if (depth != ValidationDepth.LOCAL) {
			return super.validate(depth);
		}
		return Mono.fromSupplier(this::isSessionOpen);
	}

	/** Whether the session is open; a session that cannot be read is not, and the pool drops it. */
	private boolean isSessionOpen() {
		try {
			return !(boolean) this.sessionClosed.invokeExact(this.target);
		}
		catch (Throwable ex) {
			return false;
		}
	}

	/**
	 * r2dbc-h2's connection factory, its connections wrapped when the session can be read
	 * (found once, through the driver's {@code client} field); otherwise, with another driver
	 * version, its connections are lent as they are.
	 */
	static ConnectionFactory factory(ConnectionFactory driver) {
		DriverClientGetter sessionClosed = new DriverClientGetter("io.r2dbc.h2.H2Connection", "getSession", "isClosed",
				boolean.class);
		return new WrappingConnectionFactory(driver, (connection) -> {
			MethodHandle closed = sessionClosed.on(connection);
			return (closed != null) ? new H2PooledConnection(connection, closed) : connection;
		});
	}

}

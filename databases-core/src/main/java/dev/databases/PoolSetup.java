package dev.databases;

import dev.databases.internal.backend.Backend;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.ValidationDepth;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Lender} is built from a {@link DatabaseRuntime} (the driver's factory and
 * r2dbc-pool's configuration), and how the failures of connecting read.
 */
final class PoolSetup {

	private PoolSetup() {
	}

	/** The driver's factory for the runtime's URL and options, decorated by its backend. */
	static ConnectionFactory driver(DatabaseRuntime runtime) {
		Backend backend = runtime.backend();
		ConnectOptions options = runtime.options();
		ConnectionFactoryOptions parsed = ConnectionFactoryOptions.parse(runtime.url().toR2dbcUrl());
		ConnectionFactoryOptions.Builder builder = parsed.mutate();
		// A driver option the user gave as it is (connectTimeout, statementTimeout) wins over our default.
		if (!parsed.hasOption(ConnectionFactoryOptions.CONNECT_TIMEOUT)) {
			builder.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, options.connectTimeout());
		}
		Duration statementTimeout = options.statementTimeout();
		if (statementTimeout != null && !parsed.hasOption(ConnectionFactoryOptions.STATEMENT_TIMEOUT)) {
			builder.option(ConnectionFactoryOptions.STATEMENT_TIMEOUT, statementTimeout);
		}
		backend.driverDefaults().forEach((name, value) -> {
			Option<Object> option = Option.valueOf(name);
			if (!parsed.hasOption(option)) {
				builder.option(option, value);
			}
		});
		ConnectionFactory factory;
		try {
			factory = ConnectionFactories.find(builder.build());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"The " + backend + " driver rejected the options of " + runtime.url() + ": " + ex.getMessage(), ex);
		}
		if (factory == null) {
			throw new DatabaseException("No R2DBC driver for " + backend + " on the classpath: add the dependency "
					+ backend.artifact() + " to use " + runtime.url(), null);
		}
		return backend.decorate(factory);
	}

	/**
	 * r2dbc-pool's configuration. Unlike its defaults: a finite acquire timeout, a maximum
	 * lifetime, and validation on every acquire, so a connection left dead by a server
	 * restart is dropped instead of handed out. LOCAL validation costs no round trip.
	 */
	static ConnectionPoolConfiguration configuration(DatabaseRuntime runtime, ConnectionFactory factory, String name,
			int initialSize, int minIdle) {
		ConnectOptions options = runtime.options();
		return ConnectionPoolConfiguration.builder(factory)
			.name(name)
			.initialSize(initialSize)
			.minIdle(minIdle)
			.maxSize(options.maxSize())
			.maxIdleTime(options.maxIdleTime())
			.maxLifeTime(options.maxLifeTime())
			// The acquire timeout is applied by Lender.acquisition() instead: r2dbc-pool's arms a
			// timer for every acquire, even one served at once.
			.maxCreateConnectionTime(options.connectTimeout())
			.validationDepth(ValidationDepth.LOCAL)
			// r2dbc-pool retries a failed acquire once by default, which doubles acquire_timeout;
			// dead connections are retried past in Lender.borrow(long) instead.
			.acquireRetry(0)
			.metricsRecorder(new CreationRecorder(runtime.listener()))
			.build();
	}

	/** A failure to borrow: the pool exhausted past acquire_timeout, or a failure to connect. */
	static Throwable acquireFailure(DatabaseRuntime runtime, Throwable error) {
		if (error instanceof R2dbcTimeoutException && String.valueOf(error.getMessage()).contains("acquisition")) {
			ConnectOptions options = runtime.options();
			return new AcquireTimeoutException(options.maxSize(), options.acquireTimeout(), error);
		}
		return connectFailure(runtime, error);
	}

	/** A failure to open a connection, as a {@link ConnectionException} naming the (masked) URL. */
	static Throwable connectFailure(DatabaseRuntime runtime, Throwable error) {
		if (error instanceof DatabaseException) {
			return error;
		}
		if (error instanceof TimeoutException) {
			return new ConnectionException("Cannot connect to " + runtime.url() + ": no connection within "
					+ "connect_timeout " + runtime.options().connectTimeout().toMillis() + " ms", null, 0, null, error);
		}
		Throwable translated = Errors.translate(error, null);
		String reason = (translated.getMessage() != null) ? translated.getMessage() : error.toString();
		if (translated instanceof DatabaseException database && !(translated instanceof ConnectionException)) {
			return new ConnectionException("Cannot connect to " + runtime.url() + ": " + reason, database.sqlState(),
					database.vendorCode(), null, error);
		}
		return new ConnectionException("Cannot connect to " + runtime.url() + ": " + reason, null, 0, null, error);
	}

	/** Tells the listener how long opening each new connection took, from r2dbc-pool's allocation figures. */
	private static final class CreationRecorder implements reactor.pool.PoolMetricsRecorder {

		private final @Nullable DatabaseListener listener;

		CreationRecorder(@Nullable DatabaseListener listener) {
			this.listener = listener;
		}

		@Override
		public void recordAllocationSuccessAndLatency(long latencyMs) {
			if (this.listener != null) {
				Listeners.created(this.listener, Duration.ofMillis(latencyMs));
			}
		}

		@Override
		public void recordAllocationFailureAndLatency(long latencyMs) {
		}

		@Override
		public void recordResetLatency(long latencyMs) {
		}

		@Override
		public void recordDestroyLatency(long latencyMs) {
		}

		@Override
		public void recordRecycled() {
		}

		@Override
		public void recordLifetimeDuration(long millisecondsSinceAllocation) {
		}

		@Override
		public void recordIdleTime(long millisecondsIdle) {
		}

		@Override
		public void recordSlowPath() {
		}

		@Override
		public void recordFastPath() {
		}

	}

}

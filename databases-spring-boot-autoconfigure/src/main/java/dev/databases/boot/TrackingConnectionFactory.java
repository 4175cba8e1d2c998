package dev.databases.boot;

import java.time.Duration;
import java.util.List;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.InfrastructureProxy;

/**
 * The {@link dev.databases.Database#connectionFactory()} as a Spring bean, when something
 * must watch the connections lent through it: it times acquisition and use for
 * {@link ConnectionLeaseListener}s and has the {@link ConnectionLeakDetector} warn, naming
 * the caller, about a connection held longer than the leak-detection threshold. The
 * Database's own work borrows its connections inside the library, where its
 * {@link dev.databases.DatabaseListener} sees them, so nothing is counted twice.
 * <p>
 * It is an {@link InfrastructureProxy}, so Spring's transaction synchronization keys
 * resources by the Database's own connection factory, and {@link Wrapped}, so tools can reach
 * it.
 */
final class TrackingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory>, InfrastructureProxy {

	private final ConnectionFactory delegate;

	private final List<ConnectionLeaseListener> listeners;

	private final ConnectionLeakDetector leakDetector;

	TrackingConnectionFactory(ConnectionFactory delegate, List<ConnectionLeaseListener> listeners,
			ConnectionLeakDetector leakDetector) {
		this.delegate = delegate;
		this.listeners = List.copyOf(listeners);
		this.leakDetector = leakDetector;
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			// Captured when the caller subscribes, as HikariCP does in getConnection().
			ConnectionLeakDetector.AcquiredAt acquiredAt = this.leakDetector.capture();
			return Mono.<Connection>from(this.delegate.create()).doOnError((error) -> {
				Duration waited = Duration.ofNanos(System.nanoTime() - start);
				this.listeners.forEach((listener) -> listener.acquireFailed(waited, error));
			}).map((connection) -> {
				long acquired = System.nanoTime();
				Duration waited = Duration.ofNanos(acquired - start);
				this.listeners.forEach((listener) -> listener.acquired(waited));
				return new TrackedConnection(connection, acquired, this.leakDetector.watch(acquiredAt));
			});
		});
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.delegate.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.delegate;
	}

	@Override
	public Object getWrappedObject() {
		return this.delegate;
	}

	@Override
	public String toString() {
		return "TrackingConnectionFactory[" + this.delegate + "]";
	}

	/** A lent connection: reports its release once and cancels its leak check. */
	final class TrackedConnection implements Connection, Wrapped<Connection> {

		private final Connection delegate;

		private final long acquired;

		private final ConnectionLeakDetector.Lease lease;

		TrackedConnection(Connection delegate, long acquired, ConnectionLeakDetector.Lease lease) {
			this.delegate = delegate;
			this.acquired = acquired;
			this.lease = lease;
		}

		@Override
		public Publisher<Void> close() {
			return Mono.defer(() -> {
				Duration held = Duration.ofNanos(System.nanoTime() - this.acquired);
				if (this.lease.release(held)) {
					TrackingConnectionFactory.this.listeners.forEach((listener) -> listener.released(held));
				}
				return Mono.from(this.delegate.close());
			});
		}

		@Override
		public Connection unwrap() {
			return this.delegate;
		}

		@Override
		public Publisher<Void> beginTransaction() {
			return this.delegate.beginTransaction();
		}

		@Override
		public Publisher<Void> beginTransaction(TransactionDefinition definition) {
			return this.delegate.beginTransaction(definition);
		}

		@Override
		public Publisher<Void> commitTransaction() {
			return this.delegate.commitTransaction();
		}

		@Override
		public Batch createBatch() {
			return this.delegate.createBatch();
		}

		@Override
		public Publisher<Void> createSavepoint(String name) {
			return this.delegate.createSavepoint(name);
		}

		@Override
		public Statement createStatement(String sql) {
			return this.delegate.createStatement(sql);
		}

		@Override
		public boolean isAutoCommit() {
			return this.delegate.isAutoCommit();
		}

		@Override
		public ConnectionMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

		@Override
		public IsolationLevel getTransactionIsolationLevel() {
			return this.delegate.getTransactionIsolationLevel();
		}

		@Override
		public Publisher<Void> releaseSavepoint(String name) {
			return this.delegate.releaseSavepoint(name);
		}

		@Override
		public Publisher<Void> rollbackTransaction() {
			return this.delegate.rollbackTransaction();
		}

		@Override
		public Publisher<Void> rollbackTransactionToSavepoint(String name) {
			return this.delegate.rollbackTransactionToSavepoint(name);
		}

		@Override
		public Publisher<Void> setAutoCommit(boolean autoCommit) {
			return this.delegate.setAutoCommit(autoCommit);
		}

		@Override
		public Publisher<Void> setLockWaitTimeout(Duration timeout) {
			return this.delegate.setLockWaitTimeout(timeout);
		}

		@Override
		public Publisher<Void> setStatementTimeout(Duration timeout) {
			return this.delegate.setStatementTimeout(timeout);
		}

		@Override
		public Publisher<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
			return this.delegate.setTransactionIsolationLevel(isolationLevel);
		}

		@Override
		public Publisher<Boolean> validate(ValidationDepth depth) {
			return this.delegate.validate(depth);
		}

		@Override
		public String toString() {
			return "TrackedConnection[" + this.delegate + "]";
		}

	}

}

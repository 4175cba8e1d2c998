package dev.databases;

import dev.databases.internal.r2dbc.DelegatingConnection;
import dev.databases.internal.reactor.Gate;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.TransactionDefinition;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The force-rollback connection as lent through {@link Database#connectionFactory()} to
 * Spring's DatabaseClient and transaction manager: its turn on the one connection lasts
 * until it is closed, and the transactions it begins are savepoints of the outer
 * transaction, which only {@link Database#disconnect()} ends. Without this, a DatabaseClient
 * write under {@code @DatabaseTest} would commit on a connection of its own.
 */
final class SharedConnection extends DelegatingConnection {

	private static final AtomicInteger SAVEPOINTS = new AtomicInteger();

	private final Gate.Grant grant;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable String savepoint;

	SharedConnection(io.r2dbc.spi.Connection target, Gate.Grant grant) {
		super(target);
		this.grant = grant;
	}

	@Override
	public Publisher<Void> beginTransaction() {
		return Mono.defer(() -> {
			String name = "databases_shared_" + SAVEPOINTS.incrementAndGet();
			return Mono.from(this.target.createSavepoint(name)).doOnSuccess((ignored) -> this.savepoint = name);
		});
	}

	@Override
	public Publisher<Void> beginTransaction(TransactionDefinition definition) {
		return beginTransaction();
	}

	@Override
	public Publisher<Void> commitTransaction() {
		return Mono.defer(() -> {
			String name = this.savepoint;
			this.savepoint = null;
			return (name != null) ? Mono.from(this.target.releaseSavepoint(name)) : Mono.empty();
		});
	}

	@Override
	public Publisher<Void> rollbackTransaction() {
		return Mono.defer(() -> {
			String name = this.savepoint;
			this.savepoint = null;
			return (name != null) ? Mono.from(this.target.rollbackTransactionToSavepoint(name)) : Mono.empty();
		});
	}

	@Override
	public Publisher<Void> close() {
		return Mono.defer(() -> {
			if (!this.closed.compareAndSet(false, true)) {
				return Mono.empty();
			}
			return Mono.from(rollbackTransaction()).onErrorResume((error) -> Mono.empty()).then(this.grant.release());
		});
	}

	@Override
	public boolean isAutoCommit() {
		return this.savepoint == null;
	}

	@Override
	public Publisher<Void> setAutoCommit(boolean autoCommit) {
		// The outer transaction is never in auto-commit; Spring's begin/commit become savepoints.
		return Mono.empty();
	}

	@Override
	public Publisher<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
		return Mono.empty();
	}

}

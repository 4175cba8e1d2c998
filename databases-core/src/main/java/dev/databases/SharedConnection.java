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
 * A connection of the Database's own lent through {@link Database#connectionFactory()} to
 * Spring's DatabaseClient and transaction manager: the force-rollback connection (its turn
 * on the one connection lasts until it is closed), or the connection of the
 * {@code connection(...)} or {@code transaction(...)} block the Spring work runs in. The
 * transactions Spring begins on it are savepoints of the transaction already open, and
 * closing it gives back the turn, never the connection. Without this, a DatabaseClient
 * write under {@code @DatabaseTest}, or inside {@code db.transaction(...)}, would commit on
 * a connection of its own.
 */
final class SharedConnection extends DelegatingConnection {

	private static final AtomicInteger SAVEPOINTS = new AtomicInteger();

	/** The turn on the force-rollback connection; none for a block's connection, which the block holds. */
	private final @Nullable Gate.Grant grant;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable String savepoint;

	SharedConnection(io.r2dbc.spi.Connection target, Gate.Grant grant) {
		super(target);
		this.grant = grant;
	}

	/** The connection of a block, lent to Spring work running inside that block. */
	SharedConnection(io.r2dbc.spi.Connection target) {
		super(target);
		this.grant = null;
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
			Gate.Grant grant = this.grant;
			Mono<Void> rolledBack = Mono.from(rollbackTransaction()).onErrorResume((error) -> Mono.empty());
			return (grant != null) ? rolledBack.then(grant.release()) : rolledBack;
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

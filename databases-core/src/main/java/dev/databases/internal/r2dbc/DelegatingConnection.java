package dev.databases.internal.r2dbc;

import java.time.Duration;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;

/**
 * A driver connection seen through a wrapper that changes a few of its methods: every
 * method passes to {@link #target}, and the wrappers of this package override only what
 * they change.
 */
public abstract class DelegatingConnection implements io.r2dbc.spi.Connection, Wrapped<io.r2dbc.spi.Connection> {

	/** The connection every call goes to unless overridden. */
	protected final io.r2dbc.spi.Connection target;

	/**
	 * @param target the connection every call goes to unless overridden
	 */
	protected DelegatingConnection(io.r2dbc.spi.Connection target) {
		this.target = target;
	}

	@Override
	public Publisher<Void> beginTransaction() {
		return this.target.beginTransaction();
	}

	@Override
	public Publisher<Void> beginTransaction(TransactionDefinition definition) {
		return this.target.beginTransaction(definition);
	}

	@Override
	public Publisher<Void> close() {
		return this.target.close();
	}

	@Override
	public Publisher<Void> commitTransaction() {
		return this.target.commitTransaction();
	}

	@Override
	public Batch createBatch() {
		return this.target.createBatch();
	}

	@Override
	public Publisher<Void> createSavepoint(String name) {
		return this.target.createSavepoint(name);
	}

	@Override
	public Statement createStatement(String sql) {
		return this.target.createStatement(sql);
	}

	@Override
	public boolean isAutoCommit() {
		return this.target.isAutoCommit();
	}

	@Override
	public ConnectionMetadata getMetadata() {
		return this.target.getMetadata();
	}

	@Override
	public IsolationLevel getTransactionIsolationLevel() {
		return this.target.getTransactionIsolationLevel();
	}

	@Override
	public Publisher<Void> releaseSavepoint(String name) {
		return this.target.releaseSavepoint(name);
	}

	@Override
	public Publisher<Void> rollbackTransaction() {
		return this.target.rollbackTransaction();
	}

	@Override
	public Publisher<Void> rollbackTransactionToSavepoint(String name) {
		return this.target.rollbackTransactionToSavepoint(name);
	}

	@Override
	public Publisher<Void> setAutoCommit(boolean autoCommit) {
		return this.target.setAutoCommit(autoCommit);
	}

	@Override
	public Publisher<Void> setLockWaitTimeout(Duration timeout) {
		return this.target.setLockWaitTimeout(timeout);
	}

	@Override
	public Publisher<Void> setStatementTimeout(Duration timeout) {
		return this.target.setStatementTimeout(timeout);
	}

	@Override
	public Publisher<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
		return this.target.setTransactionIsolationLevel(isolationLevel);
	}

	@Override
	public Publisher<Boolean> validate(ValidationDepth depth) {
		return this.target.validate(depth);
	}

	@Override
	public io.r2dbc.spi.Connection unwrap() {
		return this.target;
	}

	@Override
	public String toString() {
		return this.target.toString();
	}

}

package dev.databases;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.databases.internal.reactor.BeforeEnd;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * An open transaction, or a savepoint when it is nested in another.
 * <p>
 * Inside {@link Database#transaction} blocks it commits and rolls back by itself. From
 * {@link Database#beginTransaction()} it is ended by {@link #commit()} or
 * {@link #rollback()}, which also release its connection; queries for it go through
 * {@link #connection()}. Both methods are idempotent: only the first call acts.
 *
 * @since 0.1.0
 */
public final class Transaction {

	/**
	 * What a transaction that has nothing to do after it ends is given as {@code afterEnd}
	 * (a block's transaction, whose block lets its connection go), so that ending it adds no
	 * operators for it.
	 */
	static final Mono<Void> NOTHING_AFTER_END = Mono.empty();

	private final Connection connection;

	private final @Nullable Transaction parent;

	private final @Nullable String savepoint;

	private final TransactionOptions options;

	private final Mono<Void> afterEnd;

	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile boolean rollingBack;

	private final boolean external;

	Transaction(Connection connection, @Nullable Transaction parent, @Nullable String savepoint,
			TransactionOptions options, Mono<Void> afterEnd, boolean external) {
		this.external = external;
		this.connection = connection;
		this.parent = parent;
		this.savepoint = savepoint;
		this.options = options;
		this.afterEnd = afterEnd;
	}

	/**
	 * The connection this transaction runs on; queries through it are part of the
	 * transaction.
	 * @return the connection
	 */
	public Connection connection() {
		return this.connection;
	}

	/**
	 * The options this transaction was begun with.
	 * @return the options
	 */
	public TransactionOptions options() {
		return this.options;
	}

	/**
	 * Whether this transaction is a savepoint inside another.
	 * @return {@code true} if nested
	 */
	public boolean isNested() {
		return this.savepoint != null;
	}

	/**
	 * Commit: release the savepoint when nested, else commit the transaction. A transaction
	 * begun with {@code forceRollback} rolls back instead. Only the first call of
	 * {@code commit()} or {@code rollback()} acts.
	 * @return completion, when subscribed
	 */
	public Mono<Void> commit() {
		return end(!this.options.isForceRollback());
	}

	/**
	 * Roll back to the savepoint when nested, else roll the transaction back. Only the first
	 * call of {@code commit()} or {@code rollback()} acts.
	 * @return completion, when subscribed
	 */
	public Mono<Void> rollback() {
		return end(false);
	}

	/** End this root transaction by closing its connection; the server rolls it back. */
	Mono<Void> abort() {
		return Mono.defer(() -> {
			if (this.external || !this.ended.compareAndSet(false, true)) {
				return Mono.empty();
			}
			this.connection.lease().rollingBack(this);
			return andAfterEnd(leaving(this.connection.abort()));
		});
	}

	/**
	 * {@code end}, then {@link #afterEnd} (what the holder does once the transaction has
	 * ended) however {@code end} ends; an error of {@code end} is signalled after it.
	 */
	private Mono<Void> andAfterEnd(Mono<Void> end) {
		if (this.afterEnd == NOTHING_AFTER_END) {
			return end;
		}
		return end.onErrorResume((error) -> this.afterEnd.then(Mono.error(error))).then(this.afterEnd);
	}

	/**
	 * {@code end}, after which the connection no longer counts this as its transaction.
	 * That happens before {@code end}'s completion reaches the caller (not in doFinally,
	 * which runs after it), since the caller's next statement follows at once and would
	 * otherwise still be refused as one of a transaction rolling back.
	 */
	private Mono<Void> leaving(Mono<Void> end) {
		return BeforeEnd.of(end, this::leave);
	}

	private void leave() {
		this.connection.ended(this);
	}

	@Nullable Transaction parent() {
		return this.parent;
	}

	boolean isEnded() {
		return this.ended.get();
	}

	boolean isRollingBack() {
		return this.rollingBack;
	}

	void markRollingBack() {
		this.rollingBack = true;
	}

	private Mono<Void> end(boolean commit) {
		return Mono.defer(() -> {
			// A transaction Spring began is Spring's to end.
			if (this.external || !this.ended.compareAndSet(false, true)) {
				return Mono.empty();
			}
			if (!commit) {
				this.connection.lease().rollingBack(this);
			}
			if (!commit && this.connection.lease().isDirty() && this.connection.mustAbort(this)) {
				// A cancelled statement may still be queued: closing is the only rollback it cannot overtake.
				return andAfterEnd(leaving(this.connection.abort()));
			}
			// A commit or rollback that fails may leave the transaction open on the server (SQLite
			// refuses a COMMIT while another connection reads): the connection is then not reused.
			Mono<Void> end = (commit ? this.connection.commitNow(this.savepoint)
					: this.connection.rollbackNow(this.savepoint))
				.doOnError((error) -> this.connection.lease().markDirty());
			return andAfterEnd(leaving(end));
		});
	}

	@Override
	public String toString() {
		return "Transaction[" + ((this.savepoint != null) ? "savepoint " + this.savepoint : "root") + ", "
				+ (this.ended.get() ? "ended" : "open") + "]";
	}

}

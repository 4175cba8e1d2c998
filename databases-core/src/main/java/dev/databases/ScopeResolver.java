package dev.databases;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Decides where a piece of work runs, in this order: on the connection of the block
 * ({@code connection(...)}, {@code transaction(...)}) that put its {@link Scope} in the
 * Reactor Context; in Spring's reactive transaction on the database's connection factory,
 * when one is bound; otherwise on a connection from the pool. Every entry point of
 * {@link Database} that takes a connection goes through here. Reads outside any block or
 * Spring transaction, and read-only transactions that are not nested, may go to a read
 * replica instead ({@link ReplicaSet}), unless a write in the same read-your-writes
 * Context keeps them on the primary; this is decided before a connection is taken.
 */
final class ScopeResolver {

	private static final boolean SPRING_TRANSACTIONS = isPresent(
			"org.springframework.transaction.reactive.TransactionSynchronizationManager")
			&& isPresent("org.springframework.r2dbc.connection.ConnectionHolder");

	private final DatabaseRuntime runtime;

	private final Supplier<@Nullable Pool> pool;

	private final ConnectionFactory connectionFactory;

	private final Supplier<@Nullable ReplicaSet> replicas;

	/**
	 * @param runtime what the internals share
	 * @param pool the current pool, {@code null} while not connected
	 * @param connectionFactory the factory Spring's transactions are keyed by
	 * @param replicas the current read replicas, {@code null} when there are none
	 */
	ScopeResolver(DatabaseRuntime runtime, Supplier<@Nullable Pool> pool, ConnectionFactory connectionFactory,
			Supplier<@Nullable ReplicaSet> replicas) {
		this.runtime = runtime;
		this.pool = pool;
		this.connectionFactory = connectionFactory;
		this.replicas = replicas;
	}

	/** The scope of the enclosing block, if any. */
	@Nullable Scope scopeIn(ContextView context) {
		return context.getOrDefault(this.runtime.scopeKey(), null);
	}

	/**
	 * Run {@code inScope} in the enclosing block or Spring transaction, else {@code inPool}.
	 * @param operation what the caller does, named when not connected
	 */
	<T> Mono<T> run(String operation, Function<Scope, Mono<T>> inScope, Function<Pool, Mono<T>> inPool) {
		return run(operation, inScope, inPool, false);
	}

	/** {@link #run} for work that only reads: outside a block, on a replica when one serves. */
	<T> Mono<T> read(String operation, Function<Scope, Mono<T>> inScope, Function<Pool, Mono<T>> inPool) {
		return run(operation, inScope, inPool, true);
	}

	/** {@link #runMany} for work that only reads: outside a block, on a replica when one serves. */
	<T> Flux<T> readMany(String operation, Function<Scope, Flux<T>> inScope, Function<Pool, Flux<T>> inPool) {
		return runMany(operation, inScope, inPool, true);
	}

	/** Pick the pool outside any block: a replica's for a read when one may serve it, else the primary. */
	private <T> Mono<T> outside(ContextView context, Pool primary, Function<Pool, Mono<T>> inPool, boolean read) {
		ReplicaSet replicas = read ? this.replicas.get() : null;
		if (replicas == null || this.runtime.readsOwnWrites(context)) {
			return inPool.apply(primary);
		}
		return replicas.read(primary, inPool);
	}

	private <T> Flux<T> outsideMany(ContextView context, Pool primary, Function<Pool, Flux<T>> inPool, boolean read) {
		ReplicaSet replicas = read ? this.replicas.get() : null;
		if (replicas == null || this.runtime.readsOwnWrites(context)) {
			return inPool.apply(primary);
		}
		return replicas.readMany(primary, inPool);
	}

	private <T> Mono<T> run(String operation, Function<Scope, Mono<T>> inScope, Function<Pool, Mono<T>> inPool,
			boolean read) {
		return Mono.deferContextual((context) -> {
			Scope scope = scopeIn(context);
			if (scope != null) {
				return inScope.apply(scope);
			}
			Pool current = this.pool.get();
			if (current == null) {
				return Mono.error(this.runtime.notConnected(operation));
			}
			if (maySpringJoin(context)) {
				return springConnection().flatMap((connection) -> connection.isPresent()
						? inSpringScope(connection.get(), inScope) : outside(context, current, inPool, read));
			}
			return outside(context, current, inPool, read);
		});
	}

	/** {@link #run} for work that emits many values. */
	<T> Flux<T> runMany(String operation, Function<Scope, Flux<T>> inScope, Function<Pool, Flux<T>> inPool) {
		return runMany(operation, inScope, inPool, false);
	}

	private <T> Flux<T> runMany(String operation, Function<Scope, Flux<T>> inScope, Function<Pool, Flux<T>> inPool,
			boolean read) {
		return Flux.deferContextual((context) -> {
			Scope scope = scopeIn(context);
			if (scope != null) {
				return inScope.apply(scope);
			}
			Pool current = this.pool.get();
			if (current == null) {
				return Flux.error(this.runtime.notConnected(operation));
			}
			if (maySpringJoin(context)) {
				// Collected, so that the Spring scope's connection is used only inside it.
				return springConnection().flatMapMany((connection) -> connection.isPresent()
						? inSpringScope(connection.get(), (joined) -> inScope.apply(joined).collectList())
							.flatMapMany(Flux::fromIterable)
						: outsideMany(context, current, inPool, read));
			}
			return outsideMany(context, current, inPool, read);
		});
	}

	/**
	 * Begin a transaction the caller ends: a savepoint inside a block, else on a pinned
	 * connection of the primary or, read-only, of a replica. Spring's transaction is not
	 * joined: the caller holds this one apart from it.
	 */
	Mono<Transaction> begin(TransactionOptions options) {
		return Mono.deferContextual((context) -> {
			Scope scope = scopeIn(context);
			if (scope != null) {
				return scope.connection().begin(scope.transaction(), options, Transaction.NOTHING_AFTER_END);
			}
			Pool current = this.pool.get();
			if (current == null) {
				return Mono.error(this.runtime.notConnected("beginTransaction"));
			}
			ReplicaSet replicas = this.replicas.get();
			if (options.isReadOnly() && replicas != null && !this.runtime.readsOwnWrites(context)) {
				return replicas.read(current, (pool) -> pool.beginPinned(options));
			}
			return current.beginPinned(options);
		});
	}

	private static boolean maySpringJoin(ContextView context) {
		return SPRING_TRANSACTIONS && SpringTransactions.inTransaction(context);
	}

	/** The connection of the Spring transaction on this database's connection factory, if there is one. */
	private Mono<Optional<io.r2dbc.spi.Connection>> springConnection() {
		return SpringTransactions.connection(this.connectionFactory).map(Optional::of).defaultIfEmpty(Optional.empty());
	}

	private <T> Mono<T> inSpringScope(io.r2dbc.spi.Connection raw, Function<Scope, Mono<T>> joined) {
		Connection connection = new Connection(this.runtime, raw);
		// Spring begun the transaction and ends it; ours inside are savepoints.
		Scope scope = Scope.of(connection, connection.external());
		return joined.apply(scope).contextWrite((context) -> context.put(this.runtime.scopeKey(), scope));
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, ScopeResolver.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}

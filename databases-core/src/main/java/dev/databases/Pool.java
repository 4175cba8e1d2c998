package dev.databases;

import java.util.Optional;
import java.util.function.Function;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connected {@link Database}: where its units of work get their connection. A new one is
 * made by each {@code connect()}, so a database can be connected again after
 * {@code disconnect()}. There are two ways to lend: {@link PooledLending}, a connection of
 * r2dbc-pool for each unit, and {@link SharedLending}, the one connection of force-rollback
 * mode, on which the units take turns inside its outer transaction. Both keep their
 * r2dbc-pool and the connections lent out of it in a {@link Lender}.
 */
interface Pool {

	/**
	 * The pool for {@code runtime}, not started yet.
	 * @param runtime what the internals of the database share
	 * @param forceRollback whether every unit of work runs in one transaction that
	 * {@link #stop()} rolls back
	 * @return the pool
	 */
	static Pool of(DatabaseRuntime runtime, boolean forceRollback) {
		return forceRollback ? new SharedLending(runtime) : new PooledLending(runtime);
	}

	/**
	 * Open the first connections (and with force-rollback the outer transaction).
	 * @return completion, cached: every subscriber sees the same outcome
	 */
	Mono<Void> start();

	/**
	 * @return the outcome of {@link #start()}, or empty completion if it was not called
	 */
	Mono<Void> ready();

	/**
	 * End the work in flight (after {@code disconnect_timeout}), roll back a force-rollback
	 * transaction and close every connection; never fails.
	 * @return completion
	 */
	Mono<Void> stop();

	/** Close the pool without waiting, for a pool that lost the race to be the current one. */
	void dispose();

	/**
	 * @return r2dbc-pool's figures
	 */
	Optional<PoolMetrics> metrics();

	/**
	 * @return r2dbc-pool itself, for its metadata
	 */
	ConnectionPool connectionPool();

	/**
	 * A connection for Spring's DatabaseClient and transaction manager, given back by its
	 * {@code close()}.
	 * @return the connection
	 */
	Mono<io.r2dbc.spi.Connection> lend();

	/**
	 * Run one statement's work on a connection of its own (or a turn on the shared one).
	 * @param <T> the result type
	 * @param operation the work
	 * @return its result
	 */
	<T> Mono<T> run(Function<Connection, Mono<T>> operation);

	/**
	 * {@link #run(Function)} for a stream: the connection is held until the stream ends.
	 * @param <T> the element type
	 * @param operation the work
	 * @return its elements
	 */
	<T> Flux<T> runMany(Function<Connection, Flux<T>> operation);

	/**
	 * Run {@code work} with a connection bound to the Reactor Context as its scope.
	 * @param <T> the element type
	 * @param work the work, given the scope
	 * @return its elements
	 */
	<T> Flux<T> withScope(Function<Scope, Flux<T>> work);

	/**
	 * {@link #withScope(Function)} for one value, without the detour through a Flux.
	 * @param <T> the result type
	 * @param work the work, given the scope
	 * @return its result
	 */
	<T> Mono<T> withScopeOne(Function<Scope, Mono<T>> work);

	/**
	 * A low-level transaction, pinning its connection (or a turn on the shared one) until it ends.
	 * @param options isolation, read-only and force-rollback
	 * @return the open transaction
	 */
	Mono<Transaction> beginPinned(TransactionOptions options);

}

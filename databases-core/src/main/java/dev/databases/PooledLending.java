package dev.databases;

import dev.databases.internal.reactor.WorkInFlight;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The usual way to lend: each unit of work borrows a connection of its own from r2dbc-pool
 * and gives it back when it ends, closed instead when it failed in a way that leaves the
 * connection in doubt or was cancelled.
 */
final class PooledLending implements Pool {

	private final Lender lender;

	private final DatabaseRuntime runtime;

	private final WorkInFlight inFlight;

	// Made once: a method reference is a new object at each evaluation.
	private final Function<Connection, Mono<Void>> release;

	private final BiFunction<Connection, Throwable, Mono<Void>> releaseAfterError;

	private final Function<Connection, Mono<Void>> releaseAfterCancel;

	PooledLending(DatabaseRuntime runtime) {
		this.runtime = runtime;
		this.lender = new Lender(runtime, runtime.options().minSize(), runtime.options().minSize());
		this.inFlight = this.lender.inFlight();
		this.release = this.lender::release;
		this.releaseAfterError = this.lender::releaseAfterError;
		this.releaseAfterCancel = this.lender::releaseAfterCancel;
	}

	@Override
	public Mono<Void> start() {
		return this.lender.start(Mono.empty());
	}

	@Override
	public Mono<Void> ready() {
		return this.lender.ready();
	}

	@Override
	public Mono<Void> stop() {
		return this.lender.stop(Mono.empty(), (ended) -> {
		});
	}

	@Override
	public void dispose() {
		this.lender.dispose();
	}

	@Override
	public Optional<PoolMetrics> metrics() {
		return this.lender.metrics();
	}

	@Override
	public ConnectionPool connectionPool() {
		return this.lender.connectionPool();
	}

	@Override
	public Mono<io.r2dbc.spi.Connection> lend() {
		return this.lender.acquisition();
	}

	@Override
	public <T> Mono<T> run(Function<Connection, Mono<T>> operation) {
		// Never sent again on another connection when it fails: a statement that may have run
		// (a session killed while it ran) must not run twice. Connections found dead before use
		// are replaced in Lender.borrow(long), before anything is sent.
		return this.inFlight.track(Mono.usingWhen(this.lender.acquire(), operation, this.release,
				this.releaseAfterError, this.releaseAfterCancel));
	}

	@Override
	public <T> Flux<T> runMany(Function<Connection, Flux<T>> operation) {
		// Lent for this one stream: nothing else can send a statement on it while it is open.
		return this.inFlight.track(Flux.usingWhen(this.lender.acquire(), (connection) -> operation.apply(connection.alone()),
				this.release, this.releaseAfterError, this.releaseAfterCancel));
	}

	@Override
	public <T> Flux<T> withScope(Function<Scope, Flux<T>> work) {
		return this.inFlight.track(Flux.usingWhen(this.lender.acquire(), (connection) -> {
			Scope scope = new Scope(connection, null, connection.rootGate());
			return work.apply(scope).contextWrite((context) -> context.put(this.runtime.scopeKey(), scope));
		}, this.release, this.releaseAfterError, this.releaseAfterCancel));
	}

	@Override
	public <T> Mono<T> withScopeOne(Function<Scope, Mono<T>> work) {
		return this.inFlight.track(Mono.usingWhen(this.lender.acquire(), (connection) -> {
			Scope scope = new Scope(connection, null, connection.rootGate());
			return work.apply(scope).contextWrite((context) -> context.put(this.runtime.scopeKey(), scope));
		}, this.release, this.releaseAfterError, this.releaseAfterCancel));
	}

	@Override
	public Mono<Transaction> beginPinned(TransactionOptions options) {
		return Mono.usingWhen(this.lender.acquire(),
				(connection) -> connection.begin(null, options,
						Mono.defer(() -> connection.isDirty() ? this.lender.discard(connection)
								: this.lender.release(connection))),
				(connection) -> Mono.empty(), this.releaseAfterError, this.releaseAfterCancel);
	}

}

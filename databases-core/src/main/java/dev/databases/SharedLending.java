package dev.databases;

import dev.databases.internal.reactor.Gate;
import dev.databases.internal.reactor.WorkInFlight;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Force-rollback lending: one connection and one outer transaction for the life of the
 * pool, which {@link #stop()} rolls back. Units of work take turns on that connection
 * through its root {@link Gate}; the transactions they begin are savepoints of the outer one.
 */
final class SharedLending implements Pool {

	private final Lender lender;

	private final DatabaseRuntime runtime;

	private final WorkInFlight inFlight;

	private volatile @Nullable Connection global;

	private volatile @Nullable Transaction globalTransaction;

	SharedLending(DatabaseRuntime runtime) {
		this.runtime = runtime;
		// One connection is all it lends; r2dbc-pool keeps no idle ones beside it.
		this.lender = new Lender(runtime, 1, 0);
		this.inFlight = this.lender.inFlight();
	}

	@Override
	public Mono<Void> start() {
		return this.lender.start(openGlobal());
	}

	private Mono<Void> openGlobal() {
		return this.lender.acquire()
			.flatMap((connection) -> connection.begin(null, TransactionOptions.defaults(), Transaction.NOTHING_AFTER_END)
				.doOnNext((transaction) -> {
					connection.share();
					this.global = connection;
					this.globalTransaction = transaction;
				})
				.onErrorResume((error) -> this.lender.release(connection).then(Mono.error(error))))
			.then();
	}

	@Override
	public Mono<Void> ready() {
		return this.lender.ready();
	}

	@Override
	public Mono<Void> stop() {
		Mono<Void> endGlobal = Mono.defer(() -> {
			Connection connection = this.global;
			Transaction transaction = this.globalTransaction;
			if (connection == null || transaction == null) {
				return Mono.empty();
			}
			return connection.rootGate()
				.run(transaction.rollback().onErrorResume((error) -> Mono.empty()).then(this.lender.release(connection)));
		});
		return this.lender.stop(endGlobal, (ended) -> {
			Connection global = this.global;
			if (global != null) {
				global.rootGate().close(ended);
			}
		});
	}

	@Override
	public Lender lender() {
		return this.lender;
	}

	@Override
	public Mono<io.r2dbc.spi.Connection> lend() {
		return Mono.defer(() -> {
			Connection connection = globalConnection();
			return connection.rootGate().acquire().map((grant) -> new SharedConnection(connection.raw(), grant));
		});
	}

	@Override
	public <T> Mono<T> run(Function<Connection, Mono<T>> operation) {
		return this.inFlight.track(ready().then(Mono.defer(() -> {
			Connection connection = globalConnection();
			return connection.rootGate().run(Mono.defer(() -> operation.apply(connection)));
		})));
	}

	@Override
	public <T> Flux<T> runMany(Function<Connection, Flux<T>> operation) {
		// The stream's turn goes with it in the Context: it ends its turn early once the driver
		// has read its result, so that statements sent from its loop need not wait for its end.
		return this.inFlight.track(ready().thenMany(Flux.defer(() -> {
			Connection connection = globalConnection();
			return Flux.usingWhen(connection.rootGate().acquire(),
					(turn) -> Flux.defer(() -> operation.apply(connection))
						.contextWrite((context) -> context.put(Gate.Grant.class, turn)),
					Gate.Grant::release, (turn, error) -> turn.release(), Gate.Grant::release);
		})));
	}

	@Override
	public <T> Flux<T> withScope(Function<Scope, Flux<T>> work) {
		return this.inFlight.track(ready().thenMany(Flux.defer(() -> {
			Connection connection = globalConnection();
			return connection.rootGate().run(Flux.defer(() -> {
				Scope scope = Scope.of(connection, this.globalTransaction);
				return work.apply(scope).contextWrite((context) -> context.put(this.runtime.scopeKey(), scope));
			}));
		})));
	}

	@Override
	public <T> Mono<T> withScopeOne(Function<Scope, Mono<T>> work) {
		return withScope((scope) -> work.apply(scope).flux()).singleOrEmpty();
	}

	@Override
	public Mono<Transaction> beginPinned(TransactionOptions options) {
		return ready().then(Mono.defer(() -> {
			Connection connection = globalConnection();
			return Mono.usingWhen(connection.rootGate().acquire(),
					(grant) -> connection.begin(this.globalTransaction, options, grant.release()),
					(grant) -> Mono.empty(), (grant, error) -> grant.release(), Gate.Grant::release);
		}));
	}

	private Connection globalConnection() {
		Connection connection = this.global;
		if (connection == null) {
			throw this.runtime.notConnected("query");
		}
		return connection;
	}

}

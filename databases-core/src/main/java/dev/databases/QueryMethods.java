package dev.databases;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The query and transaction methods {@link Database} and {@link Connection} share. Each
 * query finds its connection through {@link #withConnection} and then runs on that
 * {@link Connection}; each keeps its own way of beginning a transaction.
 * Their errors reach the caller through the Database's exception translator, if any.
 */
abstract class QueryMethods implements QueryOperations {

	/** Run {@code operation} on the connection this call belongs to. */
	abstract <T> Mono<T> withConnection(Function<Connection, Mono<T>> operation);

	/** Run a streaming {@code operation} on the connection this call belongs to. */
	abstract <T> Flux<T> withConnectionMany(Function<Connection, Flux<T>> operation);

	/** Run a read-only {@code operation}: where {@link #withConnection} would, or on a read replica. */
	<T> Mono<T> withReadConnection(Function<Connection, Mono<T>> operation) {
		return withConnection(operation);
	}

	/** {@link #withReadConnection} for a stream. */
	<T> Flux<T> withReadConnectionMany(Function<Connection, Flux<T>> operation) {
		return withConnectionMany(operation);
	}

	/** What the calls share: the caches, and the Context key of read-your-writes. */
	abstract DatabaseRuntime runtime();

	@Override
	public Mono<ExecuteResult> execute(Query query) {
		return runtime().noteWrite(runtime().forCaller(withConnection((connection) -> connection.executeNow(query))));
	}

	@Override
	public Mono<Long> executeMany(Query query, List<? extends Map<String, ?>> values) {
		return runtime().noteWrite(runtime().forCaller(withConnection((connection) -> connection.executeManyNow(query, values))));
	}

	@Override
	public Mono<List<Record>> fetchAll(Query query) {
		return runtime().forCaller(withReadConnection((connection) -> connection.fetchAllNow(query)));
	}

	@Override
	public Mono<Record> fetchOne(Query query) {
		return runtime().forCaller(withReadConnection((connection) -> connection.fetchOneNow(query)));
	}

	@Override
	public Flux<Record> iterate(Query query) {
		return runtime().forCaller(withReadConnectionMany((connection) -> connection.iterateNow(query)));
	}

	/**
	 * Run {@code work} in a transaction: commit when it completes, roll back when it errors
	 * or is cancelled. Inside another transaction it is a savepoint, and rolling it back
	 * keeps the outer work. The result is emitted after the commit.
	 * @param <T> the result type
	 * @param work the work, given the transaction
	 * @return the work's result
	 */
	public <T> Mono<T> transaction(Function<Transaction, Mono<T>> work) {
		return transaction(runtime().transactionDefaults(), work);
	}

	/**
	 * Run {@code work} in a transaction with the given options; see
	 * {@link #transaction(Function)}.
	 * @param <T> the result type
	 * @param options isolation, read-only, force-rollback and retry
	 * @param work the work, given the transaction
	 * @return the work's result
	 */
	public abstract <T> Mono<T> transaction(TransactionOptions options, Function<Transaction, Mono<T>> work);

	/**
	 * Run streaming {@code work} in a transaction; the Flux completes after the commit.
	 * @param <T> the element type
	 * @param work the work, given the transaction
	 * @return the work's elements
	 */
	public abstract <T> Flux<T> transactionMany(Function<Transaction, ? extends Publisher<T>> work);

	/**
	 * Begin a transaction that the caller ends with {@link Transaction#commit()} or
	 * {@link Transaction#rollback()}; it pins a connection until then, and queries for it go
	 * through {@link Transaction#connection()}. Inside a block or another transaction, it is
	 * a savepoint on that connection.
	 * @return the open transaction
	 */
	public Mono<Transaction> beginTransaction() {
		return beginTransaction(TransactionOptions.defaults());
	}

	/**
	 * Begin a transaction with the given options; see {@link #beginTransaction()}.
	 * @param options isolation, read-only and force-rollback
	 * @return the open transaction
	 */
	public abstract Mono<Transaction> beginTransaction(TransactionOptions options);

}

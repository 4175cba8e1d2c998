package dev.databases;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The query methods {@link Database} and {@link Connection} share. Each method finds its
 * connection through {@link #withConnection} and then runs on that {@link Connection}.
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
		return runtime().noteWrite(withConnection((connection) -> connection.executeNow(query)));
	}

	@Override
	public Mono<Long> executeMany(Query query, List<? extends Map<String, ?>> values) {
		return runtime().noteWrite(withConnection((connection) -> connection.executeManyNow(query, values)));
	}

	@Override
	public Mono<List<Record>> fetchAll(Query query) {
		return withReadConnection((connection) -> connection.fetchAllNow(query));
	}

	@Override
	public Mono<Record> fetchOne(Query query) {
		return withReadConnection((connection) -> connection.fetchOneNow(query));
	}

	@Override
	public Flux<Record> iterate(Query query) {
		return withReadConnectionMany((connection) -> connection.iterateNow(query));
	}

}

package dev.databases;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The query methods {@link Database} and {@link Connection} share. Each method finds its
 * connection through {@link #withConnection} and then runs on that {@link Connection};
 * its errors reach the caller through the Database's exception translator, if it has one.
 */
abstract class QueryMethods implements QueryOperations {

	/** Run {@code operation} on the connection this call belongs to. */
	abstract <T> Mono<T> withConnection(Function<Connection, Mono<T>> operation);

	/** Run a streaming {@code operation} on the connection this call belongs to. */
	abstract <T> Flux<T> withConnectionMany(Function<Connection, Flux<T>> operation);

	/** What the caller shares with the rest: its exception translator. */
	abstract DatabaseRuntime runtime();

	@Override
	public Mono<ExecuteResult> execute(Query query) {
		return withConnection((connection) -> connection.executeNow(query)).onErrorMap(runtime()::forCaller);
	}

	@Override
	public Mono<Long> executeMany(Query query, List<? extends Map<String, ?>> values) {
		return withConnection((connection) -> connection.executeManyNow(query, values))
			.onErrorMap(runtime()::forCaller);
	}

	@Override
	public Mono<List<Record>> fetchAll(Query query) {
		return withConnection((connection) -> connection.fetchAllNow(query)).onErrorMap(runtime()::forCaller);
	}

	@Override
	public Mono<Record> fetchOne(Query query) {
		return withConnection((connection) -> connection.fetchOneNow(query)).onErrorMap(runtime()::forCaller);
	}

	@Override
	public Flux<Record> iterate(Query query) {
		return withConnectionMany((connection) -> connection.iterateNow(query)).onErrorMap(runtime()::forCaller);
	}

}

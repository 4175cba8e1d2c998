package dev.databases;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A database: a URL in, a connection pool inside, and reactive queries out.
 * <pre class="code">
 * Database db = new Database("postgresql://localhost/example");
 * db.connect()
 *     .then(db.execute("INSERT INTO notes(text, completed) VALUES (:text, :completed)",
 *             Map.of("text", "example1", "completed", true)))
 *     .thenMany(db.iterate("SELECT * FROM notes"))
 *     .doOnNext(row -&gt; System.out.println(row.get("text")))
 *     .then(db.disconnect())
 *     .block();
 * </pre>
 * Nothing happens until a returned publisher is subscribed. Each independent subscription
 * borrows its own connection from the pool for as long as it runs; inside
 * {@link #connection}, {@link #transaction} and their relatives every call runs on the
 * block's connection, found through the Reactor Context. With
 * {@link Builder#forceRollback(boolean) forceRollback}, one connection in one outer
 * transaction serves every caller and {@link #disconnect()} rolls everything back: the
 * test-isolation mode. With {@link Builder#replica(String) read replicas}, reads outside
 * any block and read-only transactions go to a replica.
 *
 * @since 0.1.0
 */
public final class Database extends QueryMethods {

	/** What the pool and the connections need of this database, given to them instead of the facade. */
	private final DatabaseRuntime runtime;

	private final boolean forceRollback;

	/** The pools of the primary and of the read replicas. */
	private final ServerPools pools;

	private final DatabaseConnectionFactory connectionFactory;

	/** Where each piece of work runs: its block's connection, Spring's transaction or the pool. */
	private final ScopeResolver resolver;

	/**
	 * Create a database for a URL such as {@code postgresql://user:pass@localhost/example}.
	 * @param url the URL; see {@link DatabaseURL} for the forms and options
	 * @throws IllegalArgumentException if the URL or one of its options is invalid
	 */
	public Database(String url) {
		this(DatabaseURL.parse(url));
	}

	/**
	 * Create a database for a parsed URL.
	 * @param url the URL
	 * @throws IllegalArgumentException if one of its options is invalid
	 */
	public Database(DatabaseURL url) {
		this(new Builder(url));
	}

	private Database(Builder builder) {
		Map<String, Object> merged = new LinkedHashMap<>(builder.url.options());
		merged.putAll(builder.options);
		this.runtime = new DatabaseRuntime(builder.url.withOptions(merged),
				ConnectOptions.of(builder.url.options(), builder.options), builder.listener, builder.transactionAttempts,
				builder.exceptionTranslator);
		this.forceRollback = builder.forceRollback;
		this.pools = new ServerPools(this.runtime, this.forceRollback, merged, builder.replicas);
		this.connectionFactory = new DatabaseConnectionFactory(this.runtime, this.pools::primary, builder.listener);
		this.resolver = new ScopeResolver(this.runtime, this.pools::primary, this.connectionFactory,
				this.pools::replicas);
	}

	/**
	 * Start building a database with options in code (the same options as in the URL;
	 * builder options win).
	 * @param url the URL
	 * @return a builder
	 */
	public static Builder builder(String url) {
		return new Builder(DatabaseURL.parse(url));
	}

	/**
	 * Start building a database with options in code.
	 * @param url the URL
	 * @return a builder
	 */
	public static Builder builder(DatabaseURL url) {
		return new Builder(url);
	}

	/**
	 * Connect, run {@code work}, and disconnect whatever happens: Python's
	 * {@code async with Database(url) as db}.
	 * @param <T> the result type
	 * @param url the URL
	 * @param work the work, given the connected database
	 * @return the work's result, emitted after the disconnect
	 */
	public static <T> Mono<T> using(String url, Function<Database, Mono<T>> work) {
		return Mono.usingWhen(Mono.fromCallable(() -> new Database(url)).flatMap((db) -> db.connect().thenReturn(db)),
				work, Database::disconnect, (db, error) -> db.disconnect(), Database::disconnect);
	}

	/**
	 * Open the pool (its first {@code min_size} connections) and, with force-rollback, the
	 * outer transaction. Connecting a connected database does nothing. Each read replica's
	 * pool is opened too, but a replica that cannot be reached does not fail the connect: it
	 * serves no reads until it is tried again and answers.
	 * @return completion, when subscribed; a {@link ConnectionException} if the primary
	 * cannot be reached
	 */
	public Mono<Void> connect() {
		return this.pools.connect();
	}

	/**
	 * Close every connection, after rolling back the outer transaction with force-rollback.
	 * Work still running gets up to {@code disconnect_timeout} (10 s by default) to finish;
	 * then it is ended with a {@link ConnectionException}. Disconnecting a disconnected
	 * database does nothing.
	 * @return completion, when subscribed
	 */
	public Mono<Void> disconnect() {
		return this.pools.disconnect();
	}

	/**
	 * Whether {@link #connect()} has been called and {@link #disconnect()} has not.
	 * @return {@code true} if connected
	 */
	public boolean isConnected() {
		return this.pools.isConnected();
	}

	/**
	 * The URL, with builder options merged in.
	 * @return the URL
	 */
	public DatabaseURL url() {
		return this.runtime.url();
	}

	/**
	 * A {@link ConnectionFactory} that hands out this database's pooled connections, so
	 * that Spring's {@code DatabaseClient} and transaction manager share the pool (and,
	 * with force-rollback, the one connection and its outer transaction).
	 * @return the connection factory, valid while the database is connected
	 */
	public ConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * The pool's current figures (acquired, idle, pending, max).
	 * @return the metrics, or empty when not connected
	 */
	public Optional<PoolMetrics> poolMetrics() {
		Pool current = this.pools.primary();
		return (current != null) ? current.metrics() : Optional.empty();
	}

	/**
	 * The read replicas, in the order they were given, and how each is doing; the pool
	 * figures of a replica come from its {@link ReplicaStatus#poolMetrics()}, those of the
	 * primary from {@link #poolMetrics()}.
	 * @return one status per replica (with state {@code not connected} while the database is
	 * not), empty without replicas or with force-rollback
	 */
	public List<ReplicaStatus> replicas() {
		return this.pools.replicaStatuses();
	}

	/**
	 * Run {@code work} with one connection bound to it: every query inside, through
	 * {@code db} or the given {@link Connection}, uses that connection. Nested calls reuse
	 * it. It is released when the work completes, errors or is cancelled.
	 * @param <T> the element type
	 * @param work the work, given the connection
	 * @return the work's elements
	 */
	public <T> Flux<T> connection(Function<Connection, ? extends Publisher<T>> work) {
		return this.resolver.runMany("connection", (scope) -> Flux.from(work.apply(scope.connection())),
				(pool) -> pool.withScope((bound) -> Flux.from(work.apply(bound.connection()))));
	}

	@Override
	public <T> Mono<T> transaction(TransactionOptions options, Function<Transaction, Mono<T>> work) {
		Function<Scope, Mono<T>> inScope = (scope) -> scope.connection().transactionIn(scope, options, work);
		if (options.isReadOnly()) {
			// On a replica when not nested; run again on the primary if the replica is lost, as a
			// retry would run it again: it could change nothing.
			return this.resolver.read("transaction", inScope, (pool) -> pool.withScopeOne(inScope));
		}
		return this.runtime.noteWrite(this.resolver.run("transaction", inScope, (pool) -> pool.withScopeOne(inScope)));
	}

	@Override
	public <T> Flux<T> transactionMany(Function<Transaction, ? extends Publisher<T>> work) {
		Function<Scope, Flux<T>> inScope = (scope) -> scope.connection()
			.transactionManyIn(scope, TransactionOptions.defaults(), work);
		return this.resolver.runMany("transactionMany", inScope, (pool) -> pool.withScope(inScope));
	}

	/**
	 * Wrap a function so that each call runs in its own transaction: Python's
	 * {@code @database.transaction()} decorator. Concurrent calls get separate transactions.
	 * @param <A> the argument type
	 * @param <R> the result type
	 * @param function the function to wrap
	 * @return the wrapped function
	 */
	public <A, R> Function<A, Mono<R>> transactional(Function<A, Mono<R>> function) {
		return (argument) -> transaction((transaction) -> function.apply(argument));
	}

	@Override
	public Mono<Transaction> beginTransaction(TransactionOptions options) {
		return this.resolver.begin(options);
	}

	@Override
	DatabaseRuntime runtime() {
		return this.runtime;
	}

	@Override
	<T> Mono<T> withConnection(Function<Connection, Mono<T>> operation) {
		return this.resolver.run("query", (scope) -> operation.apply(scope.connection()), (pool) -> pool.run(operation));
	}

	@Override
	<T> Flux<T> withConnectionMany(Function<Connection, Flux<T>> operation) {
		return this.resolver.runMany("query", (scope) -> operation.apply(scope.connection()), (pool) -> pool.runMany(operation));
	}

	@Override
	<T> Mono<T> withReadConnection(Function<Connection, Mono<T>> operation) {
		return this.resolver.read("query", (scope) -> operation.apply(scope.connection()), (pool) -> pool.run(operation));
	}

	@Override
	<T> Flux<T> withReadConnectionMany(Function<Connection, Flux<T>> operation) {
		return this.resolver.readMany("query", (scope) -> operation.apply(scope.connection()), (pool) -> pool.runMany(operation));
	}

	/**
	 * Run {@code work} so that it reads its own writes: for the {@code read_your_writes}
	 * option's duration after a write inside it, its reads go to the primary rather than to
	 * a replica that may not have the write yet. One window per subscription (a WebFlux
	 * filter may wrap each request); without the option the work runs as it is.
	 * @param <T> the result type
	 * @param work the work
	 * @return the work, with a read-your-writes window in its Context
	 */
	public <T> Mono<T> readYourWrites(Mono<T> work) {
		return work.contextWrite(this.runtime::withWriteWindow);
	}

	/**
	 * {@link #readYourWrites(Mono)} for a stream.
	 * @param <T> the element type
	 * @param work the work
	 * @return the work, with a read-your-writes window in its Context
	 */
	public <T> Flux<T> readYourWrites(Flux<T> work) {
		return work.contextWrite(this.runtime::withWriteWindow);
	}

	/**
	 * Whether this database runs everything in one outer transaction that
	 * {@link #disconnect()} rolls back.
	 * @return {@code true} with force-rollback
	 */
	public boolean isForceRollback() {
		return this.forceRollback;
	}

	/** The Context key of this database's blocks (tests remove it to act as a sibling task). */
	Object scopeKey() {
		return this.runtime.scopeKey();
	}

	/** The read replicas while connected, {@code null} when there are none. */
	@Nullable ReplicaSet replicaSet() {
		return this.pools.replicas();
	}

	@Override
	public String toString() {
		return "Database[" + this.runtime.url() + (this.forceRollback ? ", forceRollback" : "") + "]";
	}

	/**
	 * Builds a {@link Database} with options in code, Python's keyword arguments.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final DatabaseURL url;

		private final Map<String, Object> options = new LinkedHashMap<>();

		private boolean forceRollback;

		private @Nullable DatabaseListener listener;

		private int transactionAttempts = 1;

		private final List<DatabaseURL> replicas = new ArrayList<>();
		private @Nullable Function<? super DatabaseException, ? extends @Nullable RuntimeException> exceptionTranslator;

		private Builder(DatabaseURL url) {
			this.url = Objects.requireNonNull(url, "'url' must not be null");
		}

		/**
		 * Set an option, as in the URL's query ({@code min_size}, {@code ssl}, ...); it wins
		 * over the URL's value. Options this library does not know go to the driver.
		 * @param name the option name
		 * @param value its value: a String, Number, Boolean or Duration
		 * @return this builder
		 */
		public Builder option(String name, Object value) {
			this.options.put(Objects.requireNonNull(name, "'name' must not be null"),
					Objects.requireNonNull(value, "'value' must not be null"));
			return this;
		}

		/**
		 * Set several options; see {@link #option(String, Object)}.
		 * @param options the options by name
		 * @return this builder
		 */
		public Builder options(Map<String, ?> options) {
			options.forEach(this::option);
			return this;
		}

		/**
		 * Use one connection and one outer transaction for the database's life, rolled back
		 * by {@link Database#disconnect()}: for tests.
		 * @param forceRollback whether to roll everything back
		 * @return this builder
		 */
		public Builder forceRollback(boolean forceRollback) {
			this.forceRollback = forceRollback;
			return this;
		}

		/**
		 * Observe connections and statements, for metrics and leak warnings.
		 * @param listener the listener, or {@code null} for none
		 * @return this builder
		 */
		public Builder listener(@Nullable DatabaseListener listener) {
			this.listener = listener;
			return this;
		}

		/**
		 * Retry every {@code transaction(work)} that is given no {@link TransactionOptions}, up
		 * to {@code maxAttempts} runs in all, as {@link TransactionOptions#retry(int)} does;
		 * options given to a call decide for that call.
		 * @param maxAttempts how many times such a transaction may run, at least 1 (the default: no retry)
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxAttempts} is less than 1
		 */
		public Builder transactionRetry(int maxAttempts) {
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("transactionRetry(maxAttempts) takes at least 1 (one attempt, no retry), not "
						+ maxAttempts);
			}
			this.transactionAttempts = maxAttempts;
			return this;
		}

		/**
		 * Add a read replica (a PostgreSQL hot standby, a MariaDB or MySQL replica); repeatable.
		 * Reads outside blocks and Spring transactions, and outermost read-only transactions,
		 * go to the replicas in turn, everything else to the primary. A replica that fails, is
		 * unreachable or lags more than {@code max_replica_lag} is taken out for
		 * {@code replica_retry_interval} and its reads are answered by the primary (README,
		 * "More than one server"). Force-rollback databases use the primary only.
		 * @param url the replica's URL, of the same kind of database; its options (such as
		 * {@code ?max_size=20}) win over the primary's, which it has otherwise
		 * @return this builder
		 * @throws IllegalArgumentException if the URL is invalid
		 */
		public Builder replica(String url) {
			return replica(DatabaseURL.parse(Objects.requireNonNull(url, "'url' must not be null")));
		}

		/**
		 * Add a read replica; see {@link #replica(String)}.
		 * @param url the replica's URL
		 * @return this builder
		 */
		public Builder replica(DatabaseURL url) {
			this.replicas.add(Objects.requireNonNull(url, "'url' must not be null"));
			return this;
		}

		/**
		 * Turn the errors of the query methods into the caller's own exception types, such as
		 * Spring's {@code DataAccessException}s (the Spring Boot starter installs that). The
		 * translation must keep the {@link DatabaseException} as its cause, where
		 * {@code sqlState()} stays readable; transaction retries and the pool decide on it.
		 * @param translator the translation, which may return its argument or {@code null}
		 * to leave an error as it is; {@code null} for none
		 * @return this builder
		 */
		public Builder exceptionTranslator(
				@Nullable Function<? super DatabaseException, ? extends @Nullable RuntimeException> translator) {
			this.exceptionTranslator = translator;
			return this;
		}

		/**
		 * Build the database.
		 * @return the database, not yet connected
		 * @throws IllegalArgumentException if an option is invalid
		 */
		public Database build() {
			return new Database(this);
		}

	}

}

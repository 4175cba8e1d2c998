package dev.databases;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.databases.internal.backend.Backend;
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
 * test-isolation mode.
 *
 * @since 0.1.0
 */
public final class Database extends QueryMethods {

	/** What the pool and the connections need of this database, given to them instead of the facade. */
	private final DatabaseRuntime runtime;

	private final boolean forceRollback;

	private final AtomicReference<@Nullable Pool> pool = new AtomicReference<>();

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
		this(url, Map.of(), false, null, 1, null);
	}

	private Database(DatabaseURL url, Map<String, ?> builderOptions, boolean forceRollback,
			@Nullable DatabaseListener listener, int transactionAttempts,
			@Nullable Function<? super DatabaseException, ? extends @Nullable RuntimeException> exceptionTranslator) {
		Objects.requireNonNull(url, "'url' must not be null");
		ConnectOptions options = ConnectOptions.of(url.options(), builderOptions);
		Map<String, Object> merged = new LinkedHashMap<>(url.options());
		merged.putAll(builderOptions);
		this.runtime = new DatabaseRuntime(url.withOptions(merged), options, listener, transactionAttempts,
				exceptionTranslator);
		this.forceRollback = forceRollback;
		this.connectionFactory = new DatabaseConnectionFactory(this, listener);
		this.resolver = new ScopeResolver(this.runtime, this.pool::get, this.connectionFactory);
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
	 * outer transaction. Connecting a connected database does nothing.
	 * @return completion, when subscribed; a {@link ConnectionException} if the server
	 * cannot be reached
	 */
	public Mono<Void> connect() {
		return Mono.defer(() -> {
			Pool current = this.pool.get();
			if (current != null) {
				return current.ready();
			}
			Pool created;
			try {
				created = Pool.of(this.runtime, this.forceRollback);
			}
			catch (RuntimeException ex) {
				return Mono.error(ex);
			}
			if (!this.pool.compareAndSet(null, created)) {
				created.dispose();
				return Objects.requireNonNull(this.pool.get()).ready();
			}
			return created.start().doOnError((error) -> this.pool.compareAndSet(created, null));
		});
	}

	/**
	 * Close every connection, after rolling back the outer transaction with force-rollback.
	 * Work still running gets up to {@code disconnect_timeout} (10 s by default) to finish;
	 * then it is ended with a {@link ConnectionException}. Disconnecting a disconnected
	 * database does nothing.
	 * @return completion, when subscribed
	 */
	public Mono<Void> disconnect() {
		return Mono.defer(() -> {
			Pool current = this.pool.getAndSet(null);
			return (current != null) ? current.stop() : Mono.empty();
		});
	}

	/**
	 * Whether {@link #connect()} has been called and {@link #disconnect()} has not.
	 * @return {@code true} if connected
	 */
	public boolean isConnected() {
		return this.pool.get() != null;
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
		Pool current = this.pool.get();
		return (current != null) ? current.metrics() : Optional.empty();
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

	/**
	 * Run {@code work} in a transaction: commit when it completes, roll back when it errors
	 * or is cancelled. Inside another transaction it is a savepoint, and rolling it back
	 * keeps the outer work. The result is emitted after the commit.
	 * @param <T> the result type
	 * @param work the work, given the transaction
	 * @return the work's result
	 */
	public <T> Mono<T> transaction(Function<Transaction, Mono<T>> work) {
		return transaction(this.runtime.transactionDefaults(), work);
	}

	/**
	 * Run {@code work} in a transaction with the given options; see
	 * {@link #transaction(Function)}.
	 * @param <T> the result type
	 * @param options isolation, read-only and force-rollback
	 * @param work the work, given the transaction
	 * @return the work's result
	 */
	public <T> Mono<T> transaction(TransactionOptions options, Function<Transaction, Mono<T>> work) {
		Function<Scope, Mono<T>> inScope = (scope) -> scope.connection().transactionIn(scope, options, work);
		return this.resolver.run("transaction", inScope, (pool) -> pool.withScopeOne(inScope));
	}

	/**
	 * Run streaming {@code work} in a transaction; the Flux completes after the commit.
	 * @param <T> the element type
	 * @param work the work, given the transaction
	 * @return the work's elements
	 */
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

	/**
	 * Begin a transaction that the caller ends with {@link Transaction#commit()} or
	 * {@link Transaction#rollback()}; it pins a connection until then. Queries for it go
	 * through {@link Transaction#connection()}. Inside a block, it is a savepoint on the
	 * block's connection.
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
	public Mono<Transaction> beginTransaction(TransactionOptions options) {
		return Mono.deferContextual((context) -> {
			Scope scope = this.resolver.scopeIn(context);
			if (scope != null) {
				return scope.connection().begin(scope.transaction(), options, Mono.empty());
			}
			Pool current = this.pool.get();
			if (current == null) {
				return Mono.error(notConnected("beginTransaction"));
			}
			return current.beginPinned(options);
		});
	}

	@Override
	DatabaseRuntime runtime() {
		return this.runtime;
	}

	@Override
	<T> Mono<T> withConnection(Function<Connection, Mono<T>> operation) {
		return this.resolver.run("query", (scope) -> operation.apply(scope.connection()),
				(pool) -> pool.run(operation));
	}

	@Override
	<T> Flux<T> withConnectionMany(Function<Connection, Flux<T>> operation) {
		return this.resolver.runMany("query", (scope) -> operation.apply(scope.connection()),
				(pool) -> pool.runMany(operation));
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

	/** The backend, for the ConnectionFactory view's metadata before a pool exists. */
	Backend backend() {
		return this.runtime.backend();
	}

	@Nullable Pool currentPool() {
		return this.pool.get();
	}


	NotConnectedException notConnected(String what) {
		return this.runtime.notConnected(what);
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
			return new Database(this.url, this.options, this.forceRollback, this.listener, this.transactionAttempts,
					this.exceptionTranslator);
		}

	}

}

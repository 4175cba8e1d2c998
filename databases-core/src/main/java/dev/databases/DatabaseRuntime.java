package dev.databases;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.databases.internal.backend.Backend;
import dev.databases.internal.parsing.BoundSql;
import dev.databases.internal.parsing.NamedParameterParser;
import dev.databases.internal.parsing.UnboundParameterException;
import io.r2dbc.spi.RowMetadata;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * What the pool and the connections of one {@link Database} share: its URL, backend,
 * options and listener, the Context key of its blocks, and the caches of parsed SQL,
 * column names and multi-row inserts. The facade makes it and gives it to them, so that
 * nothing below the facade calls back into it.
 */
final class DatabaseRuntime {

	private final DatabaseURL url;

	private final ConnectOptions options;

	private final Backend backend;

	private final @Nullable DatabaseListener listener;

	private final @Nullable Function<? super DatabaseException, ? extends @Nullable RuntimeException> exceptionTranslator;

	private final boolean sendsTransactionStatements;

	/** What {@code transaction(work)} without options runs with: the defaults, with the database's retry. */
	private final TransactionOptions transactionDefaults;

	private final Object scopeKey;

	/** The Reactor Context key of a read-your-writes window ({@link WriteWindow}). */
	private final Object writeWindowKey;

	private final NamedParameterParser parser;

	private final Map<String, Columns> columns;

	private final Map<String, Optional<MultiRowInsert>> multiRowInserts;

	DatabaseRuntime(DatabaseURL url, ConnectOptions options, @Nullable DatabaseListener listener,
			int transactionAttempts,
			@Nullable Function<? super DatabaseException, ? extends @Nullable RuntimeException> exceptionTranslator) {
		this(url, options, backendOf(url, "URL " + url), listener,
				TransactionOptions.defaults().retry(transactionAttempts), exceptionTranslator, new Object(),
				new Object(), new NamedParameterParser(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
	}

	private DatabaseRuntime(DatabaseURL url, ConnectOptions options, Backend backend,
			@Nullable DatabaseListener listener, TransactionOptions transactionDefaults,
			@Nullable Function<? super DatabaseException, ? extends @Nullable RuntimeException> exceptionTranslator,
			Object scopeKey,
			Object writeWindowKey, NamedParameterParser parser, Map<String, Columns> columns,
			Map<String, Optional<MultiRowInsert>> multiRowInserts) {
		this.exceptionTranslator = exceptionTranslator;
		this.url = url;
		this.options = options;
		this.backend = backend;
		this.sendsTransactionStatements = !backend.beginStatements(null, false).isEmpty();
		this.listener = listener;
		this.transactionDefaults = transactionDefaults;
		this.scopeKey = scopeKey;
		this.writeWindowKey = writeWindowKey;
		this.parser = parser;
		this.columns = columns;
		this.multiRowInserts = multiRowInserts;
	}

	/**
	 * The runtime of a replica of this database: its own URL and options, and this database's
	 * backend, listener, caches and Context keys, so that a read-only transaction on the replica
	 * is the block that {@code db.fetchAll} inside it finds.
	 * @param replicaUrl the replica's URL, its options merged in
	 * @param replicaOptions the replica's options
	 * @throws IllegalArgumentException when the replica is another kind of database than the primary
	 */
	DatabaseRuntime replica(DatabaseURL replicaUrl, ConnectOptions replicaOptions) {
		Backend replicaBackend = backendOf(replicaUrl, "replica URL " + replicaUrl);
		if (replicaBackend.getClass() != this.backend.getClass()) {
			throw new IllegalArgumentException("The replica " + replicaUrl + " is " + replicaBackend
					+ " but the primary " + this.url + " is " + this.backend
					+ ": a replica must be the same kind of database");
		}
		return new DatabaseRuntime(replicaUrl, replicaOptions, this.backend, this.listener, this.transactionDefaults,
				this.exceptionTranslator, this.scopeKey, this.writeWindowKey, this.parser, this.columns, this.multiRowInserts);
	}

	private static Backend backendOf(DatabaseURL url, String source) {
		Backend backend = Backend.of(url.dialect(), source);
		if (!url.scheme().startsWith("r2dbc:")) {
			// An r2dbc: URL is written in the driver's own terms; the others are checked, since
			// a driver ignores an option it does not know without a word.
			for (String name : url.options().keySet()) {
				String problem = backend.optionProblem(name);
				if (problem != null) {
					throw new InvalidOptionException(name, problem);
				}
			}
		}
		String driver = url.driver();
		if (driver != null) {
			// Python's databases picks asyncpg, aiopg, asyncmy ... from this part; no engine
			// other than the R2DBC driver exists here yet, and running on it silently would
			// hide that the URL asked for something else.
			throw new IllegalArgumentException("Unsupported driver '" + driver + "' in URL " + url
					+ ": databases connects to " + url.dialect() + " only through its R2DBC driver so far;"
					+ " write the URL without '+" + driver + "'");
		}
		return backend;
	}

	/** The Reactor Context key under which a read-your-writes window is bound. */
	Object writeWindowKey() {
		return this.writeWindowKey;
	}

	/**
	 * {@code write}, opening the read-your-writes window of its Context (if there is one) when
	 * it ends, however it ends: a write that failed or was cancelled may still have run.
	 */
	<T> Mono<T> noteWrite(Mono<T> write) {
		if (this.options.readYourWrites() == null) {
			return write;
		}
		return Mono.deferContextual((context) -> {
			WriteWindow window = context.getOrDefault(this.writeWindowKey, null);
			// Before the result goes on (doFinally would be too late for the read that follows it).
			return (window != null)
					? write.doOnSuccess((result) -> window.wrote())
						.doOnError((error) -> window.wrote())
						.doOnCancel(window::wrote)
					: write;
		});
	}

	/** Whether reads in {@code context} go to the primary: a write there opened its window. */
	boolean readsOwnWrites(ContextView context) {
		if (this.options.readYourWrites() == null) {
			return false;
		}
		WriteWindow window = context.getOrDefault(this.writeWindowKey, null);
		return window != null && window.isOpen();
	}

	TransactionOptions transactionDefaults() {
		return this.transactionDefaults;
	}

	/**
	 * {@code context} with a read-your-writes window of its own, when the
	 * {@code read_your_writes} option asks for one and no outer one is there.
	 */
	Context withWriteWindow(Context context) {
		Duration window = this.options.readYourWrites();
		return (window == null || context.hasKey(this.writeWindowKey)) ? context
				: context.put(this.writeWindowKey, new WriteWindow(window));
	}

	/** The Reactor Context key under which a block's {@link Scope} is bound. */
	Object scopeKey() {
		return this.scopeKey;
	}

	Backend backend() {
		return this.backend;
	}

	DatabaseURL url() {
		return this.url;
	}

	ConnectOptions options() {
		return this.options;
	}

	/** Why a query cannot run: no pool. */
	NotConnectedException notConnected(String what) {
		return new NotConnectedException("Cannot run " + what + ": the Database for " + this.url
				+ " is not connected; call connect() first (or it was disconnected)");
	}

	/**
	 * Whether BEGIN, COMMIT and ROLLBACK go to the server as statements: the backend names
	 * its begin statements. Worked out once, as every commit and rollback asks.
	 */
	boolean sendsTransactionStatements() {
		return this.sendsTransactionStatements;
	}

	/**
	 * How long a statement may go without an answer before the client gives up on the
	 * connection: the server's statement_timeout plus the connect_timeout as grace. Without a
	 * statement_timeout there is no limit (a query may rightly run for hours).
	 */
	@Nullable Duration answerTimeout() {
		Duration statement = this.options.statementTimeout();
		return (statement != null) ? statement.plus(this.options.connectTimeout()) : null;
	}

	@Nullable DatabaseListener listener() {
		return this.listener;
	}

	/**
	 * {@code work} with its errors as the caller sees them ({@link #forCaller(Throwable)});
	 * without an exception translator that is {@code work} itself, one operator fewer per call.
	 */
	<T> Mono<T> forCaller(Mono<T> work) {
		return (this.exceptionTranslator != null) ? work.onErrorMap(this::forCaller) : work;
	}

	/** {@link #forCaller(Mono)} for a stream. */
	<T> Flux<T> forCaller(Flux<T> work) {
		return (this.exceptionTranslator != null) ? work.onErrorMap(this::forCaller) : work;
	}

	/**
	 * The error a query method signals: a {@link DatabaseException} as the exception
	 * translator turns it, remembered on it so that retries and the pool still see it.
	 */
	Throwable forCaller(Throwable error) {
		Function<? super DatabaseException, ? extends @Nullable RuntimeException> translator = this.exceptionTranslator;
		if (translator == null || !(error instanceof DatabaseException failure)) {
			return error;
		}
		RuntimeException translated = translator.apply(failure);
		if (translated == null || translated == failure) {
			return failure;
		}
		failure.translation(translated);
		return translated;
	}

	BoundSql bind(Query query) {
		BoundSql bound;
		try {
			bound = this.parser.parse(query.sql(), this.backend.syntax()).bind(query.values());
		}
		catch (UnboundParameterException ex) {
			throw new MissingParameterException(ex.parameter(), ex.sql());
		}
		int limit = this.backend.maxParameters();
		if (bound.values().size() > limit) {
			// Past the limit the servers fail obscurely (PostgreSQL: a protocol error, or no answer).
			String largest = "";
			int largestSize = 0;
			for (Map.Entry<String, ?> value : query.values().entrySet()) {
				if (value.getValue() instanceof java.util.Collection<?> collection && collection.size() > largestSize) {
					largest = value.getKey();
					largestSize = collection.size();
				}
			}
			String culprit = (largestSize > 0) ? " (:" + largest + " has " + largestSize + " values)" : "";
			throw new DatabaseException("The statement binds " + bound.values().size() + " parameters" + culprit + "; "
					+ this.backend + " accepts at most " + limit + ": split the IN list, or pass an array "
					+ "(= ANY(:" + (largestSize > 0 ? largest : "ids") + ") on PostgreSQL) in SQL: " + query.sql(), null,
					0, query.sql(), null);
		}
		return bound;
	}

	/**
	 * The column names of a result of {@code sql}: the ones of its last result when they are
	 * still the same (so that their name lookups are built once per statement, not once per
	 * call), else new ones.
	 */
	Columns columns(String sql, RowMetadata metadata) {
		Columns cached = this.columns.get(sql);
		if (cached != null && cached.matches(metadata)) {
			return cached;
		}
		Columns columns = Columns.of(metadata);
		if (cached != null || this.columns.size() < 1000) {
			this.columns.put(sql, columns);
		}
		return columns;
	}

	@Nullable MultiRowInsert multiRowInsert(String sql) {
		Optional<MultiRowInsert> insert = this.multiRowInserts.get(sql);
		if (insert == null) {
			insert = Optional.ofNullable(MultiRowInsert.of(sql));
			if (this.multiRowInserts.size() < 1000) {
				this.multiRowInserts.put(sql, insert);
			}
		}
		return insert.orElse(null);
	}

}

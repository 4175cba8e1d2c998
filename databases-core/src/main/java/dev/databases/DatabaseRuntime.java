package dev.databases;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.databases.internal.backend.Backend;
import dev.databases.internal.parsing.BoundSql;
import dev.databases.internal.parsing.NamedParameterParser;
import dev.databases.internal.parsing.UnboundParameterException;
import io.r2dbc.spi.RowMetadata;
import org.jspecify.annotations.Nullable;

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

	private final boolean sendsTransactionStatements;

	/** What {@code transaction(work)} without options runs with: the defaults, with the database's retry. */
	private final TransactionOptions transactionDefaults;

	private final Object scopeKey = new Object();

	private final NamedParameterParser parser = new NamedParameterParser();

	private final Map<String, Columns> columns = new ConcurrentHashMap<>();

	private final Map<String, Optional<MultiRowInsert>> multiRowInserts = new ConcurrentHashMap<>();

	DatabaseRuntime(DatabaseURL url, ConnectOptions options, @Nullable DatabaseListener listener,
			int transactionAttempts) {
		this.url = url;
		this.transactionDefaults = TransactionOptions.defaults().retry(transactionAttempts);
		this.options = options;
		this.backend = Backend.of(url.dialect(), "URL " + url);
		if (!url.scheme().startsWith("r2dbc:")) {
			// An r2dbc: URL is written in the driver's own terms; the others are checked, since
			// a driver ignores an option it does not know without a word.
			for (String name : url.options().keySet()) {
				String problem = this.backend.optionProblem(name);
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
		this.sendsTransactionStatements = !this.backend.beginStatements(null, false).isEmpty();
		this.listener = listener;
	}

	TransactionOptions transactionDefaults() {
		return this.transactionDefaults;
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

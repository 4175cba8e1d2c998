package dev.databases.internal.backend;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.databases.internal.parsing.SqlSyntax;
import dev.databases.internal.url.OptionNames;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.TargetServerType;
import dev.databases.internal.url.UrlHost;
import dev.databases.internal.url.UrlOptionException;
import dev.databases.internal.url.UrlParts;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** PostgreSQL through r2dbc-postgresql. */
final class PostgresBackend implements Backends.Named {

	/** r2dbc-postgresql's protocol for a list of hosts. */
	private static final String FAILOVER = "failover";

	private static final String STATEMENT_CACHE = "preparedStatementCacheQueries";

	/**
	 * How long a cancelled statement may go on running on the server before a cancel request
	 * stops it: half the bound on the cleanup, leaving the other half for the request (a
	 * connection of its own) and the round trip after it.
	 */
	private static final Duration STOP_AFTER = Duration.ofMillis(500);

	/** Statements kept prepared per connection unless statement_cache_size says otherwise. */
	private static final String DEFAULT_STATEMENT_CACHE = "256";

	/** The documented options in r2dbc-postgresql's and pgjdbc's words. */
	private final DriverOptions options = new DriverOptions("r2dbc-postgresql",
			Map.of("application_name", "applicationName", "statement_cache_size", "preparedStatementCacheQueries",
					"tcp_keepalive", "tcpKeepAlive"),
			Map.of("application_name", "ApplicationName", "statement_cache_size", "preparedStatementCacheQueries",
					"tcp_keepalive", "tcpKeepAlive"),
			List.of("io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider"), (name) -> false);

	@Override
	public List<String> dialects() {
		return List.of("postgresql", "postgres");
	}

	@Override
	public String productName() {
		return "PostgreSQL";
	}

	@Override
	public SqlSyntax syntax() {
		return SqlSyntax.POSTGRESQL;
	}

	@Override
	public String artifact() {
		return "org.postgresql:r2dbc-postgresql";
	}

	@Override
	public int maxParameters() {
		return 65535;
	}

	@Override
	public boolean keyFromReturning() {
		return true;
	}

	@Override
	public Class<?> nullType() {
		// PostgreSQL infers an untyped NULL's type from its use; a varchar NULL fails for other columns.
		return Object.class;
	}

	@Override
	public Object jsonParameter(String json) {
		return PostgresJson.of(json);
	}

	@Override
	public @Nullable Class<?> readType(ColumnMetadata column) {
		// JSON and JSONB read as their text, as on the other backends.
		return PostgresJson.isJson(column.getJavaType()) ? String.class : null;
	}

	@Override
	public List<String> beginStatements(@Nullable IsolationLevel isolation, boolean readOnly) {
		StringBuilder begin = new StringBuilder("BEGIN");
		if (isolation != null) {
			begin.append(" ISOLATION LEVEL ").append(isolation.asSql());
		}
		if (readOnly) {
			begin.append(" READ ONLY");
		}
		return List.of(begin.toString());
	}

	@Override
	public StreamBeside streamBeside() {
		return StreamBeside.CURSOR;
	}

	@Override
	public boolean fetchSizeHelps() {
		// r2dbc-postgresql already streams with back-pressure; a fetch size there only adds a
		// round trip per batch (W6 ran at 0.74 of the raw driver with it).
		return false;
	}

	@Override
	public SqlFamily sqlFamily() {
		return SqlFamily.POSTGRESQL;
	}

	/**
	 * Several hosts are r2dbc-postgresql's failover protocol ({@code r2dbc:postgresql:failover://h1:p1,h2:p2}),
	 * which tries them in order, over TCP, and splits each at its {@code :}: an IPv6 address
	 * cannot be one of them. An {@code r2dbc:} URL is passed on as written, so it must name that
	 * protocol itself.
	 */
	@Override
	public void check(UrlParts url) {
		if (!url.hasSeveralHosts()) {
			return;
		}
		for (UrlHost host : url.hosts()) {
			if (host.host().startsWith("/")) {
				throw new IllegalArgumentException("Invalid " + url.scheme().text() + " URL: a Unix socket cannot "
						+ "be one of several hosts; r2dbc-postgresql tries several servers over TCP only");
			}
			if (host.isIpv6()) {
				throw new IllegalArgumentException("Invalid " + url.scheme().text() + " URL: r2dbc-postgresql "
						+ "cannot take the IPv6 address [" + host.host() + "] in a list of hosts (it splits each "
						+ "host at its ':'); give that server a host name");
			}
		}
		if (url.isR2dbc() && !isFailover(url)) {
			throw new IllegalArgumentException("Invalid " + url.scheme().text() + " URL: r2dbc-postgresql takes "
					+ "several hosts only with its failover protocol; write r2dbc:postgresql:failover://h1:5432,h2:5433/db, "
					+ "or postgresql://h1:5432,h2:5433/db and let the library spell it");
		}
	}

	/**
	 * Only with a list of hosts: r2dbc-postgresql reads the role through its failover
	 * protocol, which takes a single host's port from nowhere but that list.
	 */
	@Override
	public void checkTargetServerType(UrlParts url, TargetServerType target) {
		if (!url.hasSeveralHosts()) {
			throw new UrlOptionException(OptionNames.TARGET_SERVER_TYPE, "Option "
					+ OptionNames.TARGET_SERVER_TYPE + " chooses among several hosts: name them all, as in "
					+ "postgresql://h1:5432,h2:5433/db?" + OptionNames.TARGET_SERVER_TYPE + "=" + target);
		}
	}

	/**
	 * {@code r2dbc:postgresql://}, or {@code r2dbc:postgresql:failover://} for several hosts;
	 * {@code ssl} becomes {@code sslMode} (libpq's names are ours), a Unix socket
	 * {@code socket}, {@code target_server_type} {@code targetServerType}.
	 */
	@Override
	public String toR2dbcUrl(UrlParts url) {
		Map<String, String> options = this.options.forR2dbc(url.driverOptions(true));
		String socket = url.socket(false);
		if (socket != null) {
			options.put("socket", socketFile(socket, url.port()));
		}
		SslMode ssl = url.ssl();
		if (ssl != null) {
			options.put("sslMode", ssl.toString());
		}
		putTargetServerType(url, options);
		String scheme = url.isR2dbc() ? url.scheme().text()
				: url.hasSeveralHosts() ? "r2dbc:postgresql:failover" : "r2dbc:postgresql";
		return url.toDriverUrl(scheme, socket != null, url.database(), options);
	}

	/** {@code jdbc:postgresql://}, with pgjdbc's {@code sslmode}; pgjdbc needs a library for sockets. */
	@Override
	public String toJdbcUrl(UrlParts url) {
		Map<String, String> options = this.options.forJdbc(url.driverOptions(true));
		String socket = url.socket(false);
		if (socket != null) {
			throw ServerUrls.noJdbcOverSocket(url);
		}
		SslMode ssl = url.ssl();
		if (ssl != null) {
			options.put("sslmode", ssl.toString());
		}
		putTargetServerType(url, options);
		return ServerUrls.jdbcUrl(url, null, options);
	}

	/** {@code targetServerType}, spelled alike by r2dbc-postgresql and pgjdbc: a standby is their "secondary". */
	private static void putTargetServerType(UrlParts url, Map<String, String> options) {
		TargetServerType target = url.targetServerType();
		if (target != null) {
			options.put("targetServerType", switch (target) {
				case ANY -> "any";
				case PRIMARY -> "primary";
				case STANDBY -> "secondary";
				case PREFER_STANDBY -> "preferSecondary";
			});
		}
	}

	/** {@code r2dbc:postgresql:failover}, also behind a wrapper ({@code r2dbc:pool:postgresql:failover}). */
	private static boolean isFailover(UrlParts url) {
		String protocol = url.scheme().protocol();
		return protocol != null && (protocol.equals(FAILOVER) || protocol.endsWith(":" + FAILOVER));
	}

	/** libpq takes the socket's directory; r2dbc-postgresql wants the socket file itself. */
	static String socketFile(String socket, @Nullable Integer port) {
		String name = socket.substring(socket.lastIndexOf('/') + 1);
		if (name.startsWith(".s.PGSQL.")) {
			return socket;
		}
		String directory = socket.endsWith("/") ? socket.substring(0, socket.length() - 1) : socket;
		return directory + "/.s.PGSQL." + ((port != null) ? port : 5432);
	}

	/**
	 * r2dbc-postgresql caches every statement it prepares, without bound, which fills the
	 * server (and a pooler's) with one-off SQL; a bounded cache keeps the common ones prepared.
	 */
	@Override
	public Map<String, String> driverDefaults() {
		return Map.of(STATEMENT_CACHE, DEFAULT_STATEMENT_CACHE);
	}

	/**
	 * A prepared statement that exists already or no longer (42P05, 26000) is what a pooler
	 * in transaction mode (pgbouncer before 1.21, or without max_prepared_statements) does to
	 * the driver's statement cache: the statement was prepared on another server connection.
	 */
	@Override
	public @Nullable String errorHint(String sqlState) {
		return ("42P05".equals(sqlState) || "26000".equals(sqlState))
				? "Behind a pooler in transaction mode (pgbouncer) set statement_cache_size=0, or enable the "
						+ "pooler's prepared statement support (pgbouncer 1.21+: max_prepared_statements)"
				: null;
	}

	@Override
	public @Nullable String optionProblem(String name) {
		return this.options.problem(name, productName());
	}

	@Override
	public ReplicaLagQuery replicaLagQuery() {
		// Caught up when everything received is replayed (an idle primary sends nothing, and the
		// last replayed commit grows old without the standby being behind); else as old as the
		// last commit replayed, which keeps growing while replay is paused or slow.
		return new ReplicaLagQuery("SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
				+ " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
				+ " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END AS lag", List.of("lag"));
	}

	@Override
	public String toString() {
		return "PostgreSQL";
	}

	/**
	 * r2dbc-postgresql drains a cancelled exchange itself; a round trip queued behind it shows
	 * the session idle. When the server is still running the cancelled statement, a cancel
	 * request stops it, so that a slow query a caller gave up on costs no reconnect.
	 */
	@Override
	public Mono<Boolean> cleanAfterCancel(Connection physical) {
		return CleanAfterCancel.roundTrip(physical, STOP_AFTER, PostgresCancelRequest::send);
	}

}

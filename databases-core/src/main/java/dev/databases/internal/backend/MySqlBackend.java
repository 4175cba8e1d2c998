package dev.databases.internal.backend;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.databases.internal.parsing.SqlSyntax;
import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlParts;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** MySQL and MariaDB through r2dbc-mysql, with its workarounds. */
final class MySqlBackend implements Backends.Named {

	/** The documented options in r2dbc-mysql's and the JDBC drivers' words; it has no application name. */
	private final DriverOptions options = new DriverOptions("r2dbc-mysql",
			Map.of("statement_cache_size", "prepareCacheSize", "tcp_keepalive", "tcpKeepAlive"),
			Map.of("statement_cache_size", "prepStmtCacheSize", "tcp_keepalive", "tcpKeepAlive"),
			List.of("io.asyncer.r2dbc.mysql.MySqlConnectionFactoryProvider"), (name) -> false);

	/** Whether this is the MariaDB one: its URLs and its SQL differ a little. */
	private final boolean mariadb;

	MySqlBackend(boolean mariadb) {
		this.mariadb = mariadb;
	}

	@Override
	public List<String> dialects() {
		return List.of(this.mariadb ? "mariadb" : "mysql");
	}

	@Override
	public String productName() {
		return "MySQL";
	}

	@Override
	public SqlSyntax syntax() {
		return SqlSyntax.MYSQL;
	}

	@Override
	public String artifact() {
		return "io.asyncer:r2dbc-mysql";
	}

	@Override
	public int maxParameters() {
		return 65535;
	}

	@Override
	public @Nullable Long generatedKey(long key) {
		// r2dbc-mysql reports LAST_INSERT_ID() 0 for a table without an auto-increment column.
		return (key == 0) ? null : key;
	}

	@Override
	public Object bindable(Object value) {
		// r2dbc-mysql has no UUID codec; CHAR(36) and MariaDB's UUID columns take the text.
		return (value instanceof UUID) ? value.toString() : value;
	}

	@Override
	public List<String> beginStatements(@Nullable IsolationLevel isolation, boolean readOnly) {
		String start = readOnly ? "START TRANSACTION READ ONLY" : "START TRANSACTION";
		// SET TRANSACTION without SESSION applies to the next transaction only.
		return (isolation != null) ? List.of("SET TRANSACTION ISOLATION LEVEL " + isolation.asSql(), start)
				: List.of(start);
	}

	@Override
	public StreamBeside streamBeside() {
		// The MySQL protocol cannot interleave a statement with an open result.
		return StreamBeside.READ_AHEAD;
	}

	@Override
	public boolean readsCancelledResultToEnd() {
		return true;
	}

	@Override
	public ConnectionFactory decorate(ConnectionFactory driver) {
		return MySqlPooledConnection.factory(driver);
	}

	@Override
	public void releasing(io.r2dbc.spi.Connection raw, boolean answeredInFull) {
		MySqlPooledConnection pooled = MySqlPooledConnection.in(raw);
		if (pooled != null && answeredInFull) {
			pooled.releasingSettled();
		}
	}

	/**
	 * Also 1213 (deadlock, whatever SQLSTATE the driver reports) and 1205 (lock wait
	 * timeout): InnoDB rolls back only the waiting statement on 1205, but the whole
	 * transaction has been rolled back by the time a retry is considered, so it is safe here.
	 */
	@Override
	public boolean isRetryableConflict(@Nullable String sqlState, int vendorCode) {
		return vendorCode == 1213 || vendorCode == 1205 || Backends.Named.super.isRetryableConflict(sqlState, vendorCode);
	}

	/**
	 * {@code SHOW REPLICA STATUS} (MariaDB 10.5.1+, MySQL 8.0.22+; MySQL 8.4 no longer knows
	 * {@code SHOW SLAVE STATUS}). MariaDB names the column {@code Seconds_Behind_Master}, MySQL
	 * {@code Seconds_Behind_Source}; it is NULL while the SQL thread is stopped.
	 */
	@Override
	public ReplicaLagQuery replicaLagQuery() {
		return new ReplicaLagQuery("SHOW REPLICA STATUS", List.of("Seconds_Behind_Master", "Seconds_Behind_Source"));
	}

	@Override
	public SqlFamily sqlFamily() {
		return this.mariadb ? SqlFamily.MARIADB : SqlFamily.MYSQL;
	}

	/**
	 * One server only: r2dbc-mysql 1.4 has no list of hosts (its URL's host is one name), so
	 * {@code mysql://h1,h2/db} would fail at the first connection with a name nobody resolves.
	 */
	@Override
	public void check(UrlParts url) {
		if (url.hasSeveralHosts() && !isMariadbDriver(url)) {
			throw new IllegalArgumentException("Invalid " + url.scheme().text() + " URL: it names "
					+ url.hosts().size() + " hosts, but r2dbc-mysql connects to one server only; give one host "
					+ "(a proxy such as MaxScale or ProxySQL can stand for several servers)");
		}
	}

	@Override
	public void checkSsl(UrlParts url, SslMode ssl) {
		if (isMariadbDriver(url)) {
			OtherDriverUrls.INSTANCE.checkSsl(url, ssl);
		}
	}

	/**
	 * {@code r2dbc:mysql://} for both (io.asyncer r2dbc-mysql); {@code ssl} becomes
	 * {@code sslMode}, a Unix socket {@code unixSocket}.
	 */
	@Override
	public String toR2dbcUrl(UrlParts url) {
		if (isMariadbDriver(url)) {
			return OtherDriverUrls.INSTANCE.toR2dbcUrl(url);
		}
		Map<String, String> options = this.options.forR2dbc(url.driverOptions(true));
		String socket = url.socket(true);
		if (socket != null) {
			options.put("unixSocket", socket);
		}
		SslMode ssl = url.ssl();
		if (ssl != null) {
			options.put("sslMode", connectorSslMode(ssl));
		}
		return url.toDriverUrl(url.isR2dbc() ? url.scheme().text() : "r2dbc:mysql", socket != null, url.database(),
				options);
	}

	/**
	 * {@code jdbc:mysql://} (Connector/J, whose {@code sslMode} is r2dbc-mysql's) or
	 * {@code jdbc:mariadb://} (MariaDB Connector/J, which alone reaches a Unix socket without
	 * an extra library, as {@code localSocket}).
	 */
	@Override
	public String toJdbcUrl(UrlParts url) {
		Map<String, String> options = this.options.forJdbc(url.driverOptions(true));
		String socket = url.socket(true);
		if (socket != null && !this.mariadb) {
			throw ServerUrls.noJdbcOverSocket(url);
		}
		if (socket != null) {
			options.put("localSocket", socket);
		}
		SslMode ssl = url.ssl();
		if (ssl != null) {
			options.put("sslMode", this.mariadb ? mariadbJdbcSslMode(ssl) : connectorSslMode(ssl));
		}
		return ServerUrls.jdbcUrl(url, socket, options);
	}

	/** {@code r2dbc:mariadb://} is the r2dbc-mariadb driver, which reads R2DBC's own options. */
	private boolean isMariadbDriver(UrlParts url) {
		return this.mariadb && url.isR2dbc();
	}

	/** The value of r2dbc-mysql's and MySQL Connector/J's {@code sslMode}. */
	static String connectorSslMode(SslMode ssl) {
		return switch (ssl) {
			case DISABLE -> "DISABLED";
			case PREFER -> "PREFERRED";
			case REQUIRE -> "REQUIRED";
			case VERIFY_CA -> "VERIFY_CA";
			case VERIFY_FULL -> "VERIFY_IDENTITY";
		};
	}

	/**
	 * The value of MariaDB Connector/J's {@code sslMode}. That driver has no "prefer": it
	 * becomes {@code trust} (TLS without verification), which may refuse a server without TLS
	 * but never downgrades to plain text.
	 */
	static String mariadbJdbcSslMode(SslMode ssl) {
		return switch (ssl) {
			case DISABLE -> "disable";
			case PREFER, REQUIRE -> "trust";
			case VERIFY_CA, VERIFY_FULL -> ssl.toString();
		};
	}

	@Override
	public @Nullable String optionProblem(String name) {
		return this.options.problem(name, productName());
	}

	@Override
	public String toString() {
		return "MySQL/MariaDB";
	}

	/**
	 * r2dbc-mysql reads a cancelled result to its end anyway; a round trip (COM_PING) queued
	 * behind it answers once that is done. A statement still running is waited for, up to the
	 * caller's bound.
	 */
	@Override
	public Mono<Boolean> cleanAfterCancel(Connection physical) {
		return CleanAfterCancel.roundTrip(physical);
	}

}

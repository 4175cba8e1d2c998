package dev.databases.internal.backend;

import java.util.List;
import java.util.UUID;

import dev.databases.internal.parsing.SqlSyntax;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** MySQL and MariaDB through r2dbc-mysql, with its workarounds. */
final class MySqlBackend implements Backends.Named {

	@Override
	public List<String> dialects() {
		return List.of("mysql", "mariadb");
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
		return new MySqlPooledConnection.Factory(driver);
	}

	@Override
	public void releasing(io.r2dbc.spi.Connection raw, boolean answeredInFull) {
		MySqlPooledConnection pooled = MySqlPooledConnection.in(raw);
		if (pooled != null && answeredInFull) {
			pooled.releasingSettled();
		}
	}

	@Override
	public boolean canForceClose(io.r2dbc.spi.Connection physical) {
		return StalledConnection.canForceClose(physical);
	}

	@Override
	public Mono<Void> forceClose(io.r2dbc.spi.Connection physical) {
		return StalledConnection.forceClose(physical);
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

	@Override
	public String toString() {
		return "MySQL/MariaDB";
	}

}

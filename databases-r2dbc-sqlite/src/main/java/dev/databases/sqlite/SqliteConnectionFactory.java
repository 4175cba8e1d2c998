package dev.databases.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteException;
import reactor.core.publisher.Mono;

/**
 * Creates {@link SqliteConnection}s, each with a thread of its own. For an in-memory
 * configuration all connections of one factory share one database (SQLite's
 * {@code memdb} VFS under a name unique to the factory), so a pool works as with a
 * file; the database lives while at least one of those connections is open. Two
 * factories never share an in-memory database.
 *
 * @author databases
 * @since 0.1.0
 */
public final class SqliteConnectionFactory implements ConnectionFactory {

	private static final ConnectionFactoryMetadata METADATA = () -> "SQLite";

	private final SqliteConnectionConfiguration configuration;

	private final String memoryName = "/databases-r2dbc-sqlite-" + UUID.randomUUID();

	private final AtomicLong connections = new AtomicLong();

	private volatile boolean memdbUnavailable;

	/**
	 * Create a factory.
	 * @param configuration the configuration
	 */
	public SqliteConnectionFactory(SqliteConnectionConfiguration configuration) {
		if (configuration == null) {
			throw new IllegalArgumentException("'configuration' must not be null");
		}
		this.configuration = configuration;
	}

	/**
	 * Open a connection on a new thread named {@code sqlite-<n>}.
	 * @return a {@link Mono} that opens a connection when subscribed
	 */
	@Override
	public Mono<SqliteConnection> create() {
		return Mono.create((sink) -> {
			String database = this.configuration.describeDatabase();
			SqliteWorker worker = new SqliteWorker("sqlite-" + this.connections.incrementAndGet(),
					() -> SqliteExceptions.closed(database));
			AtomicBoolean cancelled = new AtomicBoolean();
			sink.onCancel(() -> cancelled.set(true));
			boolean accepted = worker.execute(() -> {
				if (cancelled.get()) {
					worker.shutdown();
					return;
				}
				SqliteConnection connection;
				try {
					connection = new SqliteConnection(worker, open(), this.configuration, database);
				}
				catch (Throwable ex) {
					worker.shutdown();
					sink.error(SqliteExceptions.translate(ex, null, new SqliteExceptions.Context(database,
							this.configuration.getBusyTimeout().toMillis(), 0), false));
					return;
				}
				if (cancelled.get()) {
					connection.closeNow();
					return;
				}
				sink.success(connection);
			});
			if (!accepted) {
				sink.error(SqliteExceptions.closed(database));
			}
		});
	}

	private SQLiteConnection open() throws SQLException {
		Properties properties = this.configuration.toSqliteConfig().toProperties();
		SQLiteConnection connection;
		if (this.configuration.isInMemory()) {
			connection = openMemory(properties);
		}
		else {
			connection = JDBC.createConnection(JDBC.PREFIX + this.configuration.getDatabase(), properties);
		}
		// SQLite's own auto-commit applies; this driver issues BEGIN and COMMIT itself,
		// and sqlite-jdbc must not add a BEGIN/COMMIT probe after every statement
		connection.getConnectionConfig().setAutoCommit(false);
		try {
			String journalMode = this.configuration.getJournalMode();
			if (journalMode != null && !this.configuration.isInMemory()) {
				applyJournalMode(connection, journalMode);
			}
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
		return connection;
	}

	/**
	 * Set the journal mode unless the file already has it. Switching needs every other
	 * connection out of the way, and SQLite reports a conflict at once instead of calling
	 * its busy handler, so connections opening a new file together retry here, as the
	 * busy handler would, until busy_timeout runs out.
	 */
	private void applyJournalMode(SQLiteConnection connection, String journalMode) throws SQLException {
		if (journalMode.equalsIgnoreCase(pragma(connection, "PRAGMA journal_mode"))) {
			return;
		}
		long deadline = System.nanoTime() + this.configuration.getBusyTimeout().toNanos();
		long pause = TimeUnit.MILLISECONDS.toNanos(1);
		for (;;) {
			try {
				pragma(connection, "PRAGMA journal_mode = " + journalMode);
				return;
			}
			catch (SQLiteException ex) {
				int code = ex.getResultCode().code & 0xFF;
				boolean busy = code == 5 || code == 6;
				if (!busy || System.nanoTime() + pause > deadline) {
					throw ex;
				}
				LockSupport.parkNanos(pause);
				pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(50));
			}
		}
	}

	private static String pragma(SQLiteConnection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
			return resultSet.next() ? resultSet.getString(1) : "";
		}
	}

	private SQLiteConnection openMemory(Properties properties) throws SQLException {
		if (!this.memdbUnavailable) {
			try {
				// a memdb name starting with "/" is shared by the process's connections,
				// with ordinary locking, so busy_timeout works as with a file
				return JDBC.createConnection(JDBC.PREFIX + "file:" + this.memoryName + "?vfs=memdb", properties);
			}
			catch (SQLException ex) {
				if (!String.valueOf(ex.getMessage()).contains("no such vfs")) {
					throw ex;
				}
				this.memdbUnavailable = true;
			}
		}
		return JDBC.createConnection(
				JDBC.PREFIX + "file:" + this.memoryName.substring(1) + "?mode=memory&cache=shared", properties);
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return METADATA;
	}

	/**
	 * Return the configuration.
	 * @return the configuration
	 */
	public SqliteConnectionConfiguration getConfiguration() {
		return this.configuration;
	}

	@Override
	public String toString() {
		return "SqliteConnectionFactory{" + this.configuration + "}";
	}

}

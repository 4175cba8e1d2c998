package dev.databases.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * Prepares the table over plain JDBC, the same way whatever system is measured, and keeps
 * one connection open for the whole trial (which also keeps an H2 in-memory database
 * alive).
 */
final class Fixture implements AutoCloseable {

	private static final String TABLE = Target.TABLE;

	private final Target target;

	private final Connection connection;

	Fixture(Target target) {
		this.target = target;
		try {
			this.connection = connect(target);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot reach " + target + " at " + target.jdbcUrl() + ": " + ex, ex);
		}
	}

	/**
	 * A plain JDBC connection; SQLite's with the settings the R2DBC driver uses (WAL,
	 * synchronous NORMAL) so that both do the same I/O.
	 */
	static Connection connect(Target target) throws SQLException {
		if (target.kind() == Target.Kind.SQLITE) {
			SQLiteConfig config = new SQLiteConfig();
			config.setJournalMode(SQLiteConfig.JournalMode.WAL);
			config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
			config.setBusyTimeout(5000);
			config.enforceForeignKeys(true);
			return DriverManager.getConnection(target.jdbcUrl(), config.toProperties());
		}
		Properties properties = new Properties();
		if (target.user() != null) {
			properties.setProperty("user", target.user());
		}
		if (target.password() != null) {
			properties.setProperty("password", target.password());
		}
		return DriverManager.getConnection(target.jdbcUrl(), properties);
	}

	/** Drop and create the table, then insert {@code rows} rows: ids 1..rows. */
	void create(int rows) {
		run("DROP TABLE IF EXISTS " + TABLE);
		run(this.target.createTable());
		if (rows > 0) {
			fill(rows);
		}
	}

	/** Empty the table and restart its ids, keeping the table (and the drivers' prepared statements). */
	void empty() {
		switch (this.target.kind()) {
			case POSTGRESQL -> run("TRUNCATE " + TABLE + " RESTART IDENTITY");
			case MARIADB -> run("TRUNCATE TABLE " + TABLE);
			case H2 -> run("TRUNCATE TABLE " + TABLE + " RESTART IDENTITY");
			case SQLITE -> {
				run("DELETE FROM " + TABLE);
				run("DELETE FROM sqlite_sequence WHERE name = '" + TABLE + "'");
			}
		}
	}

	private void fill(int rows) {
		try {
			this.connection.setAutoCommit(false);
			try (Statement statement = this.connection.createStatement()) {
				int chunk = 500;
				for (int from = 1; from <= rows; from += chunk) {
					StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE + " (text, completed) VALUES ");
					int to = Math.min(rows, from + chunk - 1);
					for (int id = from; id <= to; id++) {
						if (id > from) {
							sql.append(", ");
						}
						sql.append("('").append(Rows.text(id)).append("', ").append(Rows.completed(id) ? "TRUE" : "FALSE")
							.append(')');
					}
					statement.execute(sql.toString());
				}
			}
			this.connection.commit();
			this.connection.setAutoCommit(true);
			switch (this.target.kind()) {
				case POSTGRESQL -> run("VACUUM ANALYZE " + TABLE);
				case MARIADB -> run("ANALYZE TABLE " + TABLE);
				case SQLITE -> run("ANALYZE");
				case H2 -> run("ANALYZE");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot fill " + TABLE + " on " + this.target + ": " + ex, ex);
		}
	}

	/** The number of rows, and of rows whose text is {@code text}. */
	long count(@Nullable String whereText) {
		String sql = "SELECT COUNT(*) FROM " + TABLE + ((whereText != null) ? " WHERE text = '" + whereText + "'" : "");
		try (Statement statement = this.connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot count " + TABLE + " on " + this.target + ": " + ex, ex);
		}
	}

	long count() {
		return count(null);
	}

	/** The checksum of every row, computed as the systems compute it. */
	long checksum() {
		long sum = 0;
		try {
			// Streamed (PostgreSQL's driver streams only in a transaction), for the heap run's small heap.
			this.connection.setAutoCommit(false);
			try (Statement statement = this.connection.createStatement()) {
				statement.setFetchSize(1000);
				try (ResultSet rs = statement.executeQuery("SELECT id, text, completed FROM " + TABLE)) {
					while (rs.next()) {
						sum += Rows.hash(rs.getInt(1), rs.getString(2), rs.getBoolean(3));
					}
				}
			}
			this.connection.commit();
			this.connection.setAutoCommit(true);
			return sum;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read " + TABLE + " on " + this.target + ": " + ex, ex);
		}
	}

	private void run(String sql) {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot run '" + sql + "' on " + this.target + ": " + ex, ex);
		}
	}

	/** Drop the table and disconnect: the servers are shared with the tests, whose migrations expect an empty schema. */
	@Override
	public void close() {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + TABLE);
		}
		catch (SQLException ex) {
			// An H2 in-memory database may already be shut down by the system measured.
		}
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			// As above.
		}
	}

}

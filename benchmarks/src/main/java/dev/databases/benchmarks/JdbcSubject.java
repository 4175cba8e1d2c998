package dev.databases.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * JDBC as its users write it: HikariCP (plain sqlite-jdbc connections in a queue for
 * SQLite), prepared statements with {@code ?}, {@code addBatch} for W2, a fetch size for
 * streaming, and W5's workers as 16 threads: platform threads for {@code jdbc}, virtual
 * threads for {@code jdbc-vt} (everything else the same).
 */
final class JdbcSubject implements Subject {

	private static final String INSERT_SQL = "INSERT INTO " + Target.TABLE + " (text, completed) VALUES (?, ?)";

	private static final String SELECT_ONE_SQL = SELECT_ALL + " WHERE id = ?";

	private static final int FETCH_SIZE = 500;

	private final @Nullable HikariDataSource hikari;

	private final @Nullable BlockingQueue<Connection> sqlite;

	private final ExecutorService workers;

	JdbcSubject(Target target) {
		this(target, Executors.newFixedThreadPool(WORKERS));
	}

	/** @param workers what runs W5's {@value Subject#WORKERS} workers */
	JdbcSubject(Target target, ExecutorService workers) {
		this.workers = workers;
		if (target.kind() == Target.Kind.SQLITE) {
			this.hikari = null;
			this.sqlite = new ArrayBlockingQueue<>(POOL_SIZE);
			try {
				for (int i = 0; i < POOL_SIZE; i++) {
					this.sqlite.add(Fixture.connect(target));
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}
		else {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(target.jdbcUrl());
			config.setUsername(target.user());
			config.setPassword(target.password());
			config.setMaximumPoolSize(POOL_SIZE);
			config.setPoolName("bench");
			this.hikari = new HikariDataSource(config);
			this.sqlite = null;
		}
	}

	private Connection borrow() throws SQLException {
		if (this.hikari != null) {
			return this.hikari.getConnection();
		}
		try {
			return this.sqlite.take();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLException(ex);
		}
	}

	private void giveBack(Connection connection) throws SQLException {
		if (this.hikari != null) {
			connection.close();
		}
		else {
			if (!connection.getAutoCommit()) {
				connection.rollback();
				connection.setAutoCommit(true);
			}
			this.sqlite.add(connection);
		}
	}

	private static Rows.Note note(ResultSet rs) throws SQLException {
		return new Rows.Note(rs.getInt("id"), rs.getString("text"), rs.getBoolean("completed"));
	}

	@Override
	public void insertOne(String text, boolean completed) {
		try {
			Connection connection = borrow();
			try (PreparedStatement statement = connection.prepareStatement(INSERT_SQL)) {
				statement.setString(1, text);
				statement.setBoolean(2, completed);
				statement.executeUpdate();
			}
			finally {
				giveBack(connection);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public long insertMany(Rows.Batch batch) {
		try {
			Connection connection = borrow();
			try {
				connection.setAutoCommit(false);
				long rows = 0;
				try (PreparedStatement statement = connection.prepareStatement(INSERT_SQL)) {
					for (Rows.Note note : batch.notes) {
						statement.setString(1, note.text());
						statement.setBoolean(2, note.completed());
						statement.addBatch();
					}
					for (int count : statement.executeBatch()) {
						// Drivers that rewrite a batch report SUCCESS_NO_INFO (-2) per row.
						rows += (count == PreparedStatement.SUCCESS_NO_INFO) ? 1 : count;
					}
				}
				connection.commit();
				connection.setAutoCommit(true);
				return rows;
			}
			finally {
				giveBack(connection);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public long fetchAll() {
		try {
			Connection connection = borrow();
			List<Rows.Note> notes = new ArrayList<>();
			try (PreparedStatement statement = connection.prepareStatement(SELECT_ALL);
					ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					notes.add(note(rs));
				}
			}
			finally {
				giveBack(connection);
			}
			long sum = 0;
			for (Rows.Note note : notes) {
				sum += note.hash();
			}
			return sum;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public long fetchOne(int id) {
		try {
			Connection connection = borrow();
			try (PreparedStatement statement = connection.prepareStatement(SELECT_ONE_SQL)) {
				statement.setInt(1, id);
				try (ResultSet rs = statement.executeQuery()) {
					return rs.next() ? note(rs).hash() : 0;
				}
			}
			finally {
				giveBack(connection);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public long fetchOneConcurrently(int[] ids) {
		List<Future<Long>> futures = new ArrayList<>(WORKERS);
		for (int w = 0; w < WORKERS; w++) {
			int worker = w;
			futures.add(this.workers.submit(() -> {
				long sum = 0;
				for (int i = worker; i < ids.length; i += WORKERS) {
					sum += fetchOne(ids[i]);
				}
				return sum;
			}));
		}
		long sum = 0;
		try {
			for (Future<Long> future : futures) {
				sum += future.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		return sum;
	}

	@Override
	public long iterate(long[] checksum) {
		try {
			Connection connection = borrow();
			long count = 0;
			try {
				// PostgreSQL's driver streams only inside a transaction with a fetch size.
				connection.setAutoCommit(false);
				try (PreparedStatement statement = connection.prepareStatement(SELECT_ALL)) {
					statement.setFetchSize(FETCH_SIZE);
					try (ResultSet rs = statement.executeQuery()) {
						while (rs.next()) {
							checksum[0] += note(rs).hash();
							count++;
						}
					}
				}
				connection.commit();
				connection.setAutoCommit(true);
			}
			finally {
				giveBack(connection);
			}
			return count;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void nestedTransaction(String kept, String rolledBack) {
		try {
			Connection connection = borrow();
			try {
				connection.setAutoCommit(false);
				insert(connection, kept, false);
				Savepoint savepoint = connection.setSavepoint();
				insert(connection, rolledBack, true);
				connection.rollback(savepoint);
				connection.commit();
				connection.setAutoCommit(true);
			}
			finally {
				giveBack(connection);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void insert(Connection connection, String text, boolean completed) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(INSERT_SQL)) {
			statement.setString(1, text);
			statement.setBoolean(2, completed);
			statement.executeUpdate();
		}
	}

	@Override
	public void close() {
		this.workers.shutdownNow();
		if (this.hikari != null) {
			this.hikari.close();
		}
		if (this.sqlite != null) {
			for (Connection connection : this.sqlite) {
				try {
					connection.close();
				}
				catch (SQLException ex) {
					// closing anyway
				}
			}
		}
	}

}

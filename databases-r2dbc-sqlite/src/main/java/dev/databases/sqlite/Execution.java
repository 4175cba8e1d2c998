package dev.databases.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One run of a statement: every part of its script for every set of bindings, in order.
 * Runs in chunks, each holding the connection, so a large batch costs one hand-over per
 * chunk rather than one per row. A prepared statement is reused from one binding set to the
 * next unless a result still reads from it.
 *
 * @author databases
 */
final class Execution {

	private static final int CHUNK = 256;

	private final SqliteConnection connection;

	private final SqlScript script;

	private final List<Object[]> bindings;

	private final String @Nullable [] generatedColumns;

	private final int fetchSize;

	private final @Nullable PreparedStatement[] statements;

	private final int total;

	private final boolean readOnly;

	// confined to the connection's holder, read where the previous chunk completed
	private volatile int next;

	private volatile @Nullable RuntimeException failure;

	Execution(SqliteConnection connection, SqlScript script, List<Object[]> bindings,
			String @Nullable [] generatedColumns, int fetchSize) {
		this.connection = connection;
		this.script = script;
		this.bindings = bindings;
		this.generatedColumns = generatedColumns;
		this.fetchSize = fetchSize;
		this.statements = new PreparedStatement[script.parts().size()];
		this.total = script.parts().size() * bindings.size();
		this.readOnly = script.parts()
			.stream()
			.allMatch((part) -> part.verb() == SqlScript.Verb.SELECT || part.verb() == SqlScript.Verb.VALUES);
	}

	/**
	 * Return whether every part only reads, so that the worst a run can meet is a lock
	 * it would wait for: a write that gets {@code SQLITE_BUSY} may already have changed
	 * rows (a cache spill, a commit), a read has not.
	 * @return whether the script only reads
	 */
	boolean readOnly() {
		return this.readOnly;
	}

	boolean hasMore() {
		return this.next < this.total || this.failure != null;
	}

	/**
	 * Run the next parts, holding the connection.
	 * @param inline whether this runs on a caller's thread with SQLite's busy handler off:
	 * then a part that meets a lock is left for the connection thread, which waits
	 * @return the results, in order
	 * @throws SqliteWorker.Declined if the first part met a lock
	 */
	Chunk runChunk(boolean inline) {
		RuntimeException failure = this.failure;
		if (failure != null) {
			this.failure = null;
			throw failure;
		}
		Chunk results = new Chunk();
		int parts = this.script.parts().size();
		while (this.next < this.total && results.size() < CHUNK) {
			int index = this.next % parts;
			SqlScript.Part part = this.script.parts().get(index);
			try {
				results.add(run(index, part, this.bindings.get(this.next / parts)));
			}
			catch (SQLException | RuntimeException ex) {
				if (inline && SqliteExceptions.isBusy(ex)) {
					// nothing of this part ran: the connection thread runs it again, waiting
					if (results.isEmpty()) {
						throw new SqliteWorker.Declined(ex);
					}
					return results;
				}
				this.next = this.total;
				RuntimeException translated = this.connection.translate(ex, part.text());
				if (results.isEmpty()) {
					throw translated;
				}
				// deliver what already ran, then the error
				this.failure = translated;
				return results;
			}
			this.next++;
		}
		return results;
	}

	private SqliteResult run(int index, SqlScript.Part part, Object[] values) throws SQLException {
		this.connection.beforeStatement(part);
		PreparedStatement statement = this.statements[index];
		if (statement == null) {
			statement = prepare(part);
			this.statements[index] = statement;
		}
		else {
			statement.clearParameters();
		}
		int offset = this.script.offset(index);
		for (int local = 1; local <= part.parameterCount(); local++) {
			bind(statement, local, values[offset + local - 1]);
		}
		boolean rows;
		boolean success = false;
		try {
			rows = statement.execute();
			success = true;
		}
		finally {
			this.connection.afterStatement(part, success);
		}
		if (rows) {
			// the cursor owns the statement now; the next binding set prepares its own
			this.statements[index] = null;
			return SqliteResult.rows(this.connection.openCursor(statement, part.text(), this.fetchSize),
					part.verb().isDml());
		}
		return SqliteResult.updateCount(part.verb().isDml() ? this.connection.changes() : 0);
	}

	private PreparedStatement prepare(SqlScript.Part part) throws SQLException {
		String[] columns = this.generatedColumns;
		if (columns == null) {
			return this.connection.prepare(part.text());
		}
		String sql = part.returning(columns);
		try {
			return this.connection.prepare(sql);
		}
		catch (SQLException ex) {
			String message = String.valueOf(ex.getMessage());
			if (columns.length == 0 && !sql.equals(part.text()) && message.contains("no such column: rowid")) {
				// a WITHOUT ROWID table generates no key
				return this.connection.prepare(part.text());
			}
			throw ex;
		}
	}

	private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
		if (value == Codecs.UNSET) {
			// a number ?N skipped: SQLite binds NULL
			return;
		}
		if (value == Codecs.NULL) {
			statement.setNull(index, Types.NULL);
		}
		else if (value instanceof Long number) {
			statement.setLong(index, number);
		}
		else if (value instanceof Double number) {
			statement.setDouble(index, number);
		}
		else if (value instanceof String text) {
			statement.setString(index, text);
		}
		else if (value instanceof byte[] bytes) {
			statement.setBytes(index, bytes);
		}
		else {
			throw new IllegalStateException("Unexpected bound value of type " + value.getClass().getName());
		}
	}

	/**
	 * Results run together on the connection thread.
	 */
	static final class Chunk extends ArrayList<SqliteResult> {

		/**
		 * Close the cursors of results dropped before anyone saw them.
		 */
		void release() {
			forEach(SqliteResult::release);
		}

	}

	/**
	 * Close the prepared statements this run kept, holding the connection.
	 */
	void close() {
		for (int i = 0; i < this.statements.length; i++) {
			PreparedStatement statement = this.statements[i];
			this.statements[i] = null;
			if (statement != null) {
				try {
					statement.close();
				}
				catch (SQLException ex) {
					// closing the connection releases it all the same
				}
			}
		}
	}

}

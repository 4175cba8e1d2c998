package dev.databases.sqlite;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.test.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * Runs the R2DBC TCK ({@link TestKit}) against {@link SqliteConnectionFactory} with
 * {@code ?} markers bound by index, on a database file that a
 * {@link org.springframework.jdbc.core.JdbcTemplate} over sqlite-jdbc prepares.
 *
 * @author databases
 */
class SqliteTestKitTests implements SqliteTestKit<Integer> {

	private static SqliteTestKit.Database database;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new SqliteTestKit.Database();
	}

	@AfterAll
	static void deleteDatabase() throws Exception {
		database.delete();
	}

	@Override
	public ConnectionFactory getConnectionFactory() {
		return database.connectionFactory();
	}

	@Override
	public String getPlaceholder(int index) {
		return "?";
	}

	@Override
	public Integer getIdentifier(int index) {
		return index;
	}

	@Override
	public JdbcOperations getJdbcOperations() {
		return database.jdbcTemplate();
	}

}

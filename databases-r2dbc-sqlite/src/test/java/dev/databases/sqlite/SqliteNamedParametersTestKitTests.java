package dev.databases.sqlite;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.test.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * Runs the R2DBC TCK ({@link TestKit}) against {@link SqliteConnectionFactory} with
 * {@code :name} markers bound by name.
 *
 * @author databases
 */
class SqliteNamedParametersTestKitTests implements SqliteTestKit<String> {

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
		return ":p" + index;
	}

	@Override
	public String getIdentifier(int index) {
		return "p" + index;
	}

	@Override
	public JdbcOperations getJdbcOperations() {
		return database.jdbcTemplate();
	}

}

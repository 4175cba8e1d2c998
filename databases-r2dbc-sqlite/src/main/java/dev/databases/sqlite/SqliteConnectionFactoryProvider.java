package dev.databases.sqlite;

import java.time.Duration;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import io.r2dbc.spi.Option;

/**
 * The R2DBC {@link ConnectionFactoryProvider} for the driver {@code sqlite}, found by
 * {@code ConnectionFactories}:
 * <ul>
 * <li>{@code r2dbc:sqlite:///notes.db}: {@code notes.db} in the working directory</li>
 * <li>{@code r2dbc:sqlite:////var/data/notes.db}: an absolute path</li>
 * <li>{@code r2dbc:sqlite:///:memory:} (or no database): an in-memory database shared
 * by the connections of the factory</li>
 * </ul>
 * Options go in the query string ({@code ?busy_timeout=10s&foreign_keys=false}) or in
 * {@link ConnectionFactoryOptions}.
 *
 * @author databases
 * @since 0.1.0
 */
public final class SqliteConnectionFactoryProvider implements ConnectionFactoryProvider {

	/**
	 * The driver name.
	 */
	public static final String DRIVER = "sqlite";

	/**
	 * How long a statement waits for another connection's lock: a {@link Duration}, or
	 * milliseconds, {@code 5s}, {@code 500ms}, {@code PT5S}. Default 5 seconds.
	 */
	public static final Option<Duration> BUSY_TIMEOUT = Option.valueOf("busy_timeout");

	/**
	 * The journal mode of a database file: {@code wal} (the default), {@code delete},
	 * {@code truncate}, {@code persist}, {@code memory} or {@code off}.
	 */
	public static final Option<String> JOURNAL_MODE = Option.valueOf("journal_mode");

	/**
	 * Whether foreign keys are enforced; default {@code true}.
	 */
	public static final Option<Boolean> FOREIGN_KEYS = Option.valueOf("foreign_keys");

	/**
	 * Whether the database is opened read-only; default {@code false}.
	 */
	public static final Option<Boolean> READ_ONLY = Option.valueOf("read_only");

	/**
	 * How transactions begin: {@code deferred} (the default), {@code immediate} or
	 * {@code exclusive}. Also read from a {@code TransactionDefinition}.
	 */
	public static final Option<String> BEGIN_MODE = Option.valueOf("begin_mode");

	/**
	 * {@code PRAGMA synchronous}: {@code off}, {@code normal} (the default in WAL mode),
	 * {@code full} or {@code extra}.
	 */
	public static final Option<String> SYNCHRONOUS = Option.valueOf("synchronous");

	/**
	 * Create a connection factory.
	 * @param connectionFactoryOptions the options
	 * @return the connection factory
	 * @throws IllegalArgumentException when an option has an invalid value
	 */
	@Override
	public SqliteConnectionFactory create(ConnectionFactoryOptions connectionFactoryOptions) {
		if (connectionFactoryOptions == null) {
			throw new IllegalArgumentException("'connectionFactoryOptions' must not be null");
		}
		return new SqliteConnectionFactory(SqliteConnectionConfiguration.from(connectionFactoryOptions));
	}

	@Override
	public boolean supports(ConnectionFactoryOptions connectionFactoryOptions) {
		if (connectionFactoryOptions == null) {
			throw new IllegalArgumentException("'connectionFactoryOptions' must not be null");
		}
		Object driver = connectionFactoryOptions.getValue(ConnectionFactoryOptions.DRIVER);
		return DRIVER.equals(driver);
	}

	@Override
	public String getDriver() {
		return DRIVER;
	}

}

package dev.databases.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * The immutable configuration of a {@link SqliteConnectionFactory}: the database and the
 * settings every connection applies when it opens. Without a database (or with
 * {@code :memory:}) connections share one in-memory database per factory.
 *
 * <pre class="code">
 * SqliteConnectionConfiguration configuration = SqliteConnectionConfiguration.builder()
 *     .database("notes.db")
 *     .busyTimeout(Duration.ofSeconds(10))
 *     .build();
 * </pre>
 *
 * @author databases
 * @since 0.1.0
 */
public final class SqliteConnectionConfiguration {

	/**
	 * The default busy timeout: how long a statement waits for another connection's lock.
	 */
	public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

	private static final Set<String> JOURNAL_MODES = Set.of("DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF");

	private static final Set<String> SYNCHRONOUS_MODES = Set.of("OFF", "NORMAL", "FULL", "EXTRA");

	/**
	 * Pragmas that may be passed through as options; the rest of sqlite-jdbc's settings
	 * either conflict with the driver (transaction and date handling) or have their own
	 * option.
	 */
	private static final Set<String> PASS_THROUGH = Set.of("cache_size", "mmap_size", "temp_store", "page_size",
			"wal_autocheckpoint", "journal_size_limit", "case_sensitive_like", "recursive_triggers",
			"automatic_index", "cache_spill", "encoding", "locking_mode", "secure_delete", "defer_foreign_keys");

	private final @Nullable String database;

	private final Duration busyTimeout;

	private final @Nullable String journalMode;

	private final boolean foreignKeys;

	private final boolean readOnly;

	private final BeginMode beginMode;

	private final @Nullable String synchronous;

	private final @Nullable Duration statementTimeout;

	private final Map<String, String> pragmas;

	private SqliteConnectionConfiguration(Builder builder) {
		this.database = isMemory(builder.database) ? null : builder.database;
		this.busyTimeout = builder.busyTimeout;
		this.journalMode = builder.journalMode;
		this.foreignKeys = builder.foreignKeys;
		this.readOnly = builder.readOnly;
		this.beginMode = builder.beginMode;
		this.synchronous = builder.synchronous;
		this.statementTimeout = builder.statementTimeout;
		this.pragmas = Collections.unmodifiableMap(new LinkedHashMap<>(builder.pragmas));
		if (this.readOnly && this.database == null) {
			throw new IllegalArgumentException("Option 'read_only' needs a database file; an in-memory database"
					+ " opened read-only would always be empty");
		}
	}

	private static boolean isMemory(@Nullable String database) {
		return database == null || database.isEmpty() || ":memory:".equals(database);
	}

	/**
	 * Return a builder for an in-memory database until
	 * {@link Builder#database(String)} names a file.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Read a configuration from R2DBC options: {@code database} and the options
	 * {@code busy_timeout} (or {@code lockWaitTimeout}), {@code journal_mode},
	 * {@code foreign_keys}, {@code read_only}, {@code begin_mode}, {@code synchronous},
	 * {@code statementTimeout} and a few pragmas such as {@code cache_size}. Options
	 * this driver does not know, such as a pool's, are ignored.
	 * @param options the options
	 * @return the configuration
	 * @throws IllegalArgumentException when a value is not valid, naming the option
	 */
	static SqliteConnectionConfiguration from(ConnectionFactoryOptions options) {
		Builder builder = builder();
		Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
		if (database != null) {
			builder.database(database.toString());
		}
		Object busyTimeout = value(options, SqliteConnectionFactoryProvider.BUSY_TIMEOUT);
		if (busyTimeout == null) {
			busyTimeout = value(options, ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT);
		}
		if (busyTimeout != null) {
			builder.busyTimeout(duration("busy_timeout", busyTimeout));
		}
		Object journalMode = value(options, SqliteConnectionFactoryProvider.JOURNAL_MODE);
		if (journalMode != null) {
			builder.journalMode(journalMode.toString());
		}
		Object foreignKeys = value(options, SqliteConnectionFactoryProvider.FOREIGN_KEYS);
		if (foreignKeys != null) {
			builder.foreignKeys(bool("foreign_keys", foreignKeys));
		}
		Object readOnly = value(options, SqliteConnectionFactoryProvider.READ_ONLY);
		if (readOnly != null) {
			builder.readOnly(bool("read_only", readOnly));
		}
		Object beginMode = value(options, SqliteConnectionFactoryProvider.BEGIN_MODE);
		if (beginMode != null) {
			builder.beginMode(BeginMode.parse(beginMode));
		}
		Object synchronous = value(options, SqliteConnectionFactoryProvider.SYNCHRONOUS);
		if (synchronous != null) {
			builder.synchronous(synchronous.toString());
		}
		Object statementTimeout = value(options, ConnectionFactoryOptions.STATEMENT_TIMEOUT);
		if (statementTimeout != null) {
			builder.statementTimeout(duration("statementTimeout", statementTimeout));
		}
		for (String pragma : PASS_THROUGH) {
			Object value = value(options, Option.valueOf(pragma));
			if (value != null) {
				builder.pragma(pragma, value.toString());
			}
		}
		return builder.build();
	}

	private static @Nullable Object value(ConnectionFactoryOptions options, Option<?> option) {
		return options.hasOption(option) ? options.getValue(option) : null;
	}

	static Duration duration(String option, Object value) {
		if (value instanceof Duration duration) {
			return duration;
		}
		if (value instanceof Number number) {
			// SQLite counts busy_timeout in milliseconds
			return Duration.ofMillis(number.longValue());
		}
		String text = value.toString().trim().toLowerCase(Locale.ROOT);
		try {
			if (text.matches("\\d+")) {
				return Duration.ofMillis(Long.parseLong(text));
			}
			if (text.matches("\\d+ms")) {
				return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
			}
			if (text.matches("\\d+s")) {
				return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
			}
			if (text.matches("\\d+m")) {
				return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
			}
			return Duration.parse(text.toUpperCase(Locale.ROOT));
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			throw new IllegalArgumentException("Option '" + option + "' has the invalid value '" + value
					+ "'; use milliseconds (5000), 500ms, 5s, 1m or ISO-8601 (PT5S)", ex);
		}
	}

	static boolean bool(String option, Object value) {
		if (value instanceof Boolean bool) {
			return bool;
		}
		return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
			case "true", "on", "yes", "1" -> true;
			case "false", "off", "no", "0" -> false;
			default -> throw new IllegalArgumentException(
					"Option '" + option + "' has the invalid value '" + value + "'; use true or false");
		};
	}

	/**
	 * Return the database file as configured, relative to the working directory unless
	 * absolute.
	 * @return the file, or {@code null} for an in-memory database
	 */
	public @Nullable String getDatabase() {
		return this.database;
	}

	/**
	 * Return whether connections share one in-memory database of their factory.
	 * @return whether the database is in memory
	 */
	public boolean isInMemory() {
		return this.database == null;
	}

	/**
	 * Return how long a statement waits for a lock another connection holds before it
	 * fails with {@link io.r2dbc.spi.R2dbcTransientResourceException}.
	 * @return the busy timeout, 5 seconds by default
	 */
	public Duration getBusyTimeout() {
		return this.busyTimeout;
	}

	/**
	 * Return the journal mode connections set: as configured, else {@code WAL} for a
	 * file and none for memory or a read-only connection.
	 * @return the journal mode, or {@code null} to leave the database's
	 */
	public @Nullable String getJournalMode() {
		if (this.journalMode != null) {
			return this.journalMode;
		}
		return (this.database == null || this.readOnly) ? null : "WAL";
	}

	/**
	 * Return whether foreign key constraints are enforced.
	 * @return whether {@code PRAGMA foreign_keys} is on, {@code true} by default
	 */
	public boolean isForeignKeys() {
		return this.foreignKeys;
	}

	/**
	 * Return whether connections open the database read-only.
	 * @return whether the database is opened read-only
	 */
	public boolean isReadOnly() {
		return this.readOnly;
	}

	/**
	 * Return how {@code beginTransaction()} begins.
	 * @return the begin mode, {@link BeginMode#DEFERRED} by default
	 */
	public BeginMode getBeginMode() {
		return this.beginMode;
	}

	/**
	 * Return the {@code synchronous} setting: as configured, else {@code NORMAL} in WAL
	 * mode (safe against corruption, one fsync per checkpoint rather than per commit).
	 * @return the setting, or {@code null} for SQLite's default
	 */
	public @Nullable String getSynchronous() {
		if (this.synchronous != null) {
			return this.synchronous;
		}
		return "WAL".equals(getJournalMode()) ? "NORMAL" : null;
	}

	/**
	 * Return the statement timeout connections start with.
	 * @return the timeout, or {@code null} for none
	 */
	public @Nullable Duration getStatementTimeout() {
		return this.statementTimeout;
	}

	/**
	 * Return further pragmas connections set when they open.
	 * @return the pragmas by name
	 */
	public Map<String, String> getPragmas() {
		return this.pragmas;
	}

	/**
	 * Describe the database for messages: its absolute file name.
	 * @return the description
	 */
	String describeDatabase() {
		return (this.database != null) ? Path.of(this.database).toAbsolutePath().normalize().toString()
				: "(in memory)";
	}

	/**
	 * Build sqlite-jdbc's configuration.
	 * @return the configuration
	 */
	SQLiteConfig toSqliteConfig() {
		SQLiteConfig config = new SQLiteConfig();
		config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, this.busyTimeout.toMillis()));
		config.enforceForeignKeys(this.foreignKeys);
		// generated keys come from RETURNING; sqlite-jdbc would run an extra query per INSERT
		config.setGetGeneratedKeys(false);
		if (this.readOnly) {
			config.setReadOnly(true);
		}
		// the journal mode is set by the factory after opening, see SqliteConnectionFactory
		String synchronous = getSynchronous();
		if (synchronous != null) {
			config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
		}
		for (SQLiteConfig.Pragma pragma : SQLiteConfig.Pragma.values()) {
			String value = this.pragmas.get(pragma.pragmaName);
			if (value != null) {
				config.setPragma(pragma, value);
			}
		}
		return config;
	}

	@Override
	public String toString() {
		return "SqliteConnectionConfiguration{database=" + describeDatabase() + ", busyTimeout=" + this.busyTimeout
				+ ", journalMode=" + getJournalMode() + ", foreignKeys=" + this.foreignKeys + ", readOnly="
				+ this.readOnly + ", beginMode=" + this.beginMode + "}";
	}

	/**
	 * How a transaction begins: {@code DEFERRED} takes locks when it first reads or
	 * writes, {@code IMMEDIATE} takes the write lock at once, {@code EXCLUSIVE} also
	 * keeps readers out (outside WAL mode).
	 *
	 * @since 0.1.0
	 */
	public enum BeginMode {

		/**
		 * {@code BEGIN DEFERRED}: locks are taken when first needed.
		 */
		DEFERRED,

		/**
		 * {@code BEGIN IMMEDIATE}: the write lock is taken at once.
		 */
		IMMEDIATE,

		/**
		 * {@code BEGIN EXCLUSIVE}: as immediate, and no reader may start outside WAL mode.
		 */
		EXCLUSIVE;

		static BeginMode parse(Object value) {
			if (value instanceof BeginMode mode) {
				return mode;
			}
			try {
				return valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Option 'begin_mode' has the invalid value '" + value
						+ "'; use deferred, immediate or exclusive", ex);
			}
		}

	}

	/**
	 * A builder of {@link SqliteConnectionConfiguration}.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private @Nullable String database;

		private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;

		private @Nullable String journalMode;

		private boolean foreignKeys = true;

		private boolean readOnly;

		private BeginMode beginMode = BeginMode.DEFERRED;

		private @Nullable String synchronous;

		private @Nullable Duration statementTimeout;

		private final Map<String, String> pragmas = new LinkedHashMap<>();

		private Builder() {
		}

		/**
		 * Set the database file, relative to the working directory unless absolute;
		 * {@code null}, empty or {@code :memory:} mean a shared in-memory database.
		 * @param database the file
		 * @return this builder
		 */
		public Builder database(@Nullable String database) {
			this.database = database;
			return this;
		}

		/**
		 * Set how long a statement waits for another connection's lock.
		 * @param busyTimeout the timeout, zero to fail at once
		 * @return this builder
		 */
		public Builder busyTimeout(Duration busyTimeout) {
			if (busyTimeout == null || busyTimeout.isNegative()) {
				throw new IllegalArgumentException("Option 'busy_timeout' must be zero or positive");
			}
			this.busyTimeout = busyTimeout;
			return this;
		}

		/**
		 * Set the journal mode of a database file.
		 * @param journalMode one of {@code DELETE}, {@code TRUNCATE}, {@code PERSIST},
		 * {@code MEMORY}, {@code WAL} (the default) and {@code OFF}
		 * @return this builder
		 */
		public Builder journalMode(String journalMode) {
			this.journalMode = choice("journal_mode", journalMode, JOURNAL_MODES);
			return this;
		}

		/**
		 * Set whether foreign key constraints are enforced.
		 * @param foreignKeys {@code true} (the default) to enforce them
		 * @return this builder
		 */
		public Builder foreignKeys(boolean foreignKeys) {
			this.foreignKeys = foreignKeys;
			return this;
		}

		/**
		 * Set whether connections open the database read-only.
		 * @param readOnly whether to open read-only
		 * @return this builder
		 */
		public Builder readOnly(boolean readOnly) {
			this.readOnly = readOnly;
			return this;
		}

		/**
		 * Set how {@code beginTransaction()} begins.
		 * @param beginMode the mode, {@link BeginMode#DEFERRED} by default
		 * @return this builder
		 */
		public Builder beginMode(BeginMode beginMode) {
			if (beginMode == null) {
				throw new IllegalArgumentException("Option 'begin_mode' must not be null");
			}
			this.beginMode = beginMode;
			return this;
		}

		/**
		 * Set {@code PRAGMA synchronous}.
		 * @param synchronous one of {@code OFF}, {@code NORMAL}, {@code FULL},
		 * {@code EXTRA}
		 * @return this builder
		 */
		public Builder synchronous(String synchronous) {
			this.synchronous = choice("synchronous", synchronous, SYNCHRONOUS_MODES);
			return this;
		}

		/**
		 * Set the statement timeout connections start with.
		 * @param statementTimeout the timeout, {@code null} or zero for none
		 * @return this builder
		 */
		public Builder statementTimeout(@Nullable Duration statementTimeout) {
			if (statementTimeout != null && statementTimeout.isNegative()) {
				throw new IllegalArgumentException("Option 'statementTimeout' must not be negative");
			}
			this.statementTimeout = statementTimeout;
			return this;
		}

		/**
		 * Set a further pragma when connections open.
		 * @param name one of {@code cache_size}, {@code mmap_size}, {@code temp_store},
		 * {@code page_size}, {@code wal_autocheckpoint}, {@code journal_size_limit},
		 * {@code case_sensitive_like}, {@code recursive_triggers},
		 * {@code automatic_index}, {@code cache_spill}, {@code encoding},
		 * {@code locking_mode}, {@code secure_delete} and {@code defer_foreign_keys}
		 * @param value the value
		 * @return this builder
		 */
		public Builder pragma(String name, String value) {
			if (name == null || !PASS_THROUGH.contains(name.toLowerCase(Locale.ROOT))) {
				throw new IllegalArgumentException(
						"Pragma '" + name + "' cannot be set here; the pragmas accepted are " + PASS_THROUGH);
			}
			if (value == null) {
				throw new IllegalArgumentException("Pragma '" + name + "' must have a value");
			}
			this.pragmas.put(name.toLowerCase(Locale.ROOT), value);
			return this;
		}

		/**
		 * Build the configuration.
		 * @return the configuration
		 */
		public SqliteConnectionConfiguration build() {
			return new SqliteConnectionConfiguration(this);
		}

		private static String choice(String option, @Nullable String value, Set<String> choices) {
			String normalized = (value != null) ? value.trim().toUpperCase(Locale.ROOT) : "";
			if (!choices.contains(normalized)) {
				throw new IllegalArgumentException("Option '" + option + "' has the invalid value '" + value
						+ "'; use one of " + new TreeSet<>(choices));
			}
			return normalized;
		}

	}

}

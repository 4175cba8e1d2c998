package dev.databases.boot;

import java.nio.charset.Charset;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration of the {@link dev.databases.Database} bean, under {@code databases.*}.
 * Every value left unset keeps what the URL says, and then the library's default. A key
 * under {@code databases.*} that none of these names (a typo such as
 * {@code databases.pool.max-sise}) fails the startup, and the report names the closest known
 * properties; the keys of {@code databases.options} are the driver's and are checked when
 * the Database is built.
 *
 * @param url Database URL, such as postgresql://user:password@localhost:5432/example,
 * mysql://..., mariadb://..., sqlite:///relative.db or h2:mem:///name. Options may follow
 * in the query string. When unset, spring.r2dbc.url or an R2dbcConnectionDetails bean
 * (Testcontainers, Docker Compose) is used.
 * @param forceRollback Whether to use one connection in one outer transaction for the
 * Database's life and roll it all back on disconnect. For tests.
 * @param pool Connection pool settings.
 * @param ssl TLS settings.
 * @param options Further options, as in the URL's query: the library's (application_name,
 * statement_cache_size, tcp_keepalive, translated for the driver), the driver's own, or
 * {@code driver.<name>} passed unchecked; an unknown name fails at startup naming the closest ones.
 * @param migrations Flyway migrations run before the database connects.
 * @param transactions Transaction settings.
 * @param replicas Read replicas of the database: reads outside transactions and
 * read-only transactions go to them in turn, everything else to the database at url. Their
 * lag limit and retry interval are the options max_replica_lag and replica_retry_interval
 * (databases.options.*).
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = "databases", ignoreUnknownFields = false)
public record DatabaseProperties(@Nullable String url, @DefaultValue("false") boolean forceRollback,
		@DefaultValue Pool pool, @DefaultValue Ssl ssl, @DefaultValue Map<String, String> options,
		@DefaultValue Migrations migrations, @DefaultValue Transactions transactions,
		@DefaultValue List<Replica> replicas) {

	/**
	 * Bind the properties.
	 * @param url the URL, or {@code null}
	 * @param forceRollback whether to roll everything back
	 * @param pool the pool settings
	 * @param ssl the TLS settings
	 * @param options the driver options, kept in their order
	 * @param migrations the migration settings
	 * @param transactions the transaction settings
	 * @param replicas the read replicas, in order
	 */
	public DatabaseProperties {
		options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
		replicas = List.copyOf(replicas);
	}


	/**
	 * Connection pool settings; each maps onto the URL option of the same name.
	 *
	 * @param minSize Number of connections kept open, also when idle (min_size; default
	 * 1).
	 * @param maxSize Maximum number of connections (max_size; default 10).
	 * @param maxIdleTime How long a connection may stay idle before it is closed
	 * (max_idle_time; default 30m).
	 * @param maxLifeTime How long a connection may live before it is replaced
	 * (max_life_time; default 30m).
	 * @param acquireTimeout How long a caller waits for a free connection before it gets an
	 * AcquireTimeoutException (acquire_timeout; default 30s).
	 * @param connectTimeout How long opening a connection may take (connect_timeout;
	 * default 10s).
	 * @param statementTimeout How long a statement may run; 0 means no limit
	 * (statement_timeout; default none).
	 * @param disconnectTimeout How long disconnecting waits for work in flight before it
	 * ends that work (disconnect_timeout; default 10s).
	 * @param leakDetectionThreshold How long a connection may be held, by the Database's
	 * own work or by Spring's DatabaseClient, R2dbcEntityTemplate or transaction manager,
	 * before a warning naming the caller and showing its stack is logged (as HikariCP's
	 * leakDetectionThreshold). Unset or 0 switches the check off. Not applied to the one
	 * connection a force-rollback Database holds for its life.
	 * @since 0.1.0
	 */
	public record Pool(@Nullable Integer minSize, @Nullable Integer maxSize, @Nullable Duration maxIdleTime,
			@Nullable Duration maxLifeTime, @Nullable Duration acquireTimeout, @Nullable Duration connectTimeout,
			@Nullable Duration statementTimeout, @Nullable Duration disconnectTimeout,
			@Nullable Duration leakDetectionThreshold) {

	}

	/**
	 * TLS settings; they replace the URL's {@code ssl} option.
	 *
	 * @param enabled Whether to use TLS. true means mode require unless a mode or bundle
	 * says more; false means disable. Unset keeps the URL's ssl option.
	 * @param mode TLS mode: disable, prefer, require, verify-ca or verify-full (only
	 * PostgreSQL and MySQL/MariaDB accept the last three).
	 * @param bundle Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) whose trusted
	 * certificates, and client certificate and key if any, are given to the driver. With a
	 * bundle and no mode, the mode is verify-full.
	 * @since 0.1.0
	 */
	public record Ssl(@Nullable Boolean enabled, @Nullable String mode, @Nullable String bundle) {

	}

	/**
	 * Flyway migrations, run through the URL's JDBC form before the database connects. Each
	 * setting left unset here falls back to the {@code spring.flyway.*} property of the same
	 * name, as Spring Boot's own Flyway support reads it, and then to Flyway's default.
	 *
	 * @param enabled Whether to run Flyway migrations when Flyway is on the classpath
	 * (default true; spring.flyway.enabled=false also switches them off).
	 * @param locations Locations of the migration scripts, as Flyway reads them (default
	 * classpath:db/migration). {vendor} is replaced by the database's vendor as Spring Boot
	 * names it from the JDBC URL: postgresql, mysql, mariadb, h2 or sqlite.
	 * @param failOnMissingLocations Whether to fail when a location does not exist.
	 * @param table Name of Flyway's schema history table (Flyway's default
	 * flyway_schema_history).
	 * @param schemas Schemas Flyway manages; the first holds the history table.
	 * @param defaultSchema Schema the migrations run in and the history table lives in.
	 * @param createSchemas Whether Flyway creates the schemas it manages when missing.
	 * @param baselineOnMigrate Whether to baseline a non-empty schema that has no history
	 * table yet, instead of failing.
	 * @param baselineVersion Version the baseline is tagged with; migrations up to it are
	 * skipped.
	 * @param baselineDescription Description of the baseline entry.
	 * @param validateOnMigrate Whether to validate the applied migrations before migrating.
	 * @param validateMigrationNaming Whether to fail on scripts whose names Flyway does not
	 * understand, instead of ignoring them.
	 * @param cleanDisabled Whether Flyway's clean is disabled (Flyway's default true).
	 * @param outOfOrder Whether migrations older than the latest applied one may still run.
	 * @param target Version to migrate up to, or latest, current or next.
	 * @param placeholders Placeholders replaced in the scripts, written ${name} there.
	 * @param placeholderReplacement Whether placeholders are replaced.
	 * @param placeholderPrefix Prefix of a placeholder (default ${).
	 * @param placeholderSuffix Suffix of a placeholder (default }).
	 * @param encoding Encoding of the SQL scripts (default UTF-8).
	 * @param connectRetries How many times Flyway retries to connect before it fails.
	 * @param connectRetriesInterval Longest wait between two connection attempts (seconds
	 * when no unit is given, as in Spring Boot).
	 * @param initSqls SQL statements run on each of Flyway's connections when it opens.
	 * @param installedBy User name recorded in the history table as having applied the
	 * migrations (default: the connection's user).
	 * @param sqlMigrationPrefix File name prefix of versioned SQL migrations (default V).
	 * @param sqlMigrationSuffixes File name suffixes of SQL migrations (default .sql).
	 * @since 0.1.0
	 */
	public record Migrations(@Nullable Boolean enabled, @Nullable List<String> locations,
			@Nullable Boolean failOnMissingLocations, @Nullable String table, @Nullable List<String> schemas,
			@Nullable String defaultSchema, @Nullable Boolean createSchemas, @Nullable Boolean baselineOnMigrate,
			@Nullable String baselineVersion, @Nullable String baselineDescription,
			@Nullable Boolean validateOnMigrate, @Nullable Boolean validateMigrationNaming,
			@Nullable Boolean cleanDisabled, @Nullable Boolean outOfOrder, @Nullable String target,
			@Nullable Map<String, String> placeholders, @Nullable Boolean placeholderReplacement,
			@Nullable String placeholderPrefix, @Nullable String placeholderSuffix, @Nullable Charset encoding,
			@Nullable Integer connectRetries, @DurationUnit(ChronoUnit.SECONDS) @Nullable Duration connectRetriesInterval,
			@Nullable List<String> initSqls, @Nullable String installedBy, @Nullable String sqlMigrationPrefix,
			@Nullable List<String> sqlMigrationSuffixes) {

		/** Where the scripts are when no location is configured. */
		public static final String DEFAULT_LOCATION = "classpath:db/migration";

		/**
		 * Whether the migrations run: this setting, else the fallback's, else {@code true}.
		 * @return whether to migrate
		 */
		public boolean isEnabled() {
			return !Boolean.FALSE.equals(this.enabled);
		}

		/**
		 * The locations, or {@link #DEFAULT_LOCATION} when none is configured.
		 * @return the locations
		 */
		public List<String> locationsOrDefault() {
			return (this.locations != null && !this.locations.isEmpty()) ? this.locations : List.of(DEFAULT_LOCATION);
		}

		/**
		 * These settings, with every unset one taken from another set, such as
		 * {@code spring.flyway.*}.
		 * @param fallback the settings used where these are unset
		 * @return the combined settings
		 */
		public Migrations orElse(Migrations fallback) {
			return new Migrations(or(this.enabled, fallback.enabled), or(this.locations, fallback.locations),
					or(this.failOnMissingLocations, fallback.failOnMissingLocations), or(this.table, fallback.table),
					or(this.schemas, fallback.schemas), or(this.defaultSchema, fallback.defaultSchema),
					or(this.createSchemas, fallback.createSchemas),
					or(this.baselineOnMigrate, fallback.baselineOnMigrate),
					or(this.baselineVersion, fallback.baselineVersion),
					or(this.baselineDescription, fallback.baselineDescription),
					or(this.validateOnMigrate, fallback.validateOnMigrate),
					or(this.validateMigrationNaming, fallback.validateMigrationNaming),
					or(this.cleanDisabled, fallback.cleanDisabled), or(this.outOfOrder, fallback.outOfOrder),
					or(this.target, fallback.target), or(this.placeholders, fallback.placeholders),
					or(this.placeholderReplacement, fallback.placeholderReplacement),
					or(this.placeholderPrefix, fallback.placeholderPrefix),
					or(this.placeholderSuffix, fallback.placeholderSuffix), or(this.encoding, fallback.encoding),
					or(this.connectRetries, fallback.connectRetries),
					or(this.connectRetriesInterval, fallback.connectRetriesInterval),
					or(this.initSqls, fallback.initSqls), or(this.installedBy, fallback.installedBy),
					or(this.sqlMigrationPrefix, fallback.sqlMigrationPrefix),
					or(this.sqlMigrationSuffixes, fallback.sqlMigrationSuffixes));
		}

		private static <T> @Nullable T or(@Nullable T value, @Nullable T fallback) {
			return (value != null) ? value : fallback;
		}

	}

	/**
	 * A read replica: a server that replicates the database at {@code databases.url}, such as
	 * a PostgreSQL hot standby or a MariaDB/MySQL replica.
	 *
	 * @param url URL of the replica, of the same kind of database as databases.url. It has
	 * the options of databases.url and databases.options except those its own query string
	 * gives.
	 * @param pool Connection pool settings of this replica; each unset one keeps the
	 * replica URL's option, then databases.pool's. leak-detection-threshold is
	 * databases.pool's for every server.
	 * @since 0.1.0
	 */
	public record Replica(@Nullable String url, @DefaultValue Pool pool) {

	}

	/**
	 * Transaction settings.
	 *
	 * @param maxAttempts How many times a transaction begun without options
	 * ({@code db.transaction(work)}) may run when the database ends it with a serialization
	 * failure or a deadlock: 1 (the default) never retries; 3 runs it up to twice again,
	 * with a jittered backoff. Counted by the metric databases.transactions.retries.
	 * @since 0.1.0
	 */
	public record Transactions(@Nullable Integer maxAttempts) {

	}

}

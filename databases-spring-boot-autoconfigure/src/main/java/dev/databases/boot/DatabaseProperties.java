package dev.databases.boot;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 * @param options Options passed to the driver as they are, such as application_name.
 * @param migrations Flyway migrations run before the database connects.
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = "databases", ignoreUnknownFields = false)
public record DatabaseProperties(@Nullable String url, @DefaultValue("false") boolean forceRollback,
		@DefaultValue Pool pool, @DefaultValue Ssl ssl, @DefaultValue Map<String, String> options,
		@DefaultValue Migrations migrations) {

	/**
	 * Bind the properties.
	 * @param url the URL, or {@code null}
	 * @param forceRollback whether to roll everything back
	 * @param pool the pool settings
	 * @param ssl the TLS settings
	 * @param options the driver options, kept in their order
	 * @param migrations the migration settings
	 */
	public DatabaseProperties {
		options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
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
	 * Flyway migrations, run through the URL's JDBC form before the database connects.
	 *
	 * @param enabled Whether to run Flyway migrations when Flyway is on the classpath.
	 * @param locations Locations of the migration scripts, as Flyway reads them.
	 * @since 0.1.0
	 */
	public record Migrations(@DefaultValue("true") boolean enabled,
			@DefaultValue("classpath:db/migration") List<String> locations) {

	}

}

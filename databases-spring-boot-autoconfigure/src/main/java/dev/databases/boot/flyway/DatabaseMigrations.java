package dev.databases.boot.flyway;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.databases.ConnectionException;
import dev.databases.Database;
import dev.databases.DatabaseURL;
import dev.databases.boot.DatabaseConfigurationException;
import dev.databases.boot.DatabaseProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.ClassUtils;

/**
 * Runs Flyway against a {@link Database}'s URL, through its JDBC form
 * ({@link DatabaseURL#toJdbcUrl()}) with its user name and password, when the bean is
 * initialized: before the database connects, and before any bean marked
 * {@code @DependsOnDatabaseInitialization}.
 * <p>
 * Flyway speaks JDBC, so the application needs the JDBC driver beside the R2DBC one:
 * {@code org.postgresql:postgresql} with {@code org.flywaydb:flyway-database-postgresql};
 * {@code org.mariadb.jdbc:mariadb-java-client} or {@code com.mysql:mysql-connector-j} with
 * {@code org.flywaydb:flyway-mysql}; {@code com.h2database:h2}; {@code org.xerial:sqlite-jdbc}.
 * For a {@code mysql://} URL without MySQL Connector/J, MariaDB Connector/J is used. An H2
 * in-memory database is migrated in place and outlives the JDBC connection; an in-memory
 * SQLite database cannot be migrated, since each connection has its own.
 *
 * @since 0.1.0
 */
public final class DatabaseMigrations implements InitializingBean, BeanClassLoaderAware {

	/** Replaced in locations by the vendor, as in Spring Boot's Flyway support. */
	static final String VENDOR_PLACEHOLDER = "{vendor}";

	private static final Log logger = LogFactory.getLog(DatabaseMigrations.class);

	/** Options that carry TLS files for the R2DBC drivers; JDBC drivers get their own. */
	private static final Set<String> R2DBC_TLS_OPTIONS = Set.of("sslRootCert", "sslCa", "sslCert", "sslKey");

	private final Database database;

	private final DatabaseProperties.Migrations settings;

	private final Function<DatabaseURL, Map<String, String>> jdbcProperties;

	private final List<DatabaseMigrationsCustomizer> customizers;

	private volatile @Nullable MigrateResult result;

	private ClassLoader classLoader = DatabaseMigrations.class.getClassLoader();

	/**
	 * Create migrations for a database.
	 * @param database the database whose URL to migrate
	 * @param locations where the scripts are, e.g. {@code classpath:db/migration}
	 * @param jdbcProperties extra JDBC driver properties (TLS files, for example) for the URL
	 * given to JDBC, whose dialect decides their names
	 * @param customizers customizers of Flyway's configuration, applied in order
	 */
	public DatabaseMigrations(Database database, List<String> locations,
			Function<DatabaseURL, Map<String, String>> jdbcProperties, List<DatabaseMigrationsCustomizer> customizers) {
		this(database, onlyLocations(locations), jdbcProperties, customizers);
	}

	/**
	 * Create migrations for a database with Flyway settings.
	 * @param database the database whose URL to migrate
	 * @param settings the Flyway settings ({@code databases.migrations.*} over
	 * {@code spring.flyway.*}); unset ones keep Flyway's defaults, and the locations
	 * default to {@code classpath:db/migration}
	 * @param jdbcProperties extra JDBC driver properties (TLS files, for example) for the URL
	 * given to JDBC, whose dialect decides their names
	 * @param customizers customizers of Flyway's configuration, applied in order after the
	 * settings
	 */
	public DatabaseMigrations(Database database, DatabaseProperties.Migrations settings,
			Function<DatabaseURL, Map<String, String>> jdbcProperties, List<DatabaseMigrationsCustomizer> customizers) {
		this.database = database;
		this.settings = settings;
		this.jdbcProperties = jdbcProperties;
		this.customizers = List.copyOf(customizers);
	}

	private static DatabaseProperties.Migrations onlyLocations(List<String> locations) {
		return new DatabaseProperties.Migrations(null, List.copyOf(locations), null, null, null, null, null, null, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void afterPropertiesSet() {
		migrate();
	}

	/**
	 * Run the pending migrations.
	 * @return Flyway's result
	 * @throws DatabaseConfigurationException when the URL has no JDBC form or a needed
	 * jar is missing
	 * @throws ConnectionException when Flyway cannot reach the server or log in, worded as
	 * the Database's own failure to connect (password masked), so that the startup failure
	 * report is the same whichever connects first
	 */
	public MigrateResult migrate() {
		DatabaseURL url = jdbcUrl(this.database.url());
		String jdbcUrl;
		try {
			jdbcUrl = url.toJdbcUrl();
		}
		catch (IllegalStateException ex) {
			throw new DatabaseConfigurationException("databases.migrations.enabled",
					"Flyway cannot migrate " + url + ": " + ex.getMessage(),
					"Set databases.migrations.enabled=false and migrate another way.", ex);
		}
		FluentConfiguration configuration = Flyway.configure(this.classLoader)
			.dataSource(jdbcUrl, url.username(), url.password())
			.locations(locations(vendor(url)).toArray(String[]::new));
		configure(configuration);
		Map<String, String> jdbcProperties = this.jdbcProperties.apply(url);
		if (!jdbcProperties.isEmpty()) {
			configuration.jdbcProperties(jdbcProperties);
		}
		this.customizers.forEach((customizer) -> customizer.customize(configuration));
		MigrateResult result;
		try {
			result = configuration.load().migrate();
		}
		catch (FlywayException ex) {
			// Migrations usually connect first: a bad host, port, user or password must read as
			// it does when the Database connects first, not as Flyway's stack trace.
			ConnectionException connectionFailure = connectionFailure(ex, this.database.url());
			if (connectionFailure != null) {
				throw connectionFailure;
			}
			throw ex;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Applied " + result.migrationsExecuted + " migration(s) to " + url);
		}
		this.result = result;
		return result;
	}

	/**
	 * The result of the last run.
	 * @return the result, or {@code null} before the first run
	 */
	public @Nullable MigrateResult lastResult() {
		return this.result;
	}

	/**
	 * The locations, with {@code {vendor}} replaced as Spring Boot's Flyway support does.
	 * @param vendor the vendor, or {@code null} when unknown (then {@code {vendor}} stays)
	 * @return the locations
	 */
	List<String> locations(@Nullable String vendor) {
		List<String> locations = this.settings.locationsOrDefault();
		if (vendor == null) {
			return locations;
		}
		return locations.stream().map((location) -> location.replace(VENDOR_PLACEHOLDER, vendor)).toList();
	}

	/**
	 * The vendor of a JDBC target, named as Spring Boot's {@code DatabaseDriver} ids that its
	 * Flyway support puts in {@code {vendor}}: from the dialect of the URL given to JDBC, so a
	 * {@code mysql://} URL migrated through MariaDB Connector/J is {@code mariadb}.
	 */
	static @Nullable String vendor(DatabaseURL jdbcTarget) {
		return switch (jdbcTarget.dialect()) {
			case "postgresql", "mysql", "mariadb", "h2", "sqlite" -> jdbcTarget.dialect();
			default -> null;
		};
	}

	private void configure(FluentConfiguration configuration) {
		DatabaseProperties.Migrations settings = this.settings;
		PropertyMapper map = PropertyMapper.get();
		map.from(settings.failOnMissingLocations()).to(configuration::failOnMissingLocations);
		map.from(settings.table()).to(configuration::table);
		map.from(settings.schemas()).as(DatabaseMigrations::array).to(configuration::schemas);
		map.from(settings.defaultSchema()).to(configuration::defaultSchema);
		map.from(settings.createSchemas()).to(configuration::createSchemas);
		map.from(settings.baselineOnMigrate()).to(configuration::baselineOnMigrate);
		map.from(settings.baselineVersion()).to(configuration::baselineVersion);
		map.from(settings.baselineDescription()).to(configuration::baselineDescription);
		map.from(settings.validateOnMigrate()).to(configuration::validateOnMigrate);
		map.from(settings.validateMigrationNaming()).to(configuration::validateMigrationNaming);
		map.from(settings.cleanDisabled()).to(configuration::cleanDisabled);
		map.from(settings.outOfOrder()).to(configuration::outOfOrder);
		map.from(settings.target()).to(configuration::target);
		map.from(settings.placeholders()).to(configuration::placeholders);
		map.from(settings.placeholderReplacement()).to(configuration::placeholderReplacement);
		map.from(settings.placeholderPrefix()).to(configuration::placeholderPrefix);
		map.from(settings.placeholderSuffix()).to(configuration::placeholderSuffix);
		map.from(settings.encoding()).to(configuration::encoding);
		map.from(settings.connectRetries()).to(configuration::connectRetries);
		map.from(settings.connectRetriesInterval())
			.as((interval) -> (int) interval.toSeconds())
			.to(configuration::connectRetriesInterval);
		map.from(settings.initSqls()).as((sqls) -> String.join("\n", sqls)).to(configuration::initSql);
		map.from(settings.installedBy()).to(configuration::installedBy);
		map.from(settings.sqlMigrationPrefix()).to(configuration::sqlMigrationPrefix);
		map.from(settings.sqlMigrationSuffixes()).as(DatabaseMigrations::array).to(configuration::sqlMigrationSuffixes);
	}

	private static String[] array(List<String> values) {
		return values.toArray(String[]::new);
	}

	/**
	 * The {@link ConnectionException} the Database would have given had it connected first,
	 * when Flyway failed because it could not connect or log in; {@code null} for other
	 * failures (a script that does not run, a checksum mismatch...).
	 */
	static @Nullable ConnectionException connectionFailure(FlywayException failure, DatabaseURL url) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && isConnectionFailure(sql, url)) {
				String state = sql.getSQLState();
				String reason = String.valueOf(sql.getMessage());
				if (url.password() != null && !url.password().isEmpty()) {
					reason = reason.replace(url.password(), "********");
				}
				String suffix = (state != null && !reason.contains(state)) ? " [SQLSTATE " + state + "]" : "";
				return new ConnectionException("Cannot connect to " + url + ": " + reason + suffix, state,
						sql.getErrorCode(), null, failure);
			}
			if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
				return new ConnectionException("Cannot connect to " + url + ": " + cause.getMessage(), null, 0, null,
						failure);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static boolean isConnectionFailure(SQLException ex, DatabaseURL url) {
		String state = ex.getSQLState();
		if (ex instanceof SQLNonTransientConnectionException || ex instanceof SQLTransientConnectionException
				|| ex instanceof SQLInvalidAuthorizationSpecException) {
			return true;
		}
		if (state == null) {
			return false;
		}
		// 08: connection exception; 28: invalid authorization; 3D000: no such database
		// (PostgreSQL); MySQL and MariaDB report an unknown database as 42000 with code 1049.
		return state.startsWith("08") || state.startsWith("28") || state.equals("3D000")
				|| (ex.getErrorCode() == 1049 && url.dialect().matches("mysql|mariadb"));
	}

	/** The URL to give JDBC, after checking that its driver and Flyway's support are there. */
	private DatabaseURL jdbcUrl(DatabaseURL url) {
		String dialect = url.dialect();
		if (dialect.equals("sqlite") && url.isInMemory()) {
			throw new DatabaseConfigurationException("databases.migrations.enabled",
					"Flyway cannot migrate the in-memory SQLite database " + url
							+ ": each connection to it has its own database, so the migrated one would be lost",
					"Use a SQLite file (sqlite:///app.db), or set databases.migrations.enabled=false.", null);
		}
		DatabaseURL target = url;
		for (String option : url.options().keySet()) {
			if (R2DBC_TLS_OPTIONS.contains(option)) {
				target = target.withOption(option, null);
			}
		}
		switch (dialect) {
			case "postgresql" -> require("org.postgresql.Driver", "org.postgresql:postgresql",
					"org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
					"org.flywaydb:flyway-database-postgresql", url);
			case "mariadb" -> require("org.mariadb.jdbc.Driver", "org.mariadb.jdbc:mariadb-java-client",
					"org.flywaydb.database.mysql.MySQLDatabaseType", "org.flywaydb:flyway-mysql", url);
			case "mysql" -> {
				boolean mariadbOnly = !present("com.mysql.cj.jdbc.Driver") && present("org.mariadb.jdbc.Driver");
				if (mariadbOnly) {
					target = target.withDialect("mariadb");
				}
				require(mariadbOnly ? "org.mariadb.jdbc.Driver" : "com.mysql.cj.jdbc.Driver",
						"com.mysql:mysql-connector-j (or org.mariadb.jdbc:mariadb-java-client)",
						"org.flywaydb.database.mysql.MySQLDatabaseType", "org.flywaydb:flyway-mysql", url);
			}
			case "h2" -> require("org.h2.Driver", "com.h2database:h2", null, null, url);
			case "sqlite" -> require("org.sqlite.JDBC", "org.xerial:sqlite-jdbc", null, null, url);
			default -> {
				// An r2dbc: URL of another database: toJdbcUrl() says there is no JDBC form.
			}
		}
		return target;
	}

	private void require(String driverClass, String driverArtifact, @Nullable String flywayClass,
			@Nullable String flywayArtifact, DatabaseURL url) {
		boolean driver = present(driverClass);
		boolean flyway = flywayClass == null || present(flywayClass);
		if (driver && flyway) {
			return;
		}
		String missing = (!driver ? driverArtifact : "") + (!driver && !flyway ? " and " : "")
				+ (!flyway ? flywayArtifact : "");
		throw new DatabaseConfigurationException("databases.migrations.enabled",
				"Flyway needs " + missing + " on the classpath to migrate " + url,
				"Add the dependency " + missing + ", or set databases.migrations.enabled=false.", null);
	}

	private boolean present(String className) {
		return ClassUtils.isPresent(className, this.classLoader);
	}

}

package dev.databases.boot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.databases.Database;
import dev.databases.DatabaseListener;
import dev.databases.DatabaseURL;
import dev.databases.InvalidOptionException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;

/**
 * Builds the {@link Database} from its connection details and the {@code databases.*}
 * properties, which win over the URL's options, and turns a rejected value into a
 * {@link DatabaseConfigurationException} that names the property it came from. The
 * {@link DatabaseListener} beans (metrics, observations), together with the leak detector
 * when {@code databases.pool.leak-detection-threshold} is set, become the Database's
 * listener before the {@link DatabaseBuilderCustomizer}s run.
 */
final class DatabaseFactory {

	private final DatabaseProperties properties;

	private final List<DatabaseBuilderCustomizer> customizers;

	private final List<DatabaseListener> listeners;

	private final @Nullable SslBundleOptions sslBundleOptions;

	/** Option name to the property that set it, to name the right one in a failure. */
	private final Map<String, String> sources = new HashMap<>();

	private final Map<String, Object> options = new LinkedHashMap<>();

	DatabaseFactory(DatabaseProperties properties, List<DatabaseBuilderCustomizer> customizers,
			List<DatabaseListener> listeners, @Nullable SslBundleOptions sslBundleOptions) {
		this.properties = properties;
		this.customizers = customizers;
		this.listeners = listeners;
		this.sslBundleOptions = sslBundleOptions;
	}

	Database create(DatabaseConnectionDetails details) {
		String urlSource = sourceOf(details);
		DatabaseURL url = details.getUrl();
		this.properties.options().forEach((name, value) -> option(name, value, "databases.options." + name));
		DatabaseProperties.Pool pool = this.properties.pool();
		PropertyMapper map = PropertyMapper.get();
		map.from(pool.minSize()).to((value) -> option("min_size", value, "databases.pool.min-size"));
		map.from(pool.maxSize()).to((value) -> option("max_size", value, "databases.pool.max-size"));
		map.from(pool.maxIdleTime()).to((value) -> option("max_idle_time", value, "databases.pool.max-idle-time"));
		map.from(pool.maxLifeTime()).to((value) -> option("max_life_time", value, "databases.pool.max-life-time"));
		map.from(pool.acquireTimeout())
			.to((value) -> option("acquire_timeout", value, "databases.pool.acquire-timeout"));
		map.from(pool.connectTimeout())
			.to((value) -> option("connect_timeout", value, "databases.pool.connect-timeout"));
		map.from(pool.statementTimeout())
			.to((value) -> option("statement_timeout", value, "databases.pool.statement-timeout"));
		map.from(pool.disconnectTimeout())
			.to((value) -> option("disconnect_timeout", value, "databases.pool.disconnect-timeout"));
		configureSsl(url);
		ConnectionLeakDetector leakDetector = new ConnectionLeakDetector(pool.leakDetectionThreshold());
		List<DatabaseListener> listeners = new ArrayList<>();
		if (leakDetector.isEnabled()) {
			listeners.add(leakDetector);
		}
		listeners.addAll(this.listeners);
		try {
			Database.Builder builder = Database.builder(url)
				.options(this.options)
				.forceRollback(this.properties.forceRollback())
				.listener(CompositeDatabaseListener.of(listeners));
			Integer maxAttempts = this.properties.transactions().maxAttempts();
			if (maxAttempts != null) {
				if (maxAttempts < 1) {
					throw new DatabaseConfigurationException("databases.transactions.max-attempts",
							"max-attempts is " + maxAttempts + ", but a transaction runs at least once",
							"Set databases.transactions.max-attempts to 1 (no retry) or more.", null);
				}
				builder.transactionRetry(maxAttempts);
			}
			this.customizers.forEach((customizer) -> customizer.customize(builder));
			Database database = builder.build();
			if (database.isForceRollback()) {
				// Its one connection is held for the Database's life on purpose: no leak.
				leakDetector.disable();
			}
			return database;
		}
		catch (IllegalArgumentException ex) {
			String source = (ex instanceof InvalidOptionException invalid)
					? this.sources.getOrDefault(invalid.option(), urlSource) : urlSource;
			throw new DatabaseConfigurationException(source, String.valueOf(ex.getMessage()), Messages.OPTIONS, ex);
		}
	}

	private void configureSsl(DatabaseURL url) {
		DatabaseProperties.Ssl ssl = this.properties.ssl();
		String source = (ssl.mode() != null) ? "databases.ssl.mode" : "databases.ssl.enabled";
		String mode = null;
		if (Boolean.FALSE.equals(ssl.enabled())) {
			mode = "disable";
		}
		else if (ssl.mode() != null) {
			mode = ssl.mode();
		}
		else if (Boolean.TRUE.equals(ssl.enabled())) {
			mode = (ssl.bundle() != null) ? "verify-full" : "require";
		}
		else if (ssl.bundle() != null && !url.options().containsKey("ssl")) {
			mode = "verify-full";
			source = "databases.ssl.bundle";
		}
		if (mode != null) {
			option("ssl", mode, source);
		}
		if (ssl.bundle() != null && !"disable".equals(mode)) {
			if (this.sslBundleOptions == null) {
				throw new DatabaseConfigurationException("databases.ssl.bundle",
						"SSL bundle '" + ssl.bundle() + "' cannot be used: no SslBundles bean is defined",
						"Define the bundle under spring.ssl.bundle.* (with spring-boot-autoconfigure's "
								+ "SslAutoConfiguration active), or remove databases.ssl.bundle.",
						null);
			}
			this.sslBundleOptions.r2dbcOptions(ssl.bundle(), url)
				.forEach((name, value) -> option(name, value, "databases.ssl.bundle"));
		}
	}

	private void option(String name, Object value, String source) {
		this.options.put(name, value);
		this.sources.put(name, source);
	}

	/**
	 * Connection details that know which property or bean they were read from.
	 */
	interface Sourced {

		String source();

	}

	static String sourceOf(DatabaseConnectionDetails details) {
		return (details instanceof Sourced sourced) ? sourced.source() : "DatabaseConnectionDetails";
	}

}

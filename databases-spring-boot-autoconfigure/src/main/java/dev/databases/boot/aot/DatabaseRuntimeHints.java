package dev.databases.boot.aot;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The hints every application of the starter needs in a native image, whatever its
 * configuration: the default migration folder, the {@code Option} constants of the R2DBC
 * SPI and of the drivers (read to carry an {@code R2dbcConnectionDetails} bean's options
 * over), and the driver internals core reaches reflectively (r2dbc-mysql's server status and
 * forced close). Types that are absent are skipped by
 * GraalVM. Registered in {@code META-INF/spring/aot.factories}; what depends on the
 * configuration is {@link DatabaseAotProcessor}'s.
 *
 * @since 0.1.0
 */
public class DatabaseRuntimeHints implements RuntimeHintsRegistrar {

	/** Where Flyway looks when no location is configured. */
	static final String DEFAULT_MIGRATIONS = "db/migration/**";

	private static final String[] PROVIDERS = { "io.r2dbc.spi.ConnectionFactoryOptions",
			"io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider",
			"io.asyncer.r2dbc.mysql.MySqlConnectionFactoryProvider", "io.r2dbc.h2.H2ConnectionFactoryProvider",
			"org.mariadb.r2dbc.MariadbConnectionFactoryProvider", "dev.databases.sqlite.SqliteConnectionFactoryProvider" };

	/** r2dbc-mysql's connection, whose client core reads for the server status and to force a close. */
	private static final String[] CONNECTIONS = { "io.asyncer.r2dbc.mysql.MySqlSimpleConnection",
			"io.asyncer.r2dbc.mysql.client.Client", "io.asyncer.r2dbc.mysql.client.ReactorNettyClient",
			"io.asyncer.r2dbc.mysql.ConnectionContext" };

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(DEFAULT_MIGRATIONS);
		for (String provider : PROVIDERS) {
			hints.reflection().registerType(TypeReference.of(provider), MemberCategory.ACCESS_PUBLIC_FIELDS);
		}
		for (String connection : CONNECTIONS) {
			hints.reflection()
				.registerType(TypeReference.of(connection), MemberCategory.ACCESS_DECLARED_FIELDS,
						MemberCategory.INVOKE_PUBLIC_METHODS);
		}
	}

}

package dev.databases.boot;

import java.time.Duration;

import dev.databases.DatabaseURL;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link R2dbcDatabaseConnectionDetails}: the options Testcontainers and Docker
 * Compose produce become database URLs.
 */
class R2dbcDatabaseConnectionDetailsTests {

	@Test
	void postgresqlContainerOptionsShouldBecomePostgresqlUrl() {
		// What Testcontainers' PostgreSQLR2DBCDatabaseContainer.getOptions(container) sets.
		ConnectionFactoryOptions options = ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "postgresql")
			.option(ConnectionFactoryOptions.HOST, "localhost")
			.option(ConnectionFactoryOptions.PORT, 32768)
			.option(ConnectionFactoryOptions.DATABASE, "test")
			.option(ConnectionFactoryOptions.USER, "test")
			.option(ConnectionFactoryOptions.PASSWORD, "p@ss:word")
			.build();
		DatabaseURL url = R2dbcDatabaseConnectionDetails.toUrl(options);
		assertThat(url.toUnmaskedString()).isEqualTo("postgresql://test:p%40ss%3Aword@localhost:32768/test");
		assertThat(url.password()).isEqualTo("p@ss:word");
		assertThat(url).hasToString("postgresql://test:********@localhost:32768/test");
	}

	@Test
	void optionsTheDriverDeclaresShouldBeKept() {
		ConnectionFactoryOptions options = ConnectionFactoryOptions.parse("r2dbc:postgresql://u@localhost:5432/db")
			.mutate()
			.option(Option.valueOf("applicationName"), "from-details")
			.option(Option.valueOf("currentSchema"), "app")
			.option(ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT, Duration.ofSeconds(3))
			.build();
		DatabaseURL url = R2dbcDatabaseConnectionDetails.toUrl(options);
		assertThat(url.options()).containsEntry("applicationName", "from-details")
			.containsEntry("currentSchema", "app")
			.containsEntry("lockWaitTimeout", "PT3S");
	}

	@Test
	void mysqlAndMariadbDriversShouldKeepTheirDialect() {
		assertThat(R2dbcDatabaseConnectionDetails
			.toUrl(ConnectionFactoryOptions.parse("r2dbc:mysql://root@127.0.0.1:3306/test"))
			.toUnmaskedString()).isEqualTo("mysql://root@127.0.0.1:3306/test");
		assertThat(R2dbcDatabaseConnectionDetails
			.toUrl(ConnectionFactoryOptions.parse("r2dbc:mariadb://root:pw@127.0.0.1:3307/test"))
			.toUnmaskedString()).isEqualTo("mariadb://root:pw@127.0.0.1:3307/test");
	}

	@Test
	void pooledUrlShouldBeUnwrapped() {
		DatabaseURL url = R2dbcDatabaseConnectionDetails
			.toUrl(ConnectionFactoryOptions.parse("r2dbc:pool:postgresql://u@db.example.com/app"));
		assertThat(url.toUnmaskedString()).isEqualTo("postgresql://u@db.example.com/app");
	}

	@Test
	void h2MemoryShouldBecomeH2MemUrl() {
		DatabaseURL url = R2dbcDatabaseConnectionDetails.toUrl(ConnectionFactoryOptions.parse("r2dbc:h2:mem:///testdb"));
		assertThat(url.toUnmaskedString()).isEqualTo("h2:mem:///testdb");
	}

	@Test
	void sslAndTimeoutsShouldBecomeOptions() {
		ConnectionFactoryOptions options = ConnectionFactoryOptions.parse("r2dbc:postgresql://u@localhost/db")
			.mutate()
			.option(ConnectionFactoryOptions.SSL, true)
			.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, Duration.ofSeconds(3))
			.option(ConnectionFactoryOptions.STATEMENT_TIMEOUT, Duration.ofMillis(1500))
			.build();
		assertThat(R2dbcDatabaseConnectionDetails.toUrl(options).options()).containsEntry("ssl", "true")
			.containsEntry("connect_timeout", "3000ms")
			.containsEntry("statement_timeout", "1500ms");
	}

	@Test
	void unsupportedDriverShouldFailNamingIt() {
		assertThatExceptionOfType(DatabaseConfigurationException.class)
			.isThrownBy(() -> R2dbcDatabaseConnectionDetails
				.toUrl(ConnectionFactoryOptions.parse("r2dbc:oracle://scott:tiger@localhost/xe")))
			.satisfies((ex) -> {
				assertThat(ex.getSource()).isEqualTo("R2dbcConnectionDetails");
				assertThat(ex.getProblem()).contains("oracle");
				assertThat(ex.getAccepted()).contains("postgresql", "mysql", "mariadb", "h2", "sqlite");
				assertThat(ex.getMessage()).doesNotContain("tiger");
			});
	}

}

package dev.databases.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;

import dev.databases.Database;
import dev.databases.DatabaseURL;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SslBundleOptions} and {@code databases.ssl.bundle}. The certificates in
 * {@code src/test/resources/ssl} were made for these tests only.
 */
class SslBundleOptionsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class, SslAutoConfiguration.class))
		// The servers here have no TLS: build the Database without connecting it.
		.withBean(DatabaseLifecycle.class, () -> new DatabaseLifecycle(List.of()))
		.withPropertyValues("spring.ssl.bundle.pem.db.truststore.certificate=classpath:ssl/ca.crt",
				"spring.ssl.bundle.pem.db.keystore.certificate=classpath:ssl/client.crt",
				"spring.ssl.bundle.pem.db.keystore.private-key=classpath:ssl/client.key",
				"spring.ssl.bundle.pem.trust.truststore.certificate=classpath:ssl/ca.crt");

	@Test
	void bundleShouldGiveThePostgresqlDriverPemFiles() {
		Path[] written = new Path[1];
		this.contextRunner
			.withPropertyValues("databases.url=postgresql://app:pw@db.example.com/app", "databases.ssl.bundle=db")
			.run((context) -> {
				Map<String, String> options = context.getBean(Database.class).url().options();
				assertThat(options).containsEntry("ssl", "verify-full");
				Path rootCert = Path.of(options.get("sslRootCert"));
				assertThat(Files.readString(rootCert)).startsWith("-----BEGIN CERTIFICATE-----");
				assertThat(Files.readString(Path.of(options.get("sslCert")))).contains("BEGIN CERTIFICATE");
				assertThat(Files.readString(Path.of(options.get("sslKey")))).startsWith("-----BEGIN PRIVATE KEY-----");
				written[0] = rootCert.getParent();
			});
		assertThat(written[0]).doesNotExist();
	}

	@Test
	void bundleShouldGiveTheMysqlDriverPemFiles() {
		this.contextRunner
			.withPropertyValues("databases.url=mysql://app@db.example.com/app", "databases.ssl.bundle=trust",
					"databases.ssl.mode=verify-ca")
			.run((context) -> {
				Map<String, String> options = context.getBean(Database.class).url().options();
				assertThat(options).containsEntry("ssl", "verify-ca").containsKey("sslCa");
				assertThat(options).doesNotContainKeys("sslCert", "sslKey", "sslRootCert");
			});
	}

	@Test
	void jdbcPropertiesShouldSuitEachJdbcDriver() {
		this.contextRunner.withPropertyValues("databases.url=postgresql://app@db.example.com/app").run((context) -> {
			SslBundleOptions ssl = context.getBean(SslBundleOptions.class);
			Map<String, String> postgresql = ssl.jdbcProperties("db", DatabaseURL.parse("postgresql://h/db"));
			assertThat(postgresql).containsKeys("sslrootcert", "sslkey", "sslpassword");
			KeyStore key = KeyStore.getInstance("PKCS12");
			try (var in = Files.newInputStream(Path.of(postgresql.get("sslkey")))) {
				key.load(in, postgresql.get("sslpassword").toCharArray());
			}
			assertThat(key.isKeyEntry("client")).isTrue();
			assertThat(ssl.jdbcProperties("db", DatabaseURL.parse("mariadb://h/db"))).containsKeys("serverSslCert",
					"keyStore", "keyStorePassword", "keyStoreType");
			assertThat(ssl.jdbcProperties("trust", DatabaseURL.parse("mysql://h/db")))
				.containsKeys("trustCertificateKeyStoreUrl", "trustCertificateKeyStorePassword")
				.doesNotContainKey("clientCertificateKeyStoreUrl");
		});
	}

	@Test
	void unknownBundleShouldFailNamingIt() {
		this.contextRunner.withPropertyValues("databases.url=postgresql://app@db/app", "databases.ssl.bundle=nope")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DatabaseConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'databases.ssl.bundle'").contains("'nope'");
				assertThat(analysis.getAction()).contains("spring.ssl.bundle");
			});
	}

	@Test
	void bundleWithEmbeddedDatabaseShouldFail() {
		this.contextRunner.withPropertyValues("databases.url=h2:mem:///boot_ssl", "databases.ssl.bundle=db")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(DatabaseConfigurationException.class)
				.hasMessageContaining("h2"));
	}

	@Test
	void disabledSslShouldIgnoreTheBundle() {
		this.contextRunner
			.withPropertyValues("databases.url=postgresql://app@db/app", "databases.ssl.bundle=db",
					"databases.ssl.enabled=false")
			.run((context) -> assertThat(context.getBean(Database.class).url().options()).containsEntry("ssl", "disable")
				.doesNotContainKey("sslRootCert"));
	}

}

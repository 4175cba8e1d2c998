package dev.databases.boot;

import dev.databases.DatabaseURL;
import dev.databases.boot.flyway.DatabaseMigrationsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseConnectionFailureAnalyzer}.
 */
class DatabaseConnectionFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DatabaseAutoConfiguration.class, DatabaseMigrationsAutoConfiguration.class));

	@Test
	void analyzeWhenServerIsNotReachableShouldExplainWithoutPassword() {
		// Nothing listens on port 1: the connection is refused at once.
		this.contextRunner
			.withPropertyValues("databases.url=postgresql://app:Unr3achable@127.0.0.1:1/app",
					"databases.pool.connect-timeout=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DatabaseConnectionFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("could not connect")
					.contains("postgresql://app:********@127.0.0.1:1/app")
					.doesNotContain("Unr3achable");
				assertThat(analysis.getAction()).contains("databases.url");
			});
	}

	@Test
	void analyzeWhenMigrationsCannotReachTheServerShouldExplainAsWithoutThem() {
		String[] properties = { "databases.url=postgresql://app:Unr3achable@127.0.0.1:1/app",
				"databases.pool.connect-timeout=5s" };
		FailureAnalysis withMigrations = analyzeStartup(this.contextRunner.withPropertyValues(properties));
		FailureAnalysis withoutMigrations = analyzeStartup(
				this.contextRunner.withPropertyValues(properties).withPropertyValues("databases.migrations.enabled=false"));
		for (FailureAnalysis analysis : new FailureAnalysis[] { withMigrations, withoutMigrations }) {
			assertThat(analysis.getDescription()).contains("could not connect")
				.contains("Cannot connect to postgresql://app:********@127.0.0.1:1/app")
				.doesNotContain("Unr3achable");
		}
		assertThat(withMigrations.getAction()).isEqualTo(withoutMigrations.getAction());
	}

	@Test
	@EnabledIf("dev.databases.boot.BootTestDatabases#shouldRunPostgresql")
	void analyzeWhenMigrationsUseAnUnknownPostgresqlUserShouldExplain() {
		// The server trusts local connections, so a wrong password passes: a user that does not exist does not.
		DatabaseURL server = DatabaseURL.parse(BootTestDatabases.require("postgresql"));
		String url = server.withUsername("no_such_boot_user").withPassword("S3cretPw").toUnmaskedString();
		assertLoginFailureExplained(url, "S3cretPw");
	}

	@Test
	@EnabledIf("dev.databases.boot.BootTestDatabases#shouldRunMysql")
	void analyzeWhenMigrationsUseAWrongMariadbPasswordShouldExplain() {
		DatabaseURL server = DatabaseURL.parse(BootTestDatabases.require("mysql"));
		String url = server.withPassword("Wr0ngPw").toUnmaskedString();
		assertLoginFailureExplained(url, "Wr0ngPw");
	}

	private void assertLoginFailureExplained(String url, String password) {
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues("databases.url=" + url);
		FailureAnalysis withMigrations = analyzeStartup(runner);
		FailureAnalysis withoutMigrations = analyzeStartup(
				runner.withPropertyValues("databases.migrations.enabled=false"));
		String masked = "Cannot connect to " + DatabaseURL.parse(url) + ": ";
		assertThat(withMigrations.getDescription()).contains(masked).doesNotContain(password);
		assertThat(withoutMigrations.getDescription()).contains(masked).doesNotContain(password);
		assertThat(withMigrations.getAction()).isEqualTo(withoutMigrations.getAction());
	}

	private static FailureAnalysis analyzeStartup(ApplicationContextRunner runner) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		runner.run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new DatabaseConnectionFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis[0]).as("analysis of %s", context.getStartupFailure()).isNotNull();
		});
		return analysis[0];
	}

	@Test
	void analyzeWhenDifferentFailureShouldReturnNull() {
		assertThat(new DatabaseConnectionFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

}

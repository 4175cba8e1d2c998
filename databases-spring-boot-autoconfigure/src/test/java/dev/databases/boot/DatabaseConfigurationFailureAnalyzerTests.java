package dev.databases.boot;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseConfigurationFailureAnalyzer}: a bad URL or option becomes a
 * readable startup failure that never shows the password.
 */
class DatabaseConfigurationFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class));

	@Test
	void analyzeWhenUrlIsMalformedShouldExplainWithoutPassword() {
		analyze("databases.url=postgresql://admin:Sup3rS3cret@localhost:notaport/app", (analysis) -> {
			assertThat(analysis.getDescription()).contains("'databases.url'").contains("port");
			assertThat(analysis.getAction()).contains("Update 'databases.url'").contains("postgresql://");
			assertNoSecret(analysis, "Sup3rS3cret");
		});
	}

	@Test
	void analyzeWhenSchemeIsUnknownShouldListAcceptedSchemes() {
		analyze("databases.url=oracle://scott:tiger@localhost/xe", (analysis) -> {
			assertThat(analysis.getDescription()).contains("oracle");
			assertThat(analysis.getAction()).contains("postgresql", "mysql", "mariadb", "sqlite", "h2");
			assertNoSecret(analysis, "tiger");
		});
	}

	@Test
	void analyzeWhenUrlOptionIsBadShouldNameTheOption() {
		analyze("databases.url=postgresql://u:pw4711@localhost/app?max_size=lots", (analysis) -> {
			assertThat(analysis.getDescription()).contains("'databases.url'").contains("max_size").contains("lots");
			assertThat(analysis.getAction()).contains("min_size and max_size");
			assertNoSecret(analysis, "pw4711");
		});
	}

	@Test
	void analyzeWhenPoolPropertyIsBadShouldNameTheProperty() {
		analyze(new String[] { "databases.url=h2:mem:///bad_pool", "databases.pool.min-size=5",
				"databases.pool.max-size=2" }, (analysis) -> {
					assertThat(analysis.getDescription()).contains("'databases.pool.min-size'")
						.contains("must not be greater than max_size");
					assertThat(analysis.getAction()).contains("Update 'databases.pool.min-size'");
				});
	}

	@Test
	void analyzeWhenSslModeDoesNotFitShouldNameTheProperty() {
		analyze(new String[] { "databases.url=h2:mem:///bad_ssl", "databases.ssl.mode=verify-full" },
				(analysis) -> {
					assertThat(analysis.getDescription()).contains("'databases.ssl.mode'").contains("ssl");
					assertThat(analysis.getAction()).contains("verify-full");
				});
	}

	@Test
	void analyzeWhenSpringR2dbcUrlIsBadShouldNameIt() {
		analyze("spring.r2dbc.url=r2dbc:postgresql://u:hunter2@localhost:99999/db", (analysis) -> {
			assertThat(analysis.getDescription()).contains("'spring.r2dbc.url'");
			assertNoSecret(analysis, "hunter2");
		});
	}

	@Test
	void analyzeWhenDifferentFailureShouldReturnNull() {
		assertThat(new DatabaseConfigurationFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	private void analyze(String property, Consumer<FailureAnalysis> assertions) {
		analyze(new String[] { property }, assertions);
	}

	private void analyze(String[] properties, Consumer<FailureAnalysis> assertions) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			FailureAnalysis analysis = new DatabaseConfigurationFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertions.accept(analysis);
			assertThat(failure.toString()).doesNotContain("Sup3rS3cret", "tiger", "pw4711", "hunter2");
		});
	}

	private static void assertNoSecret(FailureAnalysis analysis, String secret) {
		assertThat(analysis.getDescription()).doesNotContain(secret);
		assertThat(analysis.getAction()).doesNotContain(secret);
	}

}

package dev.databases.boot;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseConnectionFailureAnalyzer}.
 */
class DatabaseConnectionFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class));

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
	void analyzeWhenDifferentFailureShouldReturnNull() {
		assertThat(new DatabaseConnectionFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

}

package dev.databases.boot;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link UnknownDatabasePropertyFailureAnalyzer} and the
 * {@code ignoreUnknownFields = false} of {@link DatabaseProperties}.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownDatabasePropertyFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class))
		.withPropertyValues("databases.url=h2:mem:///boot_unknown_" + UUID.randomUUID().toString().replace("-", ""));

	@Test
	void runWithMisspeltPoolPropertyShouldFailNamingTheClosest() {
		this.contextRunner.withPropertyValues("databases.pool.max-sise=5").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.contains("databases.pool.max-sise: did you mean databases.pool.max-size?");
			assertThat(analysis.getAction()).contains("Rename databases.pool.max-sise to databases.pool.max-size");
		});
	}

	@Test
	void runWithMisspeltTopLevelPropertyShouldFailEvenWithoutADatabase() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class))
			.withPropertyValues("databases.urll=h2:mem:///typo")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(analyze(context.getStartupFailure()).getDescription())
					.contains("databases.urll: did you mean databases.url?");
			});
	}

	@Test
	void runWithMisspeltGroupShouldSuggestTheWholeName() {
		this.contextRunner.withPropertyValues("databases.pol.max-size=5")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("did you mean databases.pool.max-size?"));
	}

	@Test
	void runWithCamelCasePropertyShouldBind() {
		this.contextRunner.withPropertyValues("databases.pool.maxSize=5")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void runWithNameFarFromAnyShouldListTheKnownOnes() {
		this.contextRunner.withPropertyValues("databases.pool.colour=blue")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getAction())
				.contains("Remove databases.pool.colour; the known names there are min-size, max-size"));
	}

	@Test
	void runWithDriverOptionShouldLeaveItToTheDatabase() {
		// The keys of databases.options are the driver's: core checks them, not the binder.
		this.contextRunner.withPropertyValues("databases.options.IGNORECASE=TRUE")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void runWithUnrelatedEnvironmentVariableShouldStart() {
		// CI sets DATABASES_TEST_URLS, which relaxed binding reads as databases.test.urls.
		this.contextRunner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("DATABASES_TEST_URLS", "postgresql://elsewhere/test"))))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void analyzeWhenOtherPrefixShouldLeaveItToBoot() {
		assertThat(new UnknownDatabasePropertyFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	@Test
	void startupWithMisspeltPropertyShouldReportTheSuggestion(CapturedOutput output) {
		SpringApplication application = new SpringApplication(StartupConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--databases.url=h2:mem:///boot_unknown_startup",
				"--databases.pool.max-sise=5", "--spring.main.banner-mode=off"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("did you mean databases.pool.max-size?");
	}

	private static FailureAnalysis analyze(Throwable failure) {
		FailureAnalysis analysis = new UnknownDatabasePropertyFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DatabaseAutoConfiguration.class)
	static class StartupConfiguration {

	}

}

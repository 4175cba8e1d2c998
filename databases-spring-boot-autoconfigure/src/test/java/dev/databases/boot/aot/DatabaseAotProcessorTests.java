package dev.databases.boot.aot;

import dev.databases.boot.aot.records.MappedNote;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseAotProcessor} and {@link DatabaseRuntimeHints}.
 */
class DatabaseAotProcessorTests {

	@Test
	void processWithDefaultsShouldRegisterTheDefaultMigrationsAndTheApplicationsRecords() {
		RuntimeHints hints = process(new MockEnvironment());
		assertThat(RuntimeHintsPredicates.resource().forResource("db/migration/V1__create_boot_notes.sql"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(MappedNote.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(MappedNote.class, "text")).accepts(hints);
	}

	@Test
	void processWithVendorLocationShouldRegisterEveryVendorsFolder() {
		RuntimeHints hints = process(
				new MockEnvironment().withProperty("databases.migrations.locations", "classpath:db/{vendor},db/common"));
		for (String vendor : DatabaseAotProcessor.VENDORS) {
			assertThat(RuntimeHintsPredicates.resource().forResource("db/" + vendor + "/V1__x.sql")).accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.resource().forResource("db/common/V2__y.sql")).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("db/migration/V1__x.sql")).rejects(hints);
	}

	@Test
	void processWithSpringFlywayLocationsShouldRegisterThem() {
		RuntimeHints hints = process(
				new MockEnvironment().withProperty("spring.flyway.locations", "classpath:/db/flyway/"));
		assertThat(RuntimeHintsPredicates.resource().forResource("db/flyway/V1__x.sql")).accepts(hints);
	}

	@Test
	void runtimeHintsShouldCoverTheDefaultFolderAndTheDriversOptions() {
		RuntimeHints hints = new RuntimeHints();
		new DatabaseRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.resource().forResource("db/migration/V1__x.sql")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(
				io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider.class, "APPLICATION_NAME")).accepts(hints);
	}

	private static RuntimeHints process(MockEnvironment environment) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("environment", environment);
		AutoConfigurationPackages.register(beanFactory, MappedNote.class.getPackageName());
		BeanFactoryInitializationAotContribution contribution = new DatabaseAotProcessor()
			.processAheadOfTime(beanFactory);
		DefaultGenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());
		contribution.applyTo(generationContext, null);
		return generationContext.getRuntimeHints();
	}

}

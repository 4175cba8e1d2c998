package dev.databases.boot.test;

import java.lang.reflect.Method;
import java.util.UUID;

import dev.databases.Database;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.DatabaseBuilderCustomizer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.AttributeAccessorSupport;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseTestExecutionListener}: it goes by
 * {@link Database#isForceRollback()}, however the Database was built, not by the
 * {@code databases.force-rollback} property.
 */
class DatabaseTestExecutionListenerTests {

	private final DatabaseTestExecutionListener listener = new DatabaseTestExecutionListener();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class))
		.withPropertyValues("databases.url=h2:mem:///boot_listener_" + UUID.randomUUID().toString().replace("-", ""));

	@Test
	void forceRollbackDatabaseBuiltByACustomizerShouldBeRolledBack() {
		this.contextRunner
			.withBean(DatabaseBuilderCustomizer.class, () -> (builder) -> builder.forceRollback(true))
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(context.getEnvironment().getProperty("databases.force-rollback")).isNull();
				assertThat(rowsAfterATestMethodInsertsOne(context, database)).isZero();
			});
	}

	@Test
	void databaseThatIsNotForceRollbackShouldBeLeftAlone() {
		this.contextRunner.withPropertyValues("databases.force-rollback=true")
			.withBean(DatabaseBuilderCustomizer.class, () -> (builder) -> builder.forceRollback(false))
			.run((context) -> {
				Database database = context.getBean(Database.class);
				assertThat(database.isForceRollback()).isFalse();
				assertThat(rowsAfterATestMethodInsertsOne(context, database)).isEqualTo(1);
			});
	}

	private @Nullable Long rowsAfterATestMethodInsertsOne(ApplicationContext context, Database database) {
		database.execute("CREATE TABLE listener_notes (id INTEGER PRIMARY KEY)").block();
		TestContext testContext = new LoadedTestContext(context);
		this.listener.beforeTestMethod(testContext);
		database.execute("INSERT INTO listener_notes (id) VALUES (1)").block();
		this.listener.afterTestMethod(testContext);
		return database.fetchVal("SELECT COUNT(*) FROM listener_notes", Long.class).block();
	}

	/** A test context whose application context is loaded: all the listener asks of it. */
	@SuppressWarnings("serial")
	private static final class LoadedTestContext extends AttributeAccessorSupport implements TestContext {

		private final transient ApplicationContext context;

		LoadedTestContext(ApplicationContext context) {
			this.context = context;
		}

		@Override
		public boolean hasApplicationContext() {
			return true;
		}

		@Override
		public ApplicationContext getApplicationContext() {
			return this.context;
		}

		@Override
		public Class<?> getTestClass() {
			return DatabaseTestExecutionListenerTests.class;
		}

		@Override
		public Object getTestInstance() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Method getTestMethod() {
			throw new UnsupportedOperationException();
		}

		@Override
		public @Nullable Throwable getTestException() {
			return null;
		}

		@Override
		public void markApplicationContextDirty(DirtiesContext.@Nullable HierarchyMode hierarchyMode) {
		}

		@Override
		public void updateState(@Nullable Object testInstance, @Nullable Method testMethod,
				@Nullable Throwable testException) {
		}

	}

}

package dev.databases.boot.dao;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.databases.ConstraintViolationException;
import dev.databases.Database;
import dev.databases.DatabaseException;
import dev.databases.boot.BootTestDatabases;
import dev.databases.boot.DatabaseAutoConfiguration;
import dev.databases.boot.DatabaseBuilderCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.r2dbc.connection.ConnectionFactoryUtils;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link DatabaseExceptionTranslationAutoConfiguration} and
 * {@link DataAccessExceptionTranslator}, against H2 and the configured PostgreSQL and
 * MariaDB servers: errors from the {@link Database} bean are caught as Spring's
 * {@code DataAccessException} types, the same ones {@link DatabaseClient} throws, with the
 * {@link DatabaseException} and its SQLSTATE as their cause.
 */
class DatabaseExceptionTranslationAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
				DatabaseExceptionTranslationAutoConfiguration.class, R2dbcAutoConfiguration.class));

	static Stream<String> urls() {
		List<String> urls = new ArrayList<>();
		urls.add(h2());
		for (String kind : List.of("postgresql", "mysql")) {
			if (BootTestDatabases.shouldRun(kind)) {
				urls.add(BootTestDatabases.require(kind));
			}
		}
		return urls.stream();
	}

	private static String h2() {
		return "h2:mem:///dao_" + UUID.randomUUID().toString().replace("-", "");
	}

	@ParameterizedTest
	@MethodSource("urls")
	void duplicateKeyShouldBeCaughtAsDuplicateKeyExceptionWithItsSqlState(String url) {
		withTable(url, (database, client) -> {
			String sql = "INSERT INTO dao_notes (id, text) VALUES (1, 'again')";
			Throwable error = catchThrowable(() -> database.execute(sql).block(TIMEOUT));
			assertThat(error).isInstanceOf(DuplicateKeyException.class).hasMessageContaining(sql);
			DatabaseException cause = (DatabaseException) error.getCause();
			assertThat(cause).isInstanceOf(ConstraintViolationException.class);
			assertThat(cause.sqlState()).isIn("23505", "23000");
			assertThat(cause.sql()).isEqualTo(sql);
			Throwable fromClient = catchThrowable(() -> client.sql(sql).then().block(TIMEOUT));
			assertThat(error).as("the type DatabaseClient throws").hasSameClassAs(fromClient);
		});
	}

	@ParameterizedTest
	@MethodSource("urls")
	void notNullViolationShouldBeCaughtAsDataIntegrityViolationException(String url) {
		withTable(url, (database, client) -> {
			String sql = "INSERT INTO dao_notes (id, text) VALUES (2, :text)";
			Map<String, Object> values = new java.util.HashMap<>();
			values.put("text", null);
			Throwable error = catchThrowable(() -> database.execute(sql, values).block(TIMEOUT));
			assertThat(error).isExactlyInstanceOf(DataIntegrityViolationException.class);
			assertThat(((DatabaseException) error.getCause()).sqlState()).isIn("23502", "23000");
			Throwable fromClient = catchThrowable(
					() -> client.sql("INSERT INTO dao_notes (id, text) VALUES (2, NULL)").then().block(TIMEOUT));
			assertThat(error).as("the type DatabaseClient throws").hasSameClassAs(fromClient);
		});
	}

	@ParameterizedTest
	@MethodSource("urls")
	void errorsInsideATransactionAreTranslatedToo(String url) {
		withTable(url, (database, client) -> {
			Throwable error = catchThrowable(() -> database
				.transaction((tx) -> tx.connection().execute("INSERT INTO dao_notes (id, text) VALUES (3, 'three')")
					.then(tx.connection().execute("INSERT INTO dao_notes (id, text) VALUES (1, 'again')")))
				.block(TIMEOUT));
			assertThat(error).isInstanceOf(DuplicateKeyException.class);
			assertThat(database.fetchVal("SELECT COUNT(*) FROM dao_notes", Long.class).block(TIMEOUT))
				.as("rolled back").isEqualTo(1L);
		});
	}

	@Test
	void badSqlAndMisuseShouldBeTheirDataAccessExceptions() {
		withTable(h2(), (database, client) -> {
			assertThat(catchThrowable(() -> database.execute("SELEKT 1").block(TIMEOUT)))
				.isInstanceOf(InvalidDataAccessResourceUsageException.class);
			assertThat(catchThrowable(() -> database.execute("SELECT :missing").block(TIMEOUT)))
				.isInstanceOf(InvalidDataAccessApiUsageException.class)
				.hasMessageContaining("missing");
		});
		Database closed = new Database(h2());
		assertThat(new DataAccessExceptionTranslator()
			.apply(catchThrowableOfDatabase(() -> closed.execute("SELECT 1").block(TIMEOUT))))
			.isInstanceOf(InvalidDataAccessApiUsageException.class);
		assertThat(new DataAccessExceptionTranslator()
			.apply(new dev.databases.ConnectionException("lost", null, 0, null, null)))
			.isInstanceOf(DataAccessResourceFailureException.class);
	}

	@Test
	void runWithoutSpringR2dbcShouldKeepTheDatabaseExceptions() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class,
					DatabaseExceptionTranslationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ConnectionFactoryUtils.class))
			.withPropertyValues("databases.url=" + h2())
			.run((context) -> {
				assertThat(context).doesNotHaveBean("databaseExceptionTranslation");
				assertThat(catchThrowable(() -> context.getBean(Database.class).execute("SELEKT 1").block(TIMEOUT)))
					.isInstanceOf(DatabaseException.class);
			});
	}

	@Test
	void aCustomizerOfYoursMayRemoveTheTranslator() {
		this.contextRunner.withPropertyValues("databases.url=" + h2())
			.withBean(DatabaseBuilderCustomizer.class, () -> (builder) -> builder.exceptionTranslator(null))
			.run((context) -> {
				assertThat(context).hasBean("databaseExceptionTranslation");
				assertThat(catchThrowable(() -> context.getBean(Database.class).execute("SELEKT 1").block(TIMEOUT)))
					.isInstanceOf(DatabaseException.class);
			});
	}

	private static DatabaseException catchThrowableOfDatabase(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
		return (DatabaseException) catchThrowable(call);
	}

	private void withTable(String url, java.util.function.BiConsumer<Database, DatabaseClient> work) {
		this.contextRunner.withPropertyValues("databases.url=" + url).run((context) -> {
			Database database = context.getBean(Database.class);
			database.execute("DROP TABLE IF EXISTS dao_notes").block(TIMEOUT);
			database.execute("CREATE TABLE dao_notes (id INTEGER PRIMARY KEY, text VARCHAR(100) NOT NULL)").block(TIMEOUT);
			try {
				database.execute("INSERT INTO dao_notes (id, text) VALUES (1, 'one')").block(TIMEOUT);
				work.accept(database, context.getBean(DatabaseClient.class));
			}
			finally {
				database.execute("DROP TABLE IF EXISTS dao_notes").block(TIMEOUT);
			}
		});
	}

}

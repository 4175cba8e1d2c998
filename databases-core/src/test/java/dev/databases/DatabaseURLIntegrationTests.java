package dev.databases;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that the URLs {@link DatabaseURL} makes reach real databases: H2 always, PostgreSQL
 * and MySQL/MariaDB when {@code DATABASES_TEST_URLS} lists them (a missing one fails
 * instead of being skipped when {@code DATABASES_TEST_REQUIRE=all}).
 */
class DatabaseURLIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void h2MemShouldOutliveItsConnectionsAndBeTheDatabaseJdbcSees() throws SQLException {
		DatabaseURL url = DatabaseURL.parse("h2:mem://sa@/" + unique());
		update(url, "CREATE TABLE notes (id INT PRIMARY KEY, text VARCHAR(100))");
		// A new connection after the first closed: DB_CLOSE_DELAY=-1 kept the database.
		update(url, "INSERT INTO notes VALUES (1, 'kept')");
		assertThat(jdbcText(url)).isEqualTo("kept");
	}

	@Test
	void h2FileAbsoluteShouldBeTheFileJdbcOpens(@TempDir Path directory) throws SQLException {
		Path file = directory.resolve("notes");
		DatabaseURL url = DatabaseURL.parse("h2:file:///" + file.toAbsolutePath().toString().replace('\\', '/'));
		assertThat(url.database()).isEqualTo(file.toAbsolutePath().toString().replace('\\', '/'));
		update(url, "CREATE TABLE notes (id INT PRIMARY KEY, text VARCHAR(100))");
		update(url, "INSERT INTO notes VALUES (1, 'on disk')");
		assertThat(directory.resolve("notes.mv.db")).exists();
		assertThat(jdbcText(url)).isEqualTo("on disk");
	}

	@Test
	void h2FileRelativeShouldBeRelativeToTheWorkingDirectory() throws SQLException {
		String relative = "target/databaseurl-tests/" + unique() + "/notes";
		DatabaseURL url = DatabaseURL.parse("h2:file:///" + relative);
		assertThat(url.database()).isEqualTo(relative);
		update(url, "CREATE TABLE notes (id INT PRIMARY KEY, text VARCHAR(100))");
		update(url, "INSERT INTO notes VALUES (1, 'relative')");
		assertThat(Path.of(relative + ".mv.db")).exists();
		assertThat(jdbcText(url)).isEqualTo("relative");
	}

	@Test
	void postgresqlShouldConnectThroughTheR2dbcUrl() {
		DatabaseURL url = server("postgresql");
		StepVerifier.create(value(url, "SELECT 1").map((one) -> ((Number) one).intValue()))
			.expectNext(1)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(value(url.withOption("ssl", false), "SELECT 1")).expectNextCount(1).expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void postgresqlWhenSslIsRequiredAndTheServerHasNoneShouldNotConnect() {
		DatabaseURL url = server("postgresql");
		Object ssl = value(url, "SHOW ssl").block(TIMEOUT);
		assumeTrue("off".equals(ssl), "the server has TLS on");
		StepVerifier.create(value(url.withOption("ssl", true), "SELECT 1")).expectError().verify(TIMEOUT);
		StepVerifier.create(value(url.withOption("ssl", "verify-full"), "SELECT 1")).expectError().verify(TIMEOUT);
		// "prefer" falls back to plain text, as libpq does.
		StepVerifier.create(value(url.withOption("ssl", "prefer"), "SELECT 1")).expectNextCount(1).expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void mysqlShouldConnectThroughTheR2dbcUrl() {
		DatabaseURL url = server("mysql", "mariadb");
		StepVerifier.create(value(url, "SELECT 1").map((one) -> ((Number) one).intValue()))
			.expectNext(1)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(value(url.withOption("ssl", "disable"), "SELECT 1")).expectNextCount(1).expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void mysqlWhenSslIsRequiredAndTheServerHasNoneShouldNotConnect() {
		DatabaseURL url = server("mysql", "mariadb");
		Object haveSsl = Mono
			.usingWhen(ConnectionFactories.get(url.toR2dbcUrl()).create(),
					(connection) -> Flux.from(connection.createStatement("SHOW VARIABLES LIKE 'have_ssl'").execute())
						.flatMap((result) -> result.map((row, metadata) -> Objects.requireNonNull(row.get(1))))
						.next(),
					Connection::close)
			.block(TIMEOUT);
		assumeTrue("DISABLED".equals(haveSsl), "the server has TLS on");
		StepVerifier.create(value(url.withOption("ssl", true), "SELECT 1")).expectError().verify(TIMEOUT);
	}

	private static String unique() {
		return "t" + UUID.randomUUID().toString().replace("-", "");
	}

	/** The first URL of DATABASES_TEST_URLS with one of these dialects. */
	private static DatabaseURL server(String... dialects) {
		String urls = System.getenv("DATABASES_TEST_URLS");
		DatabaseURL found = (urls == null) ? null
				: Arrays.stream(urls.split(","))
					.map(String::strip)
					.filter((text) -> !text.isEmpty())
					.map(DatabaseURL::parse)
					.filter((url) -> Arrays.asList(dialects).contains(url.dialect()))
					.findFirst()
					.orElse(null);
		if (found == null) {
			String reason = "No " + String.join(" or ", dialects) + " URL in DATABASES_TEST_URLS";
			if ("all".equalsIgnoreCase(Objects.toString(System.getenv("DATABASES_TEST_REQUIRE"), ""))) {
				fail(reason + " and DATABASES_TEST_REQUIRE=all");
			}
			assumeTrue(false, reason);
		}
		return found;
	}

	private static void update(DatabaseURL url, String sql) {
		ConnectionFactory factory = ConnectionFactories.get(url.toR2dbcUrl());
		Mono<Long> rows = Mono.usingWhen(factory.create(),
				(connection) -> Flux.from(connection.createStatement(sql).execute())
					.flatMap((result) -> result.getRowsUpdated())
					.reduce(0L, Long::sum),
				Connection::close);
		StepVerifier.create(rows).expectNextCount(1).expectComplete().verify(TIMEOUT);
	}

	private static Mono<Object> value(DatabaseURL url, String sql) {
		return Mono.usingWhen(Mono.defer(() -> Mono.from(ConnectionFactories.get(url.toR2dbcUrl()).create())),
				(connection) -> Flux.from(connection.createStatement(sql).execute())
					.flatMap((result) -> result.map((row, metadata) -> Objects.requireNonNull(row.get(0))))
					.next(),
				Connection::close);
	}

	private static @Nullable String jdbcText(DatabaseURL url) throws SQLException {
		String user = Objects.toString(url.username(), "");
		String password = Objects.toString(url.password(), "");
		assertThat(url.toJdbcUrl().toLowerCase(Locale.ROOT)).doesNotContain("user=");
		try (java.sql.Connection connection = DriverManager.getConnection(url.toJdbcUrl(), user, password);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT text FROM notes WHERE id = 1")) {
			return rows.next() ? rows.getString(1) : null;
		}
	}

}

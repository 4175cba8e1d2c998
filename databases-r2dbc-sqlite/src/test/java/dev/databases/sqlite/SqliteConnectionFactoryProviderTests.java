package dev.databases.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.databases.sqlite.SqliteConnectionConfiguration.BeginMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SqliteConnectionFactoryProvider}.
 *
 * @author databases
 */
class SqliteConnectionFactoryProviderTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void getWhenRelativeUrlShouldUseAFileInTheWorkingDirectory() throws Exception {
		String name = "target/provider-" + UUID.randomUUID() + ".db";
		ConnectionFactory factory = ConnectionFactories.get("r2dbc:sqlite:///" + name);
		assertThat(configuration(factory).getDatabase()).isEqualTo(name);
		assertThat(configuration(factory).isInMemory()).isFalse();
		StepVerifier.create(Mono.usingWhen(factory.create(),
				(connection) -> SqliteConnectionFactoryTests.execute(connection, "CREATE TABLE t (v)"),
				Connection::close))
			.expectNext(0L)
			.expectComplete()
			.verify(TIMEOUT);
		Path file = Path.of(name).toAbsolutePath();
		assertThat(file).exists();
		Files.deleteIfExists(file);
	}

	@Test
	void getWhenAbsoluteUrlShouldKeepTheLeadingSlash() {
		assertThat(configuration(ConnectionFactories.get("r2dbc:sqlite:////var/data/abs.db")).getDatabase())
			.isEqualTo("/var/data/abs.db");
	}

	@Test
	void getWhenMemoryUrlShouldUseMemory() {
		assertThat(configuration(ConnectionFactories.get("r2dbc:sqlite:///:memory:")).isInMemory()).isTrue();
		assertThat(configuration(ConnectionFactories.get("r2dbc:sqlite:///")).isInMemory()).isTrue();
		assertThat(configuration(ConnectionFactories.get(ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "sqlite")
			.option(ConnectionFactoryOptions.DATABASE, "")
			.build())).isInMemory()).isTrue();
	}

	@Test
	void getWhenOptionsInUrlShouldApplyThem() {
		SqliteConnectionConfiguration configuration = configuration(ConnectionFactories.get(
				"r2dbc:sqlite:///x.db?busy_timeout=2s&journal_mode=truncate&foreign_keys=false&begin_mode=immediate"
						+ "&synchronous=full&statementTimeout=PT3S&cache_size=-2000&maxSize=4"));
		assertThat(configuration.getBusyTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(configuration.getJournalMode()).isEqualTo("TRUNCATE");
		assertThat(configuration.isForeignKeys()).isFalse();
		assertThat(configuration.getBeginMode()).isEqualTo(BeginMode.IMMEDIATE);
		assertThat(configuration.getSynchronous()).isEqualTo("FULL");
		assertThat(configuration.getStatementTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(configuration.getPragmas()).containsEntry("cache_size", "-2000");
	}

	@Test
	void getWhenTypedOptionsShouldApplyThem() {
		SqliteConnectionConfiguration configuration = configuration(ConnectionFactories
			.get(ConnectionFactoryOptions.builder()
				.option(ConnectionFactoryOptions.DRIVER, "sqlite")
				.option(ConnectionFactoryOptions.DATABASE, "x.db")
				.option(SqliteConnectionFactoryProvider.BUSY_TIMEOUT, Duration.ofMillis(1500))
				.option(SqliteConnectionFactoryProvider.READ_ONLY, true)
				.build()));
		assertThat(configuration.getBusyTimeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(configuration.isReadOnly()).isTrue();
		assertThat(configuration.getJournalMode()).isNull();
	}

	@Test
	void getWhenLockWaitTimeoutShouldUseItAsBusyTimeout() {
		assertThat(configuration(ConnectionFactories.get("r2dbc:sqlite:///x.db?lockWaitTimeout=750")).getBusyTimeout())
			.isEqualTo(Duration.ofMillis(750));
	}

	@Test
	void getWhenDefaultsShouldBeDocumentedOnes() {
		SqliteConnectionConfiguration file = configuration(ConnectionFactories.get("r2dbc:sqlite:///x.db"));
		assertThat(file.getBusyTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(file.getJournalMode()).isEqualTo("WAL");
		assertThat(file.getSynchronous()).isEqualTo("NORMAL");
		assertThat(file.isForeignKeys()).isTrue();
		assertThat(file.getBeginMode()).isEqualTo(BeginMode.DEFERRED);
		SqliteConnectionConfiguration memory = configuration(ConnectionFactories.get("r2dbc:sqlite:///:memory:"));
		assertThat(memory.getJournalMode()).isNull();
		assertThat(memory.getSynchronous()).isNull();
	}

	@Test
	void getWhenOptionValueIsInvalidShouldFailNamingOptionAndValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?busy_timeout=soon"))
			.withMessageContaining("busy_timeout")
			.withMessageContaining("soon");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?journal_mode=fast"))
			.withMessageContaining("journal_mode")
			.withMessageContaining("WAL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?begin_mode=later"))
			.withMessageContaining("begin_mode");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?foreign_keys=maybe"))
			.withMessageContaining("foreign_keys");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///:memory:?read_only=true"))
			.withMessageContaining("read_only");
	}

	@Test
	void supportsShouldMatchOnlyTheSqliteDriver() {
		SqliteConnectionFactoryProvider provider = new SqliteConnectionFactoryProvider();
		assertThat(provider.supports(ConnectionFactoryOptions.parse("r2dbc:sqlite:///x.db"))).isTrue();
		assertThat(provider.supports(ConnectionFactoryOptions.parse("r2dbc:h2:mem:///x"))).isFalse();
		assertThat(provider.getDriver()).isEqualTo("sqlite");
	}

	private static SqliteConnectionConfiguration configuration(ConnectionFactory factory) {
		assertThat(factory).isInstanceOf(SqliteConnectionFactory.class);
		assertThat(factory.getMetadata().getName()).isEqualTo("SQLite");
		return ((SqliteConnectionFactory) factory).getConfiguration();
	}

}

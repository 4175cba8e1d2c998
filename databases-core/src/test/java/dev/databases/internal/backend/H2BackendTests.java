package dev.databases.internal.backend;

import java.util.Map;

import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlOptionException;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static dev.databases.internal.backend.TestUrls.jdbc;
import static dev.databases.internal.backend.TestUrls.r2dbc;
import static dev.databases.internal.backend.TestUrls.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** How H2's backend spells its URLs for r2dbc-h2 and H2's JDBC driver, and what it refuses. */
class H2BackendTests {

	private final H2Backend backend = new H2Backend();

	@Test
	void aLocalValidationShouldAskTheSessionWithoutAQuery() {
		ConnectionFactory factory = this.backend
			.decorate(ConnectionFactories.get("r2dbc:h2:mem:///h2-local-validation?DB_CLOSE_DELAY=-1"));
		Connection connection = Mono.from(factory.create()).block();
		assertThat(connection).isInstanceOf(H2PooledConnection.class);
		// r2dbc-h2 would run SELECT CURRENT_TIMESTAMP for it, parsed anew each time: twice per lease in r2dbc-pool.
		assertThat(Mono.from(connection.validate(ValidationDepth.LOCAL)).block()).isTrue();
		assertThat(Mono.from(connection.validate(ValidationDepth.REMOTE)).block()).isTrue();
		Mono.from(connection.close()).block();
		assertThat(Mono.from(connection.validate(ValidationDepth.LOCAL)).block()).isFalse();
	}

	@Test
	void onlyMemAndFileShouldBeProtocols() {
		assertThatNoException().isThrownBy(() -> Schemes.read("h2:mem"));
		assertThatNoException().isThrownBy(() -> Schemes.read("H2:FILE"));
		assertThatIllegalArgumentException().isThrownBy(() -> Schemes.read("h2:tcp"))
			.withMessage("Invalid h2 URL scheme 'h2:tcp': expected h2:mem (in memory) or h2:file, as in "
					+ "h2:mem:///name, h2:file:///relative/path or h2:file:////absolute/path");
		assertThatIllegalArgumentException().isThrownBy(() -> Schemes.read("h2"))
			.withMessageStartingWith("Invalid h2 URL scheme 'h2'");
	}

	@Test
	void anEmbeddedDatabaseShouldHaveNoHostAndANameButAnR2dbcUrlIsTheDriversBusiness() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.backend.check(url("h2:mem", "srv", "db")))
			.withMessage("Invalid h2 URL: an embedded H2 database has no host or port (found host 'srv'); write "
					+ "h2:mem:///name, h2:file:///relative/path or h2:file:////absolute/path");
		assertThatIllegalArgumentException().isThrownBy(() -> this.backend.check(url("h2:file", null, null)))
			.withMessageStartingWith("Invalid h2 URL: the database name is missing");
		assertThatNoException().isThrownBy(() -> this.backend.check(url("r2dbc:h2:tcp", "srv", "db")));
	}

	@Test
	void hostOptionAndSslShouldBeRefusedNamingTheOption() {
		assertThatExceptionOfType(UrlOptionException.class)
			.isThrownBy(() -> this.backend.check(url("h2:mem", null, "db", "host=x")))
			.satisfies((ex) -> assertThat(ex.option()).isEqualTo("host"))
			.withMessage("Option host is not supported for h2: it has no server");
		assertThatExceptionOfType(UrlOptionException.class)
			.isThrownBy(() -> this.backend.checkSsl(url("h2:mem", null, "db"), SslMode.REQUIRE))
			.satisfies((ex) -> assertThat(ex.option()).isEqualTo("ssl"))
			.withMessageStartingWith("Option ssl=require is not supported for h2: the database is in this process");
		assertThatNoException().isThrownBy(() -> this.backend.checkSsl(url("h2:mem", null, "db"), SslMode.DISABLE));
	}

	@Test
	void memShouldBeInMemoryAlsoBehindAWrapper() {
		assertThat(this.backend.isInMemory(url("h2:mem", null, "db"))).isTrue();
		assertThat(this.backend.isInMemory(url("r2dbc:pool:h2:mem", null, "db"))).isTrue();
		assertThat(this.backend.isInMemory(url("h2:file", null, "db"))).isFalse();
	}

	@Test
	void inMemoryShouldOutliveAMomentWithoutConnectionUnlessTheUserSaysOtherwise() {
		assertThat(r2dbc(url("h2:mem", null, "notes", "MODE=PostgreSQL", "ssl=false")))
			.isEqualTo("r2dbc:h2:mem:///notes?MODE=PostgreSQL&DB_CLOSE_DELAY=-1");
		assertThat(r2dbc(url("h2:mem", null, "notes", "db_close_delay=5")))
			.isEqualTo("r2dbc:h2:mem:///notes?db_close_delay=5");
		assertThat(jdbc(url("h2:mem", null, "notes", "MODE=PostgreSQL")))
			.isEqualTo("jdbc:h2:mem:notes;DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
		assertThat(jdbc(url("h2:mem", null, "notes", "DB_CLOSE_DELAY=5")))
			.isEqualTo("jdbc:h2:mem:notes;DB_CLOSE_DELAY=5");
	}

	@Test
	void aFilePathShouldBeMadeExplicitlyRelative() {
		assertThat(r2dbc(url("h2:file", null, "data/notes"))).isEqualTo("r2dbc:h2:file:///./data/notes");
		assertThat(jdbc(url("h2:file", null, "data/notes"))).isEqualTo("jdbc:h2:file:./data/notes");
		assertThat(jdbc(url("h2:file", null, "/var/notes"))).isEqualTo("jdbc:h2:file:/var/notes");
		assertThat(H2Backend.filePath("~/notes")).isEqualTo("~/notes");
		assertThat(H2Backend.filePath("C:\\notes")).isEqualTo("C:\\notes");
		assertThat(H2Backend.filePath("../notes")).isEqualTo("../notes");
	}

	@Test
	void anR2dbcUrlShouldGoToTheDriverAsItIs() {
		assertThat(r2dbc(url("r2dbc:h2:mem", null, "notes"))).isEqualTo("r2dbc:h2:mem:///notes");
		assertThat(jdbc(url("r2dbc:pool:h2:mem", null, "notes"))).isEqualTo("jdbc:h2:mem:notes;DB_CLOSE_DELAY=-1");
		assertThat(jdbc(url("r2dbc:h2:file", null, "data/notes"))).isEqualTo("jdbc:h2:file:data/notes");
	}

	@Test
	void stopShouldLetAnInMemoryDatabaseCloseUnlessTheUserKeepsItOpen() {
		assertThat(this.backend.stopStatement(true, Map.of())).isEqualTo("SET DB_CLOSE_DELAY 0");
		assertThat(this.backend.stopStatement(true, Map.of("db_close_delay", "10"))).isNull();
		assertThat(this.backend.stopStatement(false, Map.of())).isNull();
	}

}

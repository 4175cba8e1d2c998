package dev.databases.internal.backend;

import dev.databases.internal.url.UrlScheme;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Reading a URL's scheme against the schemes the backends accept. */
class SchemesTests {

	private static final String EXPECTED = "expected postgresql, postgres, mysql, mariadb, sqlite, h2:mem, h2:file or "
			+ "r2dbc:<driver>, with an optional +driver (e.g. postgresql+asyncpg)";

	@Test
	void aSchemeShouldBeReadInLowerCaseWithItsDriverAndProtocol() {
		assertThat(Schemes.read("Postgres+AsyncPG"))
			.isEqualTo(new UrlScheme("postgres+asyncpg", "postgresql", "asyncpg", null, false));
		assertThat(Schemes.read("h2:mem")).isEqualTo(new UrlScheme("h2:mem", "h2", null, "mem", false));
	}

	@Test
	void anR2dbcSchemeShouldNameItsDriverBehindAWrapper() {
		assertThat(Schemes.read("r2dbc:pool:postgres"))
			.isEqualTo(new UrlScheme("r2dbc:pool:postgres", "postgresql", null, "postgres", true));
		assertThat(Schemes.read("r2dbc:h2:mem")).isEqualTo(new UrlScheme("r2dbc:h2:mem", "h2", null, "mem", true));
		assertThat(Schemes.read("r2dbc:pool")).isEqualTo(new UrlScheme("r2dbc:pool", "pool", null, null, true));
		assertThat(Schemes.read("r2dbc:cockroach").dialect()).isEqualTo("cockroach");
	}

	@Test
	void anUnknownOrMalformedSchemeShouldFailListingTheKnownOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> Schemes.read("oracle"))
			.withMessage("Unknown database URL scheme 'oracle': " + EXPECTED);
		assertThatIllegalArgumentException().isThrownBy(() -> Schemes.read("r2dbc"))
			.withMessage("Unknown database URL scheme 'r2dbc': " + EXPECTED);
		assertThatIllegalArgumentException().isThrownBy(() -> Schemes.read("mysql:x"))
			.withMessage("Unknown database URL scheme 'mysql:x': " + EXPECTED);
		assertThatIllegalArgumentException().isThrownBy(() -> Schemes.read("postgresql+"))
			.withMessage("Invalid database URL scheme 'postgresql+': the driver after '+' is empty; expected e.g. "
					+ "postgresql+asyncpg or just postgresql");
		assertThatIllegalArgumentException().isThrownBy(() -> Schemes.read("1db"))
			.withMessageStartingWith("Invalid database URL: the scheme must start with a letter");
	}

	@Test
	void onlyDatabasesWithOtherFormsShouldAddThemToAMissingSeparatorMessage() {
		assertThat(Schemes.missingSeparatorHint("h2"))
			.isEqualTo("; write h2:mem:///name, h2:file:///relative/path or h2:file:////absolute/path");
		assertThat(Schemes.missingSeparatorHint("postgresql")).isEmpty();
		assertThat(Schemes.missingSeparatorHint("secret")).isEmpty();
	}

	@Test
	void anUnsupportedDatabaseShouldHaveNoBackend() {
		assertThatIllegalArgumentException().isThrownBy(() -> Backend.of("oracle", "the test"))
			.withMessage("Unsupported database 'oracle' in the test: expected " + Backend.SUPPORTED);
		assertThat(Backend.find("POSTGRES")).isInstanceOf(PostgresBackend.class);
	}

}

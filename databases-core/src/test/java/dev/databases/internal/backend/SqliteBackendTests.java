package dev.databases.internal.backend;

import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlOptionException;
import org.junit.jupiter.api.Test;

import static dev.databases.internal.backend.TestUrls.jdbc;
import static dev.databases.internal.backend.TestUrls.r2dbc;
import static dev.databases.internal.backend.TestUrls.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** How SQLite's backend spells its URLs for databases-r2dbc-sqlite and sqlite-jdbc, and what it refuses. */
class SqliteBackendTests {

	private static final String FORMS = "sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:///:memory:";

	private final SqliteBackend backend = new SqliteBackend();

	@Test
	void aFileShouldHaveNoUserNorHost() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.backend.check(url("sqlite", "u", null, null, (Integer) null, "x.db")))
			.withMessage("Invalid sqlite URL: SQLite has no user or password; write " + FORMS);
		assertThatIllegalArgumentException().isThrownBy(() -> this.backend.check(url("sqlite", "srv", "x.db")))
			.withMessage("Invalid sqlite URL: SQLite has no host or port (found host 'srv'); write " + FORMS);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.backend.check(url("sqlite", null, null, null, 1, "x.db")))
			.withMessage("Invalid sqlite URL: SQLite has no host or port; write " + FORMS);
		assertThatNoException().isThrownBy(() -> this.backend.check(url("r2dbc:sqlite", "srv", "x.db")));
	}

	@Test
	void hostOptionAndSslShouldBeRefusedNamingTheOption() {
		assertThatExceptionOfType(UrlOptionException.class)
			.isThrownBy(() -> this.backend.check(url("r2dbc:sqlite", null, "x.db", "host=h")))
			.withMessage("Option host is not supported for sqlite: it has no server");
		assertThatExceptionOfType(UrlOptionException.class)
			.isThrownBy(() -> this.backend.checkSsl(url("sqlite", null, "x.db"), SslMode.PREFER))
			.withMessageStartingWith("Option ssl=prefer is not supported for sqlite");
	}

	@Test
	void memoryShouldBeSeenInEachOfItsForms() {
		assertThat(this.backend.isInMemory(url("sqlite", null, null))).isTrue();
		assertThat(this.backend.isInMemory(url("sqlite", null, ":memory:"))).isTrue();
		assertThat(this.backend.isInMemory(url("sqlite", null, "file::memory:", "cache=shared"))).isTrue();
		assertThat(this.backend.isInMemory(url("sqlite", null, "x.db", "mode=memory"))).isTrue();
		assertThat(this.backend.isInMemory(url("sqlite", null, "x.db"))).isFalse();
	}

	@Test
	void r2dbcUrlShouldKeepThePathAndNameMemoryWhenThereIsNone() {
		assertThat(r2dbc(url("sqlite", null, "relative.db", "begin_mode=immediate", "max_size=1")))
			.isEqualTo("r2dbc:sqlite:///relative.db?begin_mode=immediate");
		assertThat(r2dbc(url("sqlite", null, "/abs/x.db"))).isEqualTo("r2dbc:sqlite:////abs/x.db");
		assertThat(r2dbc(url("sqlite", null, null))).isEqualTo("r2dbc:sqlite:///:memory:");
		assertThat(r2dbc(url("r2dbc:sqlite", null, null))).isEqualTo("r2dbc:sqlite://");
	}

	@Test
	void jdbcUrlShouldBeThePathWithItsOptions() {
		assertThat(jdbc(url("sqlite", null, "relative.db", "journal_mode=WAL")))
			.isEqualTo("jdbc:sqlite:relative.db?journal_mode=WAL");
		assertThat(jdbc(url("sqlite", null, "/abs/x.db"))).isEqualTo("jdbc:sqlite:/abs/x.db");
		assertThat(jdbc(url("sqlite", null, null))).isEqualTo("jdbc:sqlite::memory:");
	}

	@Test
	void withoutSeparatorTheFormsShouldBeShown() {
		assertThat(Schemes.missingSeparatorHint("sqlite")).isEqualTo("; write " + FORMS);
		assertThat(this.backend.sqlFamily()).isEqualTo(SqlFamily.SQLITE);
	}

}

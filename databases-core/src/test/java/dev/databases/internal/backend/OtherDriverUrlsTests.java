package dev.databases.internal.backend;

import dev.databases.internal.url.SslMode;
import dev.databases.internal.url.UrlOptionException;
import dev.databases.internal.url.UrlParts;
import org.junit.jupiter.api.Test;

import static dev.databases.internal.backend.TestUrls.jdbc;
import static dev.databases.internal.backend.TestUrls.r2dbc;
import static dev.databases.internal.backend.TestUrls.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** An R2DBC URL of a driver no backend serves: passed on as R2DBC spells any driver's. */
class OtherDriverUrlsTests {

	@Test
	void aDriverWithoutBackendShouldGetThisSpellingButNoBackend() {
		UrlParts url = url("r2dbc:pool:oracle", "h", "db");
		assertThat(url.dialect()).isEqualTo("oracle");
		assertThat(TestUrls.spelling(url)).isSameAs(OtherDriverUrls.INSTANCE);
		assertThat(Backend.find("oracle")).isNull();
	}

	@Test
	void r2dbcUrlShouldKeepItsSchemeAndOptionsWithSslAsR2dbcsBoolean() {
		assertThat(r2dbc(url("r2dbc:oracle", "scott", "tiger", "h", 1521, "XE", "ssl=require", "max_size=3",
				"unix_sock=/tmp/s")))
			.isEqualTo("r2dbc:oracle://scott:tiger@h:1521/XE?unix_sock=/tmp/s&ssl=true");
		assertThat(r2dbc(url("r2dbc:oracle", null, "XE", "ssl=false"))).isEqualTo("r2dbc:oracle:///XE?ssl=false");
	}

	@Test
	void theHostOptionShouldStandInForAMissingHost() {
		assertThat(r2dbc(url("r2dbc:oracle", null, "XE", "host=db.example"))).isEqualTo("r2dbc:oracle://db.example/XE");
	}

	@Test
	void onlyTrueOrFalseShouldBeAcceptedForSsl() {
		UrlParts url = url("r2dbc:oracle", "h", "db");
		assertThatNoException().isThrownBy(() -> OtherDriverUrls.INSTANCE.checkSsl(url, SslMode.DISABLE));
		assertThatNoException().isThrownBy(() -> OtherDriverUrls.INSTANCE.checkSsl(url, SslMode.REQUIRE));
		assertThatExceptionOfType(UrlOptionException.class)
			.isThrownBy(() -> OtherDriverUrls.INSTANCE.checkSsl(url, SslMode.VERIFY_CA))
			.satisfies((ex) -> assertThat(ex.option()).isEqualTo("ssl"))
			.withMessage("Option ssl=verify-ca is not supported for r2dbc:oracle URLs: only true or false can be "
					+ "passed on (as R2DBC's ssl option); use the driver's own option instead");
	}

	@Test
	void thereShouldBeNoJdbcForm() {
		assertThatIllegalStateException().isThrownBy(() -> jdbc(url("r2dbc:oracle", "h", "db")))
			.withMessage("No JDBC URL for r2dbc:oracle URLs: only postgresql, mysql, mariadb, sqlite and h2 have a "
					+ "JDBC form");
	}

}

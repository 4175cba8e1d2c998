package dev.databases;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A bad option fails with a typed exception that names the option, wherever it was given. */
class InvalidOptionExceptionTests {

	@Test
	void badBuilderValueShouldNameItsOption() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> Database.builder("h2:mem:///options").option("max_size", 0).build())
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.option()).isEqualTo("max_size"))
			.withMessageContaining("max_size");
	}

	@Test
	void badUrlValueShouldNameItsOption() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> new Database("postgresql://localhost/app?acquire_timeout=soon"))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.option()).isEqualTo("acquire_timeout"));
	}

	@Test
	void minSizeAboveMaxSizeShouldNameMinSize() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> Database.builder("h2:mem:///options").option("min_size", 5).option("max_size", 2).build())
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.option()).isEqualTo("min_size"));
	}

	@Test
	void optionNotAcceptedForTheDatabaseShouldNameIt() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> DatabaseURL.parse("sqlite:///app.db?ssl=require"))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.option()).isEqualTo("ssl"));
	}

	@Test
	void aBadUrlThatIsNotAnOptionShouldStayAPlainIllegalArgument() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> DatabaseURL.parse("postgresql:/x"))
			.isNotInstanceOf(InvalidOptionException.class);
	}

}

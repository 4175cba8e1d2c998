package dev.databases;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link JsonCodec}: both Jackson generations write and read the same documents,
 * and Jackson 3 is the one chosen when both are present.
 */
class JsonCodecTests {

	record Doc(String title, List<String> tags) {
	}

	record Unwritable(String secret) {

		@Override
		public String secret() {
			throw new IllegalStateException("cannot be read");
		}

	}

	@Test
	void jackson3IsChosenWhenBothArePresent() {
		assertThat(JsonCodec.AVAILABLE).isInstanceOf(Jackson3Codec.class);
	}

	@Test
	void jackson3WritesAndReadsRecords() {
		roundTrip(new Jackson3Codec());
		assertThat(new Jackson3Codec().isTree(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()))
			.isTrue();
	}

	@Test
	void jackson2WritesAndReadsRecords() {
		roundTrip(new Jackson2Codec());
		assertThat(new Jackson2Codec()
			.isTree(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())).isTrue();
	}

	@Test
	void documentsAreRecordsMapsAndTreesButNotCollectionsOrPlainValues() {
		assertThat(JsonCodec.isDocument(new Doc("a", List.of()), null)).isTrue();
		assertThat(JsonCodec.isDocument(Map.of(), null)).isTrue();
		assertThat(JsonCodec.isDocument(List.of(1), JsonCodec.AVAILABLE)).as("IN (:ids) expands lists").isFalse();
		assertThat(JsonCodec.isDocument("{}", JsonCodec.AVAILABLE)).isFalse();
		assertThat(JsonCodec.isDocument(tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode(),
				JsonCodec.AVAILABLE)).isTrue();
	}

	private static void roundTrip(JsonCodec codec) {
		Doc doc = new Doc("notes", List.of("a", "b"));
		String json = codec.write(doc);
		assertThat(json).isEqualTo("{\"title\":\"notes\",\"tags\":[\"a\",\"b\"]}");
		assertThat(codec.read(json, Doc.class)).isEqualTo(doc);
		assertThat(codec.read("{\"title\":", Doc.class)).as("a broken document").isNull();
		assertThatIllegalArgumentException().isThrownBy(() -> codec.write(new Unwritable("s")))
			.withMessage("Cannot write a " + Unwritable.class.getName() + " as JSON");
	}

}

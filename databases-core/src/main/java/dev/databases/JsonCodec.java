package dev.databases;

import org.jspecify.annotations.Nullable;

/**
 * Writes bound values as JSON and reads JSON columns into Java types, through Jackson when
 * it is on the class path: Jackson 3 ({@code tools.jackson}, what Spring Boot 4 brings)
 * before Jackson 2. Jackson stays an optional dependency: the implementation classes are
 * loaded only after the presence check, so without Jackson none of its types is touched.
 */
interface JsonCodec {

	/** The codec of the Jackson found on the class path, or {@code null} without Jackson. */
	@Nullable JsonCodec AVAILABLE = Detection.detect();

	/**
	 * The JSON document for {@code value}.
	 * @param value a Java record, a Map or a Jackson tree
	 * @return the JSON text
	 */
	String write(Object value);

	/**
	 * Read a JSON document as {@code type}.
	 * @param json the JSON text
	 * @param type the type to read it as
	 * @return the value, or {@code null} when the document does not fit the type
	 */
	@Nullable Object read(String json, Class<?> type);

	/**
	 * Whether {@code value} is a JSON tree of this Jackson ({@code JsonNode}).
	 * @param value a bound value
	 * @return whether to write it as JSON
	 */
	boolean isTree(Object value);

	/**
	 * Whether a bound value is written as JSON: a Java record, a Map (a {@link Record}
	 * too) or a Jackson tree. Collections are not: they expand {@code IN (:ids)}.
	 * @param value a bound value
	 * @param codec the codec, or {@code null} without Jackson
	 * @return whether the value is a JSON document
	 */
	static boolean isDocument(Object value, @Nullable JsonCodec codec) {
		return value.getClass().isRecord() || value instanceof java.util.Map
				|| (codec != null && codec.isTree(value));
	}

	/** Finds Jackson by class presence, as {@link ScopeResolver} finds Spring. */
	final class Detection {

		private Detection() {
		}

		static @Nullable JsonCodec detect() {
			if (isPresent("tools.jackson.databind.json.JsonMapper")) {
				return new Jackson3Codec();
			}
			if (isPresent("com.fasterxml.jackson.databind.ObjectMapper")) {
				return new Jackson2Codec();
			}
			return null;
		}

		private static boolean isPresent(String className) {
			try {
				Class.forName(className, false, JsonCodec.class.getClassLoader());
				return true;
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return false;
			}
		}

	}

}

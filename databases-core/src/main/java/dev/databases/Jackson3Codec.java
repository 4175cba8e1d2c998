package dev.databases;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link JsonCodec} on Jackson 3, with the modules found on the class path. */
final class Jackson3Codec implements JsonCodec {

	private final JsonMapper mapper = JsonMapper.builder().findAndAddModules().build();

	@Override
	public String write(Object value) {
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			// Jackson's message may quote the value; the type is enough to find the cause.
			throw new IllegalArgumentException("Cannot write a " + value.getClass().getName() + " as JSON", null);
		}
	}

	@Override
	public @Nullable Object read(String json, Class<?> type) {
		try {
			return this.mapper.readValue(json, type);
		}
		catch (JacksonException ex) {
			// Jackson's message quotes the document, which may hold secrets: the caller says what failed.
			return null;
		}
	}

	@Override
	public boolean isTree(Object value) {
		return value instanceof JsonNode;
	}

}

package dev.databases;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@link JsonCodec} on Jackson 2, with the modules found on the class path. */
final class Jackson2Codec implements JsonCodec {

	private final ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();

	@Override
	public String write(Object value) {
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			// Jackson's message may quote the value; the type is enough to find the cause.
			throw new IllegalArgumentException("Cannot write a " + value.getClass().getName() + " as JSON", null);
		}
	}

	@Override
	public @Nullable Object read(String json, Class<?> type) {
		try {
			return this.mapper.readValue(json, type);
		}
		catch (JsonProcessingException ex) {
			// Jackson's message quotes the document, which may hold secrets: the caller says what failed.
			return null;
		}
	}

	@Override
	public boolean isTree(Object value) {
		return value instanceof JsonNode;
	}

}

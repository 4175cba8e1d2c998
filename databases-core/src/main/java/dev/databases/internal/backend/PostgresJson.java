package dev.databases.internal.backend;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jspecify.annotations.Nullable;

/**
 * r2dbc-postgresql's {@code io.r2dbc.postgresql.codec.Json}, reached by name: the core does
 * not depend on any driver, and PostgreSQL takes a JSON parameter only in that type.
 */
final class PostgresJson {

	private static final String JSON = "io.r2dbc.postgresql.codec.Json";

	private PostgresJson() {
	}

	/** Whether {@code type} is the driver's JSON type, as a JSON or JSONB column reports it. */
	static boolean isJson(@Nullable Class<?> type) {
		return type != null && type.getName().equals(JSON);
	}

	/** The driver's {@code Json.of(json)}. */
	static Object of(String json) {
		try {
			return Factory.OF.invoke(json);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException("r2dbc-postgresql's Json.of failed", ex);
		}
	}

	/** Looked up on first use, so a PostgreSQL backend without JSON never loads it. */
	private static final class Factory {

		static final MethodHandle OF = find();

		private static MethodHandle find() {
			try {
				Class<?> json = Class.forName(JSON, true, PostgresJson.class.getClassLoader());
				return MethodHandles.publicLookup()
					.findStatic(json, "of", MethodType.methodType(json, String.class))
					.asType(MethodType.methodType(Object.class, String.class));
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("Binding JSON on PostgreSQL needs r2dbc-postgresql's " + JSON, ex);
			}
		}

	}

}

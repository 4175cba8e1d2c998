package dev.databases.internal.backend;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import io.r2dbc.spi.Connection;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * r2dbc-postgresql's {@code cancelRequest()}, reached by name as the core depends on no
 * driver: PostgreSQL's cancel request, sent on a connection of its own, which stops the
 * statement the session runs now. Its Mono ends once the server has taken the request and
 * closed that connection.
 */
final class PostgresCancelRequest {

	private static final String API = "io.r2dbc.postgresql.api.PostgresqlConnection";

	private PostgresCancelRequest() {
	}

	/** Ask the server to stop what {@code physical}'s session runs; empty when it is not r2dbc-postgresql's. */
	@SuppressWarnings("unchecked")
	static Mono<Void> send(Connection physical) {
		MethodHandle cancel = Lookup.CANCEL;
		if (cancel == null || !Lookup.api().isInstance(physical)) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			try {
				return (Mono<Void>) cancel.invoke(physical);
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				return Mono.error(ex);
			}
		});
	}

	/** Looked up on first use, so that a backend that never cancels never loads the driver's API. */
	private static final class Lookup {

		static final @Nullable Class<?> API_TYPE = load();

		static final @Nullable MethodHandle CANCEL = find();

		static Class<?> api() {
			return java.util.Objects.requireNonNull(API_TYPE);
		}

		private static @Nullable Class<?> load() {
			try {
				return Class.forName(API, false, PostgresCancelRequest.class.getClassLoader());
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return null;
			}
		}

		private static @Nullable MethodHandle find() {
			if (API_TYPE == null) {
				return null;
			}
			try {
				return MethodHandles.publicLookup()
					.findVirtual(API_TYPE, "cancelRequest", MethodType.methodType(Mono.class))
					.asType(MethodType.methodType(Mono.class, Connection.class));
			}
			catch (ReflectiveOperationException ex) {
				return null;
			}
		}

	}

}

package dev.databases.internal.backend;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * A value a driver keeps on its connection's private {@code client}, read as
 * {@code client.first().second()} where the drivers offer no public way: found on the first
 * connection and kept, or {@code null} when that connection's class is not the one expected
 * (another driver version), so that the caller falls back to the driver's own behaviour.
 */
final class DriverClientGetter {

	private final String connectionClass;

	private final String first;

	private final String second;

	private final Class<?> type;

	private volatile @Nullable MethodHandle getter;

	private volatile boolean looked;

	/**
	 * @param connectionClass the driver's connection class, by name
	 * @param first the getter on the client
	 * @param second the getter on what {@code first} returns
	 * @param type what {@code second} returns
	 */
	DriverClientGetter(String connectionClass, String first, String second, Class<?> type) {
		this.connectionClass = connectionClass;
		this.first = first;
		this.second = second;
		this.type = type;
	}

	/** {@code (Connection) -> type}, or {@code null} when {@code connection}'s driver has no such path. */
	@Nullable MethodHandle on(io.r2dbc.spi.Connection connection) {
		if (!this.looked) {
			this.getter = find(connection.getClass());
			this.looked = true;
		}
		return this.getter;
	}

	private @Nullable MethodHandle find(Class<?> connection) {
		if (!this.connectionClass.equals(connection.getName())) {
			return null;
		}
		try {
			Field field = connection.getDeclaredField("client");
			field.setAccessible(true);
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			Method first = field.getType().getMethod(this.first);
			Method second = first.getReturnType().getMethod(this.second);
			MethodHandle value = MethodHandles.filterReturnValue(
					MethodHandles.filterReturnValue(lookup.unreflectGetter(field), lookup.unreflect(first)),
					lookup.unreflect(second));
			return value.asType(MethodType.methodType(this.type, io.r2dbc.spi.Connection.class));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}

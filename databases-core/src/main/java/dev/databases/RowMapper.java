package dev.databases;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Maps a {@link Record} to a Java record, a bean or a simple value. The reflective work
 * (constructors, setters, name matching) is done once per type, not per row.
 */
abstract class RowMapper<T> {

	private static final ClassValue<RowMapper<?>> MAPPERS = new ClassValue<>() {

		@Override
		protected RowMapper<?> computeValue(Class<?> type) {
			return create(type);
		}

	};

	@SuppressWarnings("unchecked")
	static <T> RowMapper<T> of(Class<T> type) {
		return (RowMapper<T>) MAPPERS.get(type);
	}

	abstract @Nullable T map(Record record);

	final List<T> mapAll(List<Record> records) {
		List<T> mapped = new ArrayList<>(records.size());
		for (Record record : records) {
			mapped.add(map(record));
		}
		return mapped;
	}

	private static RowMapper<?> create(Class<?> type) {
		if (isSimple(type)) {
			return new SimpleMapper<>(type);
		}
		if (type.isRecord()) {
			return new RecordClassMapper<>(type);
		}
		return new BeanMapper<>(type);
	}

	private static boolean isSimple(Class<?> type) {
		return type.isPrimitive() || type == String.class || Number.class.isAssignableFrom(type)
				|| type == Boolean.class || type == UUID.class || type.isEnum() || type == byte[].class
				|| type == ByteBuffer.class || Temporal.class.isAssignableFrom(type) || type == BigDecimal.class
				|| type == BigInteger.class || type == Object.class;
	}

	/** {@code created_at}, {@code CREATED_AT} and {@code createdAt} all name {@code createdAt}. */
	static String normalise(String name) {
		return name.replace("_", "").toLowerCase(Locale.ROOT);
	}

	private static int column(Record record, String property) {
		List<String> keys = record.keys();
		for (int i = 0; i < keys.size(); i++) {
			if (keys.get(i).equals(property)) {
				return i;
			}
		}
		String wanted = normalise(property);
		for (int i = 0; i < keys.size(); i++) {
			if (normalise(keys.get(i)).equals(wanted)) {
				return i;
			}
		}
		return -1;
	}

	private static final class SimpleMapper<T> extends RowMapper<T> {

		private final Class<T> type;

		SimpleMapper(Class<T> type) {
			this.type = type;
		}

		@Override
		@Nullable T map(Record record) {
			return record.get(0, this.type);
		}

	}

	private static final class RecordClassMapper<T> extends RowMapper<T> {

		private final Class<T> type;

		private final RecordComponent[] components;

		private final Constructor<T> constructor;

		private volatile @Nullable Plan plan;

		RecordClassMapper(Class<T> type) {
			this.type = type;
			this.components = type.getRecordComponents();
			Class<?>[] types = new Class<?>[this.components.length];
			for (int i = 0; i < types.length; i++) {
				types[i] = this.components[i].getType();
			}
			try {
				this.constructor = type.getDeclaredConstructor(types);
				this.constructor.setAccessible(true);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				throw new IllegalArgumentException("Cannot map rows to " + type.getName() + ": " + ex.getMessage(),
						ex);
			}
		}

		@Override
		T map(Record record) {
			Plan plan = planFor(record);
			Object[] args = new Object[this.components.length];
			for (int i = 0; i < args.length; i++) {
				int column = plan.columns[i];
				Class<?> type = this.components[i].getType();
				Object value = (column >= 0) ? record.get(column, type) : null;
				if (value == null && type.isPrimitive()) {
					throw new IllegalArgumentException("Cannot map NULL or missing column '"
							+ this.components[i].getName() + "' to primitive component of " + this.type.getName());
				}
				args[i] = value;
			}
			try {
				return this.constructor.newInstance(args);
			}
			catch (InvocationTargetException ex) {
				throw new IllegalArgumentException("Constructor of " + this.type.getName() + " failed",
						ex.getCause());
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalArgumentException("Cannot create " + this.type.getName(), ex);
			}
		}

		private Plan planFor(Record record) {
			Plan plan = this.plan;
			if (plan == null || !plan.keys.equals(record.keys())) {
				int[] columns = new int[this.components.length];
				for (int i = 0; i < columns.length; i++) {
					columns[i] = column(record, this.components[i].getName());
				}
				plan = new Plan(record.keys(), columns);
				this.plan = plan;
			}
			return plan;
		}

		private record Plan(List<String> keys, int[] columns) {
		}

	}

	private static final class BeanMapper<T> extends RowMapper<T> {

		private final Class<T> type;

		private final Constructor<T> constructor;

		private final Map<String, Method> setters = new HashMap<>();

		BeanMapper(Class<T> type) {
			this.type = type;
			try {
				this.constructor = type.getDeclaredConstructor();
				this.constructor.setAccessible(true);
			}
			catch (NoSuchMethodException ex) {
				throw new IllegalArgumentException("Cannot map rows to " + type.getName()
						+ ": it needs to be a record, or a class with a no-argument constructor and setters", ex);
			}
			for (Method method : type.getMethods()) {
				if (method.getName().startsWith("set") && method.getName().length() > 3
						&& method.getParameterCount() == 1 && !Modifier.isStatic(method.getModifiers())) {
					this.setters.putIfAbsent(normalise(method.getName().substring(3)), method);
				}
			}
		}

		@Override
		T map(Record record) {
			try {
				T bean = this.constructor.newInstance();
				List<String> keys = record.keys();
				for (int i = 0; i < keys.size(); i++) {
					Method setter = this.setters.get(normalise(keys.get(i)));
					if (setter != null) {
						Object value = record.get(i, setter.getParameterTypes()[0]);
						if (value != null || !setter.getParameterTypes()[0].isPrimitive()) {
							setter.invoke(bean, value);
						}
					}
				}
				return bean;
			}
			catch (InvocationTargetException ex) {
				throw new IllegalArgumentException("Mapping a row to " + this.type.getName() + " failed",
						ex.getCause());
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalArgumentException("Cannot create " + this.type.getName(), ex);
			}
		}

	}

}

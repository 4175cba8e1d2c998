package dev.databases.sqlite;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Parameter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Conversions between Java values and SQLite's five storage classes. Bound values become
 * {@code Long}, {@code Double}, {@code String} or {@code byte[]}; dates and times become
 * ISO-8601 text in the form SQLite's date functions read and write
 * ({@code 2024-01-31 13:45:00.5}), instants in UTC as {@code CURRENT_TIMESTAMP} is.
 *
 * @author databases
 */
final class Codecs {

	/**
	 * Marks a parameter that has no value yet.
	 */
	static final Object UNSET = new Object() {

		@Override
		public String toString() {
			return "UNSET";
		}

	};

	/**
	 * Marks a parameter bound to SQL {@code NULL}.
	 */
	static final Object NULL = new Object() {

		@Override
		public String toString() {
			return "NULL";
		}

	};

	private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
		.appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
		.toFormatter();

	private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
		.append(DateTimeFormatter.ISO_LOCAL_DATE)
		.appendLiteral(' ')
		.append(TIME)
		.toFormatter();

	private static final DateTimeFormatter OFFSET_DATE_TIME = new DateTimeFormatterBuilder().append(DATE_TIME)
		.appendOffset("+HH:MM", "+00:00")
		.toFormatter();

	private static final DateTimeFormatter PARSER = new DateTimeFormatterBuilder().parseCaseInsensitive()
		.optionalStart()
		.append(DateTimeFormatter.ISO_LOCAL_DATE)
		.optionalEnd()
		.optionalStart()
		.appendLiteral('T')
		.optionalEnd()
		.optionalStart()
		.append(DateTimeFormatter.ISO_LOCAL_TIME)
		.optionalEnd()
		.optionalStart()
		.appendOffset("+HH:MM", "Z")
		.optionalEnd()
		.toFormatter();

	private Codecs() {
	}

	/**
	 * Turn a bound value into what sqlite-jdbc binds. {@link Blob} and {@link Clob} stay as
	 * they are until {@link #resolve(Object)} reads them.
	 * @param value the value
	 * @return the value to bind
	 * @throws IllegalArgumentException when SQLite cannot store the type
	 */
	static Object encode(Object value) {
		if (value instanceof Parameter.Out) {
			throw new IllegalArgumentException("SQLite has no OUT parameters");
		}
		Object raw = (value instanceof Parameter parameter) ? parameter.getValue() : value;
		if (raw == null) {
			return NULL;
		}
		if (raw instanceof String || raw instanceof Long || raw instanceof Double || raw instanceof Blob
				|| raw instanceof Clob) {
			return raw;
		}
		if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
			return ((Number) raw).longValue();
		}
		if (raw instanceof Boolean bool) {
			return bool ? 1L : 0L;
		}
		if (raw instanceof Float number) {
			return number.doubleValue();
		}
		if (raw instanceof BigDecimal decimal) {
			// text keeps every digit; columns with NUMERIC affinity turn it into a number
			return decimal.toPlainString();
		}
		if (raw instanceof BigInteger integer) {
			return (integer.bitLength() < 64) ? (Object) integer.longValue() : integer.toString();
		}
		if (raw instanceof byte[] bytes) {
			return bytes.clone();
		}
		if (raw instanceof ByteBuffer buffer) {
			ByteBuffer copy = buffer.duplicate();
			byte[] bytes = new byte[copy.remaining()];
			copy.get(bytes);
			return bytes;
		}
		if (raw instanceof CharSequence || raw instanceof Character) {
			return raw.toString();
		}
		if (raw instanceof UUID || raw instanceof Enum<?>) {
			return (raw instanceof Enum<?> constant) ? constant.name() : raw.toString();
		}
		String temporal = encodeTemporal(raw);
		if (temporal != null) {
			return temporal;
		}
		throw new IllegalArgumentException("Cannot bind a value of type " + raw.getClass().getName()
				+ " to SQLite; use a number, boolean, String, byte[], ByteBuffer, Blob, Clob, BigDecimal, UUID,"
				+ " enum or a java.time value");
	}

	private static @Nullable String encodeTemporal(Object value) {
		if (value instanceof LocalDate date) {
			return date.toString();
		}
		if (value instanceof LocalTime time) {
			return TIME.format(time);
		}
		if (value instanceof LocalDateTime dateTime) {
			return DATE_TIME.format(dateTime);
		}
		if (value instanceof Instant instant) {
			return DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
		}
		if (value instanceof OffsetDateTime dateTime) {
			return OFFSET_DATE_TIME.format(dateTime);
		}
		if (value instanceof ZonedDateTime dateTime) {
			return OFFSET_DATE_TIME.format(dateTime.toOffsetDateTime());
		}
		if (value instanceof OffsetTime time) {
			return TIME.format(time) + time.getOffset().getId().replace("Z", "+00:00");
		}
		if (value instanceof java.sql.Timestamp timestamp) {
			return DATE_TIME.format(timestamp.toLocalDateTime());
		}
		if (value instanceof java.sql.Date date) {
			return date.toLocalDate().toString();
		}
		if (value instanceof java.sql.Time time) {
			return TIME.format(time.toLocalTime());
		}
		if (value instanceof Date date) {
			return DATE_TIME.format(date.toInstant().atOffset(ZoneOffset.UTC));
		}
		return null;
	}

	/**
	 * Check a type given to {@code bindNull}.
	 * @param type the type
	 * @throws IllegalArgumentException when the type is {@code null}
	 */
	static void checkNullType(@Nullable Class<?> type) {
		if (type == null) {
			throw new IllegalArgumentException("'type' must not be null");
		}
	}

	/**
	 * Read a {@link Blob} or {@link Clob} without blocking; other values pass through.
	 * @param value an encoded value
	 * @return the value to bind
	 */
	static Mono<Object> resolve(Object value) {
		if (value instanceof Blob blob) {
			return Flux.from(blob.stream()).collect(ByteArrayOutputStream::new, (out, buffer) -> {
				ByteBuffer copy = buffer.duplicate();
				byte[] bytes = new byte[copy.remaining()];
				copy.get(bytes);
				out.write(bytes, 0, bytes.length);
			}).map(ByteArrayOutputStream::toByteArray);
		}
		if (value instanceof Clob clob) {
			return Flux.from(clob.stream())
				.collect(StringBuilder::new, StringBuilder::append)
				.map(StringBuilder::toString);
		}
		return Mono.just(value);
	}

	static boolean needsResolving(Object value) {
		return value instanceof Blob || value instanceof Clob;
	}

	/**
	 * Return the value {@code Row.get(int)} gives for a stored value.
	 * @param value {@code Long}, {@code Double}, {@code String}, {@code byte[]} or
	 * {@code null}
	 * @return the value, with a BLOB as a {@link ByteBuffer}
	 */
	static @Nullable Object defaultValue(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? ByteBuffer.wrap(bytes.clone()) : value;
	}

	/**
	 * Convert a stored value to the requested type.
	 * @param <T> the requested type
	 * @param value {@code Long}, {@code Double}, {@code String}, {@code byte[]} or
	 * {@code null}
	 * @param type the requested type
	 * @param column the column's name, for messages
	 * @return the converted value, {@code null} for SQL {@code NULL}
	 * @throws IllegalArgumentException when the value cannot be converted
	 */
	@SuppressWarnings("unchecked")
	static <T> @Nullable T decode(@Nullable Object value, Class<T> type, String column) {
		if (value == null) {
			return null;
		}
		Class<?> target = wrap(type);
		try {
			Object converted = convert(value, target);
			if (converted == null) {
				throw cannotConvert(value, type, column, null);
			}
			return (T) converted;
		}
		catch (ArithmeticException | NumberFormatException | DateTimeParseException ex) {
			throw cannotConvert(value, type, column, ex);
		}
	}

	private static @Nullable Object convert(Object value, Class<?> target) {
		if (target == Object.class) {
			return defaultValue(value);
		}
		if (target == byte[].class) {
			return (value instanceof byte[] bytes) ? bytes.clone()
					: (value instanceof String text) ? text.getBytes(StandardCharsets.UTF_8) : null;
		}
		if (target == ByteBuffer.class) {
			Object bytes = convert(value, byte[].class);
			return (bytes != null) ? ByteBuffer.wrap((byte[]) bytes) : null;
		}
		if (target == Blob.class) {
			Object bytes = convert(value, byte[].class);
			return (bytes != null) ? Blob.from(Mono.just(ByteBuffer.wrap((byte[]) bytes))) : null;
		}
		if (target.isInstance(value)) {
			return value;
		}
		if (target == Clob.class) {
			return Clob.from(Mono.just(text(value)));
		}
		if (target == String.class) {
			return text(value);
		}
		if (Number.class.isAssignableFrom(target)) {
			return number(value, target);
		}
		if (target == Boolean.class) {
			return bool(value);
		}
		if (target == UUID.class) {
			return uuid(value);
		}
		if (target.isEnum() && value instanceof String name) {
			return enumConstant(target, name);
		}
		return temporal(value, target);
	}

	private static String text(Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return value.toString();
	}

	private static @Nullable Object number(Object value, Class<?> target) {
		if (value instanceof byte[]) {
			return null;
		}
		if (target == BigDecimal.class) {
			if (value instanceof Long number) {
				return BigDecimal.valueOf(number);
			}
			return (value instanceof Double number) ? BigDecimal.valueOf(number) : new BigDecimal(value.toString().trim());
		}
		if (target == BigInteger.class) {
			return (value instanceof Long number) ? BigInteger.valueOf(number)
					: new BigDecimal(value.toString().trim()).toBigIntegerExact();
		}
		if (target == Double.class || target == Float.class) {
			double number = (value instanceof Number n) ? n.doubleValue() : Double.parseDouble(value.toString().trim());
			return (target == Double.class) ? (Object) number : (Object) (float) number;
		}
		long number = integral(value);
		if (target == Long.class) {
			return number;
		}
		if (target == Integer.class) {
			return Math.toIntExact(number);
		}
		if (target == Short.class) {
			if (number != (short) number) {
				throw new ArithmeticException("short overflow");
			}
			return (short) number;
		}
		if (target == Byte.class) {
			if (number != (byte) number) {
				throw new ArithmeticException("byte overflow");
			}
			return (byte) number;
		}
		return null;
	}

	private static long integral(Object value) {
		if (value instanceof Long number) {
			return number;
		}
		if (value instanceof Double number) {
			if (number != Math.rint(number) || Double.isInfinite(number)) {
				throw new ArithmeticException("not an integer: " + number);
			}
			return (long) (double) number;
		}
		return new BigDecimal(value.toString().trim()).longValueExact();
	}

	private static @Nullable Boolean bool(Object value) {
		if (value instanceof Long number) {
			return number != 0;
		}
		if (value instanceof Double number) {
			return number != 0;
		}
		if (value instanceof String text) {
			return switch (text.trim().toLowerCase(Locale.ROOT)) {
				case "1", "true", "t", "yes", "y", "on" -> true;
				case "0", "false", "f", "no", "n", "off" -> false;
				default -> null;
			};
		}
		return null;
	}

	private static @Nullable UUID uuid(Object value) {
		if (value instanceof String text) {
			return UUID.fromString(text.trim());
		}
		if (value instanceof byte[] bytes && bytes.length == 16) {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			return new UUID(buffer.getLong(), buffer.getLong());
		}
		return null;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Object enumConstant(Class<?> type, String name) {
		return Enum.valueOf((Class) type, name);
	}

	private static @Nullable Object temporal(Object value, Class<?> target) {
		if (value instanceof Long seconds) {
			// SQLite's unixepoch() and strftime('%s') count seconds
			OffsetDateTime utc = Instant.ofEpochSecond(seconds).atOffset(ZoneOffset.UTC);
			return fromOffsetDateTime(utc, target);
		}
		if (!(value instanceof String text)) {
			return null;
		}
		String normalized = text.trim();
		if (normalized.length() > 10 && normalized.charAt(10) == ' ') {
			normalized = normalized.substring(0, 10) + 'T' + normalized.substring(11);
		}
		TemporalAccessor parsed = PARSER.parse(normalized);
		boolean hasDate = parsed.isSupported(ChronoField.EPOCH_DAY);
		boolean hasTime = parsed.isSupported(ChronoField.NANO_OF_DAY);
		boolean hasOffset = parsed.isSupported(ChronoField.OFFSET_SECONDS);
		if (target == LocalTime.class) {
			return hasTime ? LocalTime.from(parsed) : null;
		}
		if (target == OffsetTime.class) {
			return hasTime ? OffsetTime.of(LocalTime.from(parsed), hasOffset ? ZoneOffset.from(parsed) : ZoneOffset.UTC)
					: null;
		}
		if (!hasDate) {
			return null;
		}
		LocalDate date = LocalDate.from(parsed);
		LocalDateTime local = hasTime ? LocalDateTime.of(date, LocalTime.from(parsed)) : date.atStartOfDay();
		if (target == LocalDate.class) {
			return date;
		}
		if (target == LocalDateTime.class) {
			return local;
		}
		return fromOffsetDateTime(local.atOffset(hasOffset ? ZoneOffset.from(parsed) : ZoneOffset.UTC), target);
	}

	private static @Nullable Object fromOffsetDateTime(OffsetDateTime dateTime, Class<?> target) {
		if (target == OffsetDateTime.class) {
			return dateTime;
		}
		if (target == Instant.class) {
			return dateTime.toInstant();
		}
		if (target == ZonedDateTime.class) {
			return dateTime.toZonedDateTime();
		}
		if (target == LocalDateTime.class) {
			return dateTime.toLocalDateTime();
		}
		if (target == LocalDate.class) {
			return dateTime.toLocalDate();
		}
		return null;
	}

	private static Class<?> wrap(Class<?> type) {
		if (!type.isPrimitive()) {
			return type;
		}
		if (type == long.class) {
			return Long.class;
		}
		if (type == int.class) {
			return Integer.class;
		}
		if (type == double.class) {
			return Double.class;
		}
		if (type == boolean.class) {
			return Boolean.class;
		}
		if (type == float.class) {
			return Float.class;
		}
		if (type == short.class) {
			return Short.class;
		}
		if (type == byte.class) {
			return Byte.class;
		}
		return type;
	}

	private static IllegalArgumentException cannotConvert(Object value, Class<?> type, String column,
			@Nullable Exception cause) {
		String stored = (value instanceof byte[]) ? "BLOB" : (value instanceof String) ? "TEXT"
				: (value instanceof Double) ? "REAL" : "INTEGER";
		return new IllegalArgumentException(
				"Cannot convert the " + stored + " value of column '" + column + "' to " + type.getName(), cause);
	}

}

package dev.databases;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAccessor;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Converts a value read from a driver to the type a caller asked for. Drivers disagree
 * on the Java type of the same SQL type (MySQL's BOOLEAN is a TINYINT, H2 counts in Long,
 * SQLite stores UUIDs, dates and decimals as text, MySQL reads a TIMESTAMP as a
 * ZonedDateTime), so a caller that names the type gets it on every backend. Only lossless
 * conversions are made. A JSON column read as a type that is not a plain value (a Java
 * record, a Map, a List, a bean) is read through Jackson when it is on the class path.
 */
final class Conversions {

	private static final Map<Class<?>, Class<?>> BOXES = Map.of(int.class, Integer.class, long.class, Long.class,
			boolean.class, Boolean.class, double.class, Double.class, float.class, Float.class, short.class,
			Short.class, byte.class, Byte.class, char.class, Character.class);

	/**
	 * Date and time text as SQLite's date functions and our SQLite driver write it: a space or
	 * a {@code T} between date and time, an optional fraction and an optional offset.
	 */
	private static final DateTimeFormatter TEXT_DATE_TIME = new DateTimeFormatterBuilder()
		.append(DateTimeFormatter.ISO_LOCAL_DATE)
		.optionalStart()
		.appendLiteral(' ')
		.optionalEnd()
		.optionalStart()
		.appendLiteral('T')
		.optionalEnd()
		.append(DateTimeFormatter.ISO_LOCAL_TIME)
		.optionalStart()
		.appendOffset("+HH:MM", "Z")
		.optionalEnd()
		.toFormatter();

	private Conversions() {
	}

	@SuppressWarnings("unchecked")
	static <T> @Nullable T convert(@Nullable Object value, Class<T> requested, String column) {
		if (value == null) {
			return null;
		}
		Class<?> type = BOXES.getOrDefault(requested, requested);
		if (type.isInstance(value)) {
			return (T) value;
		}
		Object converted = convertOrNull(value, type);
		if (converted == null) {
			// The value itself stays out of the message: it may be a secret.
			throw new IllegalArgumentException("Column '" + column + "' holds a " + value.getClass().getName()
					+ " that cannot be converted to " + type.getName());
		}
		return (T) converted;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static @Nullable Object convertOrNull(Object value, Class<?> type) {
		if (value instanceof Number number) {
			Object converted = fromNumber(number, type);
			if (converted != null) {
				return converted;
			}
		}
		if (type == String.class) {
			if (value instanceof byte[] || value instanceof ByteBuffer) {
				return null;
			}
			return value.toString();
		}
		if (type == Boolean.class && value instanceof String text) {
			if (text.equalsIgnoreCase("true")) {
				return Boolean.TRUE;
			}
			if (text.equalsIgnoreCase("false")) {
				return Boolean.FALSE;
			}
			return null;
		}
		if ((type == BigDecimal.class || type == BigInteger.class) && value instanceof String text) {
			// SQLite keeps an exact decimal only in a TEXT column (NUMERIC ones store a double).
			try {
				BigDecimal decimal = new BigDecimal(text.trim());
				return (type == BigDecimal.class) ? decimal : decimal.toBigIntegerExact();
			}
			catch (ArithmeticException | NumberFormatException ex) {
				return null;
			}
		}
		if (type == UUID.class && value instanceof String text) {
			try {
				return UUID.fromString(text);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		if (type.isEnum() && value instanceof String text) {
			try {
				return Enum.valueOf((Class<? extends Enum>) type, text);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		if (type == byte[].class && value instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			return bytes;
		}
		if (type == ByteBuffer.class && value instanceof byte[] bytes) {
			return ByteBuffer.wrap(bytes);
		}
		Object temporal = fromTemporal(value, type);
		if (temporal != null || !isJsonTarget(type)) {
			return temporal;
		}
		return fromJson(value, type);
	}

	/** Whether {@code type} is read from a JSON document: no plain value type is. */
	private static boolean isJsonTarget(Class<?> type) {
		return !(type.isPrimitive() || type.isArray() || type.isEnum() || type.getName().startsWith("java.lang.")
				|| Number.class.isAssignableFrom(type) || Temporal.class.isAssignableFrom(type) || type == UUID.class
				|| type == ByteBuffer.class);
	}

	private static @Nullable Object fromJson(Object value, Class<?> type) {
		String json;
		if (value instanceof String text) {
			json = text;
		}
		else if (value instanceof byte[] bytes) {
			json = new String(bytes, StandardCharsets.UTF_8);
		}
		else {
			return null;
		}
		JsonCodec codec = JsonCodec.AVAILABLE;
		if (codec == null) {
			throw new IllegalArgumentException("Reading JSON as " + type.getName()
					+ " needs Jackson on the class path (tools.jackson.core:jackson-databind)");
		}
		return codec.read(json, type);
	}

	private static @Nullable Object fromNumber(Number number, Class<?> type) {
		if (type == Boolean.class) {
			long n = number.longValue();
			return (n == 0 || n == 1) && exact(number) ? (n == 1) : null;
		}
		if (type == Long.class) {
			return exact(number) ? number.longValue() : null;
		}
		if (type == Integer.class) {
			long n = number.longValue();
			return (exact(number) && n == (int) n) ? (int) n : null;
		}
		if (type == Short.class) {
			long n = number.longValue();
			return (exact(number) && n == (short) n) ? (short) n : null;
		}
		if (type == Byte.class) {
			long n = number.longValue();
			return (exact(number) && n == (byte) n) ? (byte) n : null;
		}
		if (type == Double.class) {
			return number.doubleValue();
		}
		if (type == Float.class) {
			return number.floatValue();
		}
		if (type == BigDecimal.class) {
			return (number instanceof BigInteger big) ? new BigDecimal(big) : new BigDecimal(number.toString());
		}
		if (type == BigInteger.class) {
			return exact(number) ? BigInteger.valueOf(number.longValue()) : null;
		}
		return null;
	}

	/** Whether the number is integral and fits a long, so narrowing loses nothing. */
	private static boolean exact(Number number) {
		if (number instanceof Long || number instanceof Integer || number instanceof Short
				|| number instanceof Byte) {
			return true;
		}
		if (number instanceof BigDecimal decimal) {
			try {
				decimal.longValueExact();
				return true;
			}
			catch (ArithmeticException ex) {
				return false;
			}
		}
		if (number instanceof BigInteger big) {
			return big.bitLength() < 64;
		}
		double d = number.doubleValue();
		return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 0x1p63;
	}

	private static @Nullable Object fromTemporal(Object value, Class<?> type) {
		if (value instanceof OffsetDateTime odt) {
			if (type == Instant.class) {
				return odt.toInstant();
			}
			if (type == ZonedDateTime.class) {
				return odt.toZonedDateTime();
			}
		}
		if (value instanceof ZonedDateTime zdt) {
			if (type == LocalDateTime.class) {
				// r2dbc-mysql reads a TIMESTAMP as the server's wall clock in its zone: that wall
				// clock is the LocalDateTime the column holds.
				return zdt.toLocalDateTime();
			}
			if (type == Instant.class) {
				return zdt.toInstant();
			}
			if (type == OffsetDateTime.class) {
				return zdt.toOffsetDateTime();
			}
		}
		if (value instanceof Instant instant && type == OffsetDateTime.class) {
			return instant.atOffset(ZoneOffset.UTC);
		}
		if (value instanceof LocalDateTime ldt && type == LocalDate.class && ldt.toLocalTime().toNanoOfDay() == 0) {
			return ldt.toLocalDate();
		}
		if (value instanceof String text) {
			try {
				if (type == LocalDate.class) {
					return LocalDate.parse(text);
				}
				if (type == java.time.LocalTime.class) {
					return java.time.LocalTime.parse(text);
				}
				if (type == LocalDateTime.class) {
					return LocalDateTime.parse(text.replace(' ', 'T'));
				}
				if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
					return fromText(text.trim(), type);
				}
			}
			catch (RuntimeException ex) {
				return null;
			}
		}
		return null;
	}

	/**
	 * An instant from text; without an offset the text is UTC, as SQLite's
	 * {@code CURRENT_TIMESTAMP} is and as our SQLite driver writes an {@link Instant}.
	 */
	private static Object fromText(String text, Class<?> type) {
		TemporalAccessor parsed = TEXT_DATE_TIME.parse(text);
		LocalDateTime local = LocalDateTime.from(parsed);
		ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
		OffsetDateTime dateTime = local.atOffset(offset);
		if (type == Instant.class) {
			return dateTime.toInstant();
		}
		return (type == ZonedDateTime.class) ? dateTime.toZonedDateTime() : dateTime;
	}

}

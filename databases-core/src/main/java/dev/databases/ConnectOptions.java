package dev.databases;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.databases.internal.url.OptionNames;
import dev.databases.internal.url.SslMode;
import org.jspecify.annotations.Nullable;

/**
 * The options this library reads itself, typed and checked, and the rest, which go to the
 * driver.
 * <p>
 * Options come from the URL's query string and from {@code Database.builder(...).option(...)};
 * the builder wins. Values may be strings (from the URL), numbers, booleans or
 * {@link Duration}s. Every bad value fails here, with a message naming the option, the value
 * and what is accepted, so that a typo is found before any connection is tried.
 * <ul>
 * <li>{@code ssl}: {@code true}, {@code false}, {@code disable}, {@code prefer},
 * {@code require}, {@code verify-ca} or {@code verify-full}, any case; {@code true} is
 * {@code require}.</li>
 * <li>{@code min_size} (default 1, may be 0) and {@code max_size} (default 10): pool
 * sizes.</li>
 * <li>{@code max_idle_time} and {@code max_life_time} (default 30 minutes),
 * {@code acquire_timeout} (30 s), {@code connect_timeout} (10 s), {@code statement_timeout}
 * (none; 0 also means none) and {@code disconnect_timeout} (10 s): durations written as
 * ISO-8601 ({@code PT10S}), {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}, or
 * a whole number of seconds.</li>
 * </ul>
 */
final class ConnectOptions {

	static final String SSL = OptionNames.SSL;

	static final String MIN_SIZE = OptionNames.MIN_SIZE;

	static final String MAX_SIZE = OptionNames.MAX_SIZE;

	static final String MAX_IDLE_TIME = OptionNames.MAX_IDLE_TIME;

	static final String MAX_LIFE_TIME = OptionNames.MAX_LIFE_TIME;

	static final String ACQUIRE_TIMEOUT = OptionNames.ACQUIRE_TIMEOUT;

	static final String CONNECT_TIMEOUT = OptionNames.CONNECT_TIMEOUT;

	static final String STATEMENT_TIMEOUT = OptionNames.STATEMENT_TIMEOUT;

	static final String DISCONNECT_TIMEOUT = OptionNames.DISCONNECT_TIMEOUT;

	/** The names of the options read here; none of them is passed on to a driver. */
	static final Set<String> NAMES = OptionNames.ALL;

	static final int DEFAULT_MIN_SIZE = 1;

	static final int DEFAULT_MAX_SIZE = 10;

	static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofMinutes(30);

	static final Duration DEFAULT_MAX_LIFE_TIME = Duration.ofMinutes(30);

	static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

	static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	static final Duration DEFAULT_DISCONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final String SSL_EXPECTED = "expected true, false, disable, prefer, require, verify-ca or verify-full";

	private static final String DURATION_EXPECTED = "expected a non-negative duration such as PT10S, 500ms, 10s, 5m, 1h, 1d or a whole number of seconds";

	private static final Pattern DIGITS = Pattern.compile("\\+?[0-9]+");

	private static final Pattern SIMPLE_DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

	private static final int MAX_SHOWN_LENGTH = 100;

	private final @Nullable SslMode ssl;

	private final int minSize;

	private final int maxSize;

	private final Duration maxIdleTime;

	private final Duration maxLifeTime;

	private final Duration acquireTimeout;

	private final Duration connectTimeout;

	private final @Nullable Duration statementTimeout;

	private final Duration disconnectTimeout;

	private final Map<String, String> driverOptions;

	private ConnectOptions(Map<String, Object> merged) {
		this.ssl = ssl(merged.get(SSL));
		this.minSize = integer(MIN_SIZE, merged.get(MIN_SIZE), DEFAULT_MIN_SIZE, 0);
		this.maxSize = integer(MAX_SIZE, merged.get(MAX_SIZE), DEFAULT_MAX_SIZE, 1);
		if (this.minSize > this.maxSize) {
			String max = merged.containsKey(MAX_SIZE) ? String.valueOf(this.maxSize)
					: this.maxSize + ", the default";
			throw new InvalidOptionException(MIN_SIZE, "Invalid value '" + this.minSize + "' for option " + MIN_SIZE
					+ ": must not be greater than " + MAX_SIZE + " (" + max + ")");
		}
		this.maxIdleTime = duration(MAX_IDLE_TIME, merged.get(MAX_IDLE_TIME), DEFAULT_MAX_IDLE_TIME);
		this.maxLifeTime = duration(MAX_LIFE_TIME, merged.get(MAX_LIFE_TIME), DEFAULT_MAX_LIFE_TIME);
		this.acquireTimeout = duration(ACQUIRE_TIMEOUT, merged.get(ACQUIRE_TIMEOUT), DEFAULT_ACQUIRE_TIMEOUT);
		this.connectTimeout = duration(CONNECT_TIMEOUT, merged.get(CONNECT_TIMEOUT), DEFAULT_CONNECT_TIMEOUT);
		Duration statement = duration(STATEMENT_TIMEOUT, merged.get(STATEMENT_TIMEOUT), Duration.ZERO);
		// As PostgreSQL's own statement_timeout: zero switches the timeout off.
		this.statementTimeout = statement.isZero() ? null : statement;
		this.disconnectTimeout = duration(DISCONNECT_TIMEOUT, merged.get(DISCONNECT_TIMEOUT),
				DEFAULT_DISCONNECT_TIMEOUT);
		Map<String, String> rest = new LinkedHashMap<>();
		merged.forEach((name, value) -> {
			if (!NAMES.contains(name)) {
				rest.put(name, asString(value));
			}
		});
		this.driverOptions = Collections.unmodifiableMap(rest);
	}

	/**
	 * Read and check the options of a URL and of a builder.
	 * @param urlOptions the options in the URL's query string
	 * @param builderOptions options given in code; they replace URL options of the same
	 * name, and a {@code null} value counts as not given
	 * @return the options
	 * @throws IllegalArgumentException when a value is not accepted
	 */
	static ConnectOptions of(Map<String, ?> urlOptions, Map<String, ?> builderOptions) {
		Map<String, Object> merged = new LinkedHashMap<>();
		putAll(merged, urlOptions);
		putAll(merged, builderOptions);
		return new ConnectOptions(merged);
	}

	private static void putAll(Map<String, Object> merged, Map<String, ?> options) {
		options.forEach((name, value) -> {
			if (name == null || name.isEmpty()) {
				throw new IllegalArgumentException("Option names must not be empty");
			}
			if (value != null) {
				merged.put(name, value);
			}
		});
	}

	/**
	 * The text of an option value, as it goes into a URL or to a driver.
	 * @param value a string, number, boolean, {@link Duration} or other value
	 * @return its text; durations in ISO-8601
	 */
	static String asString(Object value) {
		return (value instanceof CharSequence) ? value.toString() : String.valueOf(value);
	}

	/**
	 * The TLS mode asked for.
	 * @return the mode, or {@code null} when the option was not given and the driver's
	 * default applies
	 */
	@Nullable SslMode ssl() {
		return this.ssl;
	}

	int minSize() {
		return this.minSize;
	}

	int maxSize() {
		return this.maxSize;
	}

	Duration maxIdleTime() {
		return this.maxIdleTime;
	}

	Duration maxLifeTime() {
		return this.maxLifeTime;
	}

	Duration acquireTimeout() {
		return this.acquireTimeout;
	}

	Duration connectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * How long a statement may run.
	 * @return the timeout, or {@code null} for none
	 */
	@Nullable Duration statementTimeout() {
		return this.statementTimeout;
	}

	Duration disconnectTimeout() {
		return this.disconnectTimeout;
	}

	/**
	 * Every option that is not one of {@link #NAMES}, in the order given, as text.
	 * @return an unmodifiable map
	 */
	Map<String, String> driverOptions() {
		return this.driverOptions;
	}

	@Override
	public String toString() {
		return "ConnectOptions[ssl=" + this.ssl + ", minSize=" + this.minSize + ", maxSize=" + this.maxSize
				+ ", maxIdleTime=" + this.maxIdleTime + ", maxLifeTime=" + this.maxLifeTime + ", acquireTimeout="
				+ this.acquireTimeout + ", connectTimeout=" + this.connectTimeout + ", statementTimeout="
				+ this.statementTimeout + ", disconnectTimeout=" + this.disconnectTimeout + ", driverOptions="
				+ this.driverOptions.keySet() + "]";
	}

	/**
	 * Read an {@code ssl} value.
	 * @param value the value, or {@code null}
	 * @return the mode, or {@code null} when the value is {@code null}
	 * @throws IllegalArgumentException when the value is not accepted
	 */
	static @Nullable SslMode ssl(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		SslMode mode = SslMode.read(value);
		if (mode == null) {
			throw invalid(SSL, value, SSL_EXPECTED);
		}
		return mode;
	}

	private static int integer(String name, @Nullable Object value, int defaultValue, int min) {
		if (value == null) {
			return defaultValue;
		}
		String expected = (min > 0) ? "expected a positive integer" : "expected a non-negative integer";
		BigInteger number = null;
		if (value instanceof CharSequence text) {
			String digits = text.toString().strip();
			if (DIGITS.matcher(digits).matches()) {
				number = new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits);
			}
		}
		else if (value instanceof Number n) {
			number = integral(n);
		}
		if (number == null || number.compareTo(BigInteger.valueOf(min)) < 0
				|| number.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
			throw invalid(name, value, expected);
		}
		return number.intValue();
	}

	private static Duration duration(String name, @Nullable Object value, Duration defaultValue) {
		if (value == null) {
			return defaultValue;
		}
		Duration duration = null;
		try {
			if (value instanceof Duration d) {
				duration = d;
			}
			else if (value instanceof Number n) {
				BigInteger seconds = integral(n);
				duration = (seconds != null) ? Duration.ofSeconds(seconds.longValueExact()) : null;
			}
			else if (value instanceof CharSequence text) {
				duration = parseDuration(text.toString().strip());
			}
		}
		catch (ArithmeticException | DateTimeParseException ex) {
			duration = null;
		}
		if (duration == null || duration.isNegative()) {
			throw invalid(name, value, DURATION_EXPECTED);
		}
		return duration;
	}

	private static @Nullable Duration parseDuration(String text) {
		if (DIGITS.matcher(text).matches() && !text.startsWith("+")) {
			return Duration.ofSeconds(new BigInteger(text).longValueExact());
		}
		Matcher simple = SIMPLE_DURATION.matcher(text);
		if (simple.matches()) {
			long amount = new BigInteger(simple.group(1)).longValueExact();
			return switch (simple.group(2).toLowerCase(Locale.ROOT)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		if (text.startsWith("P") || text.startsWith("p")) {
			return Duration.parse(text);
		}
		return null;
	}

	/** A whole number, or {@code null} when the number has a fraction or is not finite. */
	private static @Nullable BigInteger integral(Number number) {
		if (number instanceof Integer || number instanceof Long || number instanceof Short
				|| number instanceof Byte) {
			return BigInteger.valueOf(number.longValue());
		}
		if (number instanceof BigInteger big) {
			return big;
		}
		try {
			BigDecimal decimal = (number instanceof BigDecimal d) ? d : new BigDecimal(number.toString());
			return decimal.toBigIntegerExact();
		}
		catch (NumberFormatException | ArithmeticException ex) {
			return null;
		}
	}

	private static InvalidOptionException invalid(String name, Object value, String expected) {
		String shown = asString(value);
		if (shown.length() > MAX_SHOWN_LENGTH) {
			shown = shown.substring(0, MAX_SHOWN_LENGTH) + "...";
		}
		return new InvalidOptionException(name, "Invalid value '" + shown + "' for option " + name + ": " + expected);
	}

}

package dev.databases.internal.url;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The {@code ssl} option: whether and how strictly a connection uses TLS. The names follow
 * libpq's {@code sslmode}; each backend spells the same mode for its own drivers.
 * <p>
 * {@code ssl=true} means {@link #REQUIRE} and {@code ssl=false} means {@link #DISABLE}, so
 * asking for TLS never silently connects in plain text.
 */
public enum SslMode {

	/** No TLS. */
	DISABLE("disable"),

	/** TLS when the server offers it, plain text otherwise. */
	PREFER("prefer"),

	/** TLS or no connection; the server's certificate is not checked. */
	REQUIRE("require"),

	/** TLS with a server certificate signed by a trusted CA. */
	VERIFY_CA("verify-ca"),

	/** TLS with a trusted certificate whose name matches the host. */
	VERIFY_FULL("verify-full");

	private final String name;

	SslMode(String name) {
		this.name = name;
	}

	/**
	 * Read an {@code ssl} value: a mode, a boolean, or its text in any case ({@code true},
	 * {@code false} or a mode's name, with {@code _} for {@code -} too).
	 * @param value the value
	 * @return the mode, or {@code null} when the value is none of these
	 */
	public static @Nullable SslMode read(Object value) {
		if (value instanceof SslMode mode) {
			return mode;
		}
		if (value instanceof Boolean enabled) {
			return enabled ? REQUIRE : DISABLE;
		}
		if (value instanceof CharSequence text) {
			return switch (text.toString().strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
				case "true", "require" -> REQUIRE;
				case "false", "disable" -> DISABLE;
				case "prefer" -> PREFER;
				case "verify-ca" -> VERIFY_CA;
				case "verify-full" -> VERIFY_FULL;
				default -> null;
			};
		}
		return null;
	}

	/**
	 * The name users write, which is also libpq's.
	 * @return e.g. {@code verify-ca}
	 */
	@Override
	public String toString() {
		return this.name;
	}

}

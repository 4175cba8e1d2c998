package dev.databases.internal.url;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding for the parts of a database URL (RFC 3986), always over UTF-8.
 * <p>
 * Each part has its own set of characters left as they are; everything else is written as
 * {@code %XX}. Decoding is strict: a stray {@code %} or bytes that are not UTF-8 are an
 * error, because guessing would hand the server a different password or database than
 * the user wrote.
 */
public final class PercentCodec {

	private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

	/** User names and passwords: only unreserved characters, as Python's {@code quote(s, safe='')}. */
	public static final PercentCodec USERINFO = new PercentCodec(UNRESERVED);

	/** Host names: {@code +} and {@code ,} are encoded because drivers read them as separators. */
	public static final PercentCodec HOST = new PercentCodec(UNRESERVED + "!$&'()*;=");

	/** IPv6 literals and other hosts inside brackets, where {@code :} separates nothing. */
	public static final PercentCodec BRACKETED_HOST = new PercentCodec(UNRESERVED + "!$&'()*;=:");

	/**
	 * Database names and paths: {@code /} stays so that {@code sqlite:////abs/path} reads
	 * as a path, {@code :} stays for {@code :memory:}; {@code +} is encoded because some
	 * readers (R2DBC's among them) take it for a space.
	 */
	public static final PercentCodec PATH = new PercentCodec(UNRESERVED + "!$&'()*,;=:@/");

	/** Option names and values: {@code &}, {@code =} and {@code +} have a meaning there. */
	public static final PercentCodec QUERY = new PercentCodec(UNRESERVED + "!$'()*,;:@/");

	private final boolean[] safe = new boolean[128];

	private PercentCodec(String safeCharacters) {
		for (int i = 0; i < safeCharacters.length(); i++) {
			this.safe[safeCharacters.charAt(i)] = true;
		}
	}

	/**
	 * Encode a value for this part of a URL.
	 * @param value the decoded value
	 * @return the value with every unsafe character percent-encoded
	 */
	public String encode(String value) {
		StringBuilder out = null;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 128 && this.safe[c]) {
				if (out != null) {
					out.append(c);
				}
				continue;
			}
			if (out == null) {
				out = new StringBuilder(value.length() + 16).append(value, 0, i);
			}
			int end = (Character.isHighSurrogate(c) && i + 1 < value.length()
					&& Character.isLowSurrogate(value.charAt(i + 1))) ? i + 2 : i + 1;
			for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
				out.append('%').append(hex((b >> 4) & 0xF)).append(hex(b & 0xF));
			}
			i = end - 1;
		}
		return (out != null) ? out.toString() : value;
	}

	/**
	 * Decode a part of a URL.
	 * @param value the raw text from the URL
	 * @param plusIsSpace whether {@code +} means a space (query strings, as Python's
	 * {@code parse_qsl} and R2DBC read them)
	 * @param what names the part in an error message, e.g. "password"; the value itself is
	 * never shown, since it may be a secret
	 * @return the decoded value
	 * @throws IllegalArgumentException when a {@code %} is not followed by two hex digits or
	 * the bytes are not UTF-8
	 */
	public static String decode(String value, boolean plusIsSpace, String what) {
		if (value.indexOf('%') < 0) {
			return plusIsSpace ? value.replace('+', ' ') : value;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
		int i = 0;
		while (i < value.length()) {
			char c = value.charAt(i);
			if (c == '%') {
				int high = (i + 2 < value.length()) ? digit(value.charAt(i + 1)) : -1;
				int low = (i + 2 < value.length()) ? digit(value.charAt(i + 2)) : -1;
				if (high < 0 || low < 0) {
					throw new IllegalArgumentException("Invalid percent-encoding in the " + what
							+ " of the database URL: '%' must be followed by two hexadecimal digits (write '%' itself as %25)");
				}
				bytes.write((high << 4) | low);
				i += 3;
				continue;
			}
			int start = i;
			while (i < value.length() && value.charAt(i) != '%') {
				i++;
			}
			String run = value.substring(start, i);
			bytes.writeBytes((plusIsSpace ? run.replace('+', ' ') : run).getBytes(StandardCharsets.UTF_8));
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("Invalid percent-encoding in the " + what
					+ " of the database URL: the encoded bytes are not UTF-8");
		}
	}

	private static int digit(char c) {
		// Character.digit would also take non-ASCII digits, which are not hex in a URL.
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

	private static char hex(int value) {
		return "0123456789ABCDEF".charAt(value);
	}

}

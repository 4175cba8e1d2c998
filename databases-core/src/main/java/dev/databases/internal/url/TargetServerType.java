package dev.databases.internal.url;

import java.util.Locale;

/**
 * The {@code target_server_type} option: which of a URL's servers a new connection may use,
 * by its role. The names are libpq's ({@code target_session_attrs}); a backend spells them
 * for its drivers.
 */
public enum TargetServerType {

	/** Whichever server answers first. */
	ANY("any"),

	/** Only a server that accepts writes (not in recovery). */
	PRIMARY("primary"),

	/** Only a read-only standby. */
	STANDBY("standby"),

	/** A standby when one answers, else the primary. */
	PREFER_STANDBY("prefer-standby");

	/** The values accepted, for messages. */
	public static final String EXPECTED = "expected any, primary, standby or prefer-standby";

	private final String name;

	TargetServerType(String name) {
		this.name = name;
	}

	/**
	 * Read the option's value, in any case, with {@code _} for {@code -} too.
	 * @param value the value, as the URL holds it
	 * @return the type
	 * @throws UrlOptionException naming the option, the value and what is accepted
	 */
	public static TargetServerType read(String value) {
		String name = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
		for (TargetServerType type : values()) {
			if (type.name.equals(name)) {
				return type;
			}
		}
		String shown = (value.length() > 100) ? value.substring(0, 100) + "..." : value;
		throw new UrlOptionException(OptionNames.TARGET_SERVER_TYPE, "Invalid value '" + shown + "' for option "
				+ OptionNames.TARGET_SERVER_TYPE + ": " + EXPECTED);
	}

	/**
	 * The name users write, which is also libpq's.
	 * @return e.g. {@code prefer-standby}
	 */
	@Override
	public String toString() {
		return this.name;
	}

}

package dev.databases.internal.backend;

import dev.databases.internal.url.OptionNames;
import dev.databases.internal.url.UrlParts;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;

/**
 * The options a backend hands its driver: the library's documented snake_case names
 * ({@code application_name}, {@code statement_cache_size}, ...) translated into the
 * driver's own, the driver's own names as they are, and {@code driver.<name>} passed on
 * unchecked. Any other name is a mistake, reported with the closest known names, because a
 * driver ignores an option it does not know without a word.
 */
final class DriverOptions {

	/** The prefix of an option passed to the driver as it is, unchecked. */
	static final String RAW_PREFIX = "driver.";

	/** Every documented driver option of the library, whichever backend supports it. */
	static final Set<String> DOCUMENTED = Set.of("application_name", "statement_cache_size", "tcp_keepalive");

	private final String driverName;

	private final Map<String, String> r2dbcNames;

	private final Map<String, String> jdbcNames;

	private final List<String> providerClasses;

	private final Predicate<String> alsoAccepted;

	private volatile @Nullable Set<String> declared;

	/**
	 * @param driverName the R2DBC driver, for messages ({@code r2dbc-postgresql})
	 * @param r2dbcNames documented name to the R2DBC driver's name
	 * @param jdbcNames documented name to the JDBC driver's name; a documented option missing
	 * here is left out of the JDBC URL
	 * @param providerClasses the driver classes whose {@link Option} constants name its options
	 * @param alsoAccepted names the driver takes without declaring them (H2's settings)
	 */
	DriverOptions(String driverName, Map<String, String> r2dbcNames, Map<String, String> jdbcNames,
			List<String> providerClasses, Predicate<String> alsoAccepted) {
		this.driverName = driverName;
		this.r2dbcNames = Map.copyOf(r2dbcNames);
		this.jdbcNames = Map.copyOf(jdbcNames);
		this.providerClasses = List.copyOf(providerClasses);
		this.alsoAccepted = alsoAccepted;
	}

	/** The options as the R2DBC driver spells them. */
	Map<String, String> forR2dbc(Map<String, String> options) {
		return translated(options, this.r2dbcNames);
	}

	/** The options as the JDBC driver (for Flyway) spells them. */
	Map<String, String> forJdbc(Map<String, String> options) {
		return translated(options, this.jdbcNames);
	}

	private static Map<String, String> translated(Map<String, String> options, Map<String, String> names) {
		Map<String, String> translated = new LinkedHashMap<>();
		options.forEach((name, value) -> {
			if (name.startsWith(RAW_PREFIX)) {
				translated.put(name.substring(RAW_PREFIX.length()), value);
			}
			else if (DOCUMENTED.contains(name)) {
				String driverName = names.get(name);
				if (driverName != null) {
					translated.put(driverName, value);
				}
			}
			else {
				translated.put(name, value);
			}
		});
		return translated;
	}

	/**
	 * Why {@code name} cannot be given to this backend, or {@code null} when it can.
	 * @param name an option name from the URL or the builder
	 * @param product the database, for the message ({@code PostgreSQL})
	 */
	@Nullable String problem(String name, String product) {
		if (OptionNames.ALL.contains(name) || UrlParts.SOCKET_OPTIONS.contains(name) || name.startsWith(RAW_PREFIX)
				|| this.r2dbcNames.containsKey(name)) {
			return null;
		}
		if (DOCUMENTED.contains(name)) {
			return "Option " + name + " is not supported for " + product + ": " + this.driverName
					+ " has nothing like it; leave it out";
		}
		Set<String> declared = declared();
		if (declared.isEmpty() || declared.contains(name) || this.alsoAccepted.test(name)) {
			// Without the driver on the class path its options cannot be known: connecting fails anyway.
			return null;
		}
		List<String> known = new ArrayList<>(OptionNames.ALL);
		known.addAll(this.r2dbcNames.keySet());
		known.addAll(declared);
		List<String> closest = closest(name, known);
		return "Unknown option '" + name + "' for " + product + (closest.isEmpty() ? ""
				: ": did you mean " + String.join(" or ", closest) + "?")
				+ " The library reads " + String.join(", ", OptionNames.ALL)
				+ (this.r2dbcNames.isEmpty() ? "" : " and translates " + String.join(", ", sorted(this.r2dbcNames.keySet())))
				+ "; " + this.driverName + " takes the options it declares under its own names; pass any other as "
				+ RAW_PREFIX + "<name>, unchecked";
	}

	/** The names of the options the driver declares as {@link Option} constants, and R2DBC's standard ones. */
	private Set<String> declared() {
		Set<String> declared = this.declared;
		if (declared == null) {
			declared = new LinkedHashSet<>();
			boolean found = false;
			for (String className : this.providerClasses) {
				try {
					collect(Class.forName(className, false, DriverOptions.class.getClassLoader()), declared);
					found = true;
				}
				catch (ClassNotFoundException | LinkageError ex) {
					// this driver is not on the class path
				}
			}
			if (found) {
				collect(ConnectionFactoryOptions.class, declared);
			}
			else {
				declared.clear();
			}
			this.declared = declared;
		}
		return declared;
	}

	private static void collect(Class<?> type, Set<String> names) {
		for (Field field : type.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && Option.class.isAssignableFrom(field.getType())) {
				try {
					names.add(((Option<?>) field.get(null)).name());
				}
				catch (IllegalAccessException | RuntimeException ex) {
					// not readable: not an option a user could have meant
				}
			}
		}
	}

	/** Up to three known names nearest to {@code name}: the same but for case and underscores first. */
	static List<String> closest(String name, List<String> known) {
		String folded = fold(name);
		List<String> same = known.stream().filter((candidate) -> fold(candidate).equals(folded)).distinct().toList();
		if (!same.isEmpty()) {
			return same;
		}
		int limit = Math.max(2, name.length() / 4);
		return known.stream()
			.distinct()
			.filter((candidate) -> distance(folded, fold(candidate)) <= limit)
			.sorted(Comparator.comparingInt((String candidate) -> distance(folded, fold(candidate))))
			.limit(3)
			.toList();
	}

	private static String fold(String name) {
		return name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
	}

	/** Levenshtein's edit distance. */
	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private static List<String> sorted(Set<String> names) {
		return names.stream().sorted().toList();
	}

}

package dev.databases;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Properties of {@link DatabaseURL}: formatting and parsing are inverse, and no input makes
 * {@link DatabaseURL#parse(String)} fail with anything but {@link IllegalArgumentException}.
 */
class DatabaseURLPropertyTests {

	/** The characters a URL gives a meaning to, and then some. */
	private static final String URL_CHARACTERS = "%/:@?#&=+[]. ~-_!$'()*,;\\\"<>{}|^`aZ09éΩ";

	private static final Set<String> NOT_GENERATED = Set.of("user", "password", "port", "database", "driver",
			"protocol", "host");

	@Property(tries = 10_000)
	void parseShouldGiveBackWhatWasFormatted(@ForAll("serverUrls") DatabaseURL url) {
		String text = url.toUnmaskedString();
		DatabaseURL parsed = DatabaseURL.parse(text);
		assertThat(parsed).isEqualTo(url);
		assertThat(parsed.username()).isEqualTo(url.username());
		assertThat(parsed.password()).isEqualTo(url.password());
		assertThat(parsed.hostname()).isEqualTo(url.hostname());
		assertThat(parsed.database()).isEqualTo(url.database());
		assertThat(parsed.options()).containsExactlyEntriesOf(url.options());
		assertThat(parsed.toUnmaskedString()).isEqualTo(text);
	}

	@Property(tries = 5_000)
	void parseShouldGiveBackEveryHostOfAList(@ForAll("severalHostUrls") DatabaseURL url) {
		String text = url.toUnmaskedString();
		DatabaseURL parsed = DatabaseURL.parse(text);
		assertThat(parsed).isEqualTo(url);
		assertThat(parsed.hosts()).hasSizeGreaterThan(1).isEqualTo(url.hosts());
		assertThat(parsed.toUnmaskedString()).isEqualTo(text);
		assertThat(DatabaseURL.parse(url.toString()).hosts()).isEqualTo(url.hosts());
	}

	@Property(tries = 10_000)
	void parseShouldGiveBackWhatWasFormattedForFiles(@ForAll("fileUrls") DatabaseURL url) {
		DatabaseURL parsed = DatabaseURL.parse(url.toUnmaskedString());
		assertThat(parsed).isEqualTo(url);
		assertThat(parsed.database()).isEqualTo(url.database());
		assertThat(parsed.isInMemory()).isEqualTo(url.isInMemory());
	}

	@Property(tries = 10_000)
	void toStringShouldShowTheUrlWithOnlyThePasswordMasked(@ForAll("serverUrls") DatabaseURL url) {
		DatabaseURL shown = DatabaseURL.parse(url.toString());
		if (url.password() != null) {
			assertThat(shown).isEqualTo(url.withPassword("********"));
		}
		else {
			assertThat(url.toString()).isEqualTo(url.toUnmaskedString());
		}
	}

	@Property(tries = 10_000)
	void parseOfAnyStringShouldOnlyFailWithIllegalArgumentException(@ForAll String text) {
		assertOnlyIllegalArgument(text);
	}

	@Property(tries = 10_000)
	void parseOfUrlLikeStringsShouldOnlyFailWithIllegalArgumentException(@ForAll("urlLike") String text) {
		assertOnlyIllegalArgument(text);
	}

	private static void assertOnlyIllegalArgument(String text) {
		Throwable thrown = catchThrowable(() -> {
			DatabaseURL url = DatabaseURL.parse(text);
			// Whatever parsed must also format, convert and parse again.
			assertThat(DatabaseURL.parse(url.toUnmaskedString())).isEqualTo(url);
			url.toString();
			url.toR2dbcUrl();
			url.isInMemory();
		});
		Statistics.collect((thrown == null) ? "parsed" : "rejected");
		if (thrown != null) {
			// Our own IllegalArgumentException (or its option-naming subclass), never a parser's NumberFormatException.
			assertThat(thrown.getClass()).isIn(IllegalArgumentException.class, InvalidOptionException.class);
			assertThat(thrown.getMessage()).isNotBlank();
		}
	}

	@Provide
	Arbitrary<DatabaseURL> serverUrls() {
		Arbitrary<String> schemes = Arbitraries.of("postgresql", "postgres", "postgresql+asyncpg", "mysql",
				"mysql+asyncmy", "mariadb", "r2dbc:postgresql", "r2dbc:pool:mysql", "r2dbc:mssql");
		Arbitrary<String> users = text().injectNull(0.2);
		Arbitrary<String> passwords = text().injectNull(0.3);
		Arbitrary<String> hosts = Arbitraries.oneOf(text(), Arbitraries.of("localhost", "::1", "fe80::1%eth0", "10.0.0.1"))
			.filter((host) -> !host.isEmpty())
			.injectNull(0.2);
		Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535).injectNull(0.3);
		Arbitrary<String> databases = text().injectNull(0.2);
		return Combinators.combine(schemes, users, passwords, hosts, ports, databases, options())
			.as((scheme, user, password, host, port, database, options) -> DatabaseURL.parse(scheme + "://h")
				.withUsername(user)
				.withPassword(password)
				.withHostname(host)
				.withPort(port)
				.withDatabase(database)
				.withOptions(options));
	}

	@Provide
	Arbitrary<DatabaseURL> severalHostUrls() {
		Arbitrary<String> schemes = Arbitraries.of("postgresql", "postgres", "r2dbc:postgresql:failover", "r2dbc:mssql");
		// r2dbc-postgresql refuses IPv6 addresses and sockets in a list, so the hosts here are names.
		Arbitrary<DatabaseHost> hosts = Combinators
			.combine(text().filter((host) -> !host.isEmpty() && host.indexOf(':') < 0 && !host.startsWith("/")),
					Arbitraries.integers().between(1, 65535).injectNull(0.3))
			.as(DatabaseHost::new);
		return Combinators.combine(schemes, text().injectNull(0.2), text().injectNull(0.3), hosts.list().ofMinSize(2)
			.ofMaxSize(4), text().injectNull(0.2), options())
			.as((scheme, user, password, list, database, options) -> DatabaseURL.parse(scheme + "://h")
				.withUsername(user)
				.withPassword(password)
				.withHosts(list)
				.withDatabase(database)
				.withOptions(options));
	}

	@Provide
	Arbitrary<DatabaseURL> fileUrls() {
		Arbitrary<String> schemes = Arbitraries.of("sqlite", "sqlite+aiosqlite", "h2:mem", "h2:file", "r2dbc:h2:mem",
				"r2dbc:sqlite");
		Arbitrary<String> paths = Arbitraries.oneOf(text(), text().map((path) -> "/" + path),
				Arbitraries.of(":memory:", "file::memory:", "a/b/c.db", "/abs/x.db"));
		return Combinators.combine(schemes, paths.filter((path) -> !path.isEmpty()), options())
			.as((scheme, path, options) -> DatabaseURL.parse(scheme + ":///x").withDatabase(path).withOptions(options));
	}

	@Provide
	Arbitrary<String> urlLike() {
		Arbitrary<String> prefixes = Arbitraries.of("", "postgresql://", "postgres+x://", "mysql://", "mariadb://",
				"sqlite://", "sqlite:///", "sqlite:////", "h2:mem://", "h2:file:///", "h2:tcp://", "r2dbc:",
				"r2dbc:h2:mem:///", "r2dbc:pool:postgresql://", "jdbc:", "postgresql://user:pw@", "postgresql://[");
		Arbitrary<String> tails = Arbitraries.strings().withChars(URL_CHARACTERS).ofMaxLength(40);
		Arbitrary<String> suffixes = Arbitraries.of("", "?ssl=true", "?max_size=0", "?min_size=3&max_size=2",
				"?host=/tmp", "?unix_socket=/tmp/s", "?connect_timeout=PT-1S", "?ssl=verify-full", "?a=%zz");
		return Combinators.combine(prefixes, tails, suffixes).as((prefix, tail, suffix) -> prefix + tail + suffix);
	}

	private static Arbitrary<Map<String, Object>> options() {
		// Names holding "password" or "secret" are masked by toString(), which a property checks.
		Arbitrary<String> names = text().filter((name) -> !name.isEmpty() && !NOT_GENERATED.contains(name)
				&& !ConnectOptions.NAMES.contains(name) && !name.toLowerCase(java.util.Locale.ROOT).contains("password")
				&& !name.toLowerCase(java.util.Locale.ROOT).contains("secret"));
		Arbitrary<Map<String, String>> driverOptions = Arbitraries.maps(names, text().filter((v) -> !v.isEmpty()))
			.ofMaxSize(3);
		Arbitrary<List<Map.Entry<String, String>>> ours = Arbitraries
			.of(Map.entry("max_size", "20"), Map.entry("min_size", "0"), Map.entry("connect_timeout", "PT5S"),
					Map.entry("statement_timeout", "500ms"), Map.entry("acquire_timeout", "1d"))
			.list()
			.uniqueElements()
			.ofMaxSize(2);
		return Combinators.combine(driverOptions, ours).as((driver, known) -> {
			Map<String, Object> options = new LinkedHashMap<>(driver);
			known.forEach((entry) -> options.put(entry.getKey(), entry.getValue()));
			return options;
		});
	}

	/** Any text without lone surrogates, which no URL can carry; biased towards URL characters. */
	private static Arbitrary<String> text() {
		Arbitrary<String> urlish = Arbitraries.strings().withChars(URL_CHARACTERS).ofMaxLength(12);
		Arbitrary<String> any = Arbitraries.strings()
			.all()
			.ofMaxLength(12)
			.filter((s) -> s.codePoints().noneMatch((c) -> Character.getType(c) == Character.SURROGATE));
		Arbitrary<String> plain = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
		Arbitrary<String> supplementary = Arbitraries.of("\uD83D\uDE00", "a\uD83D\uDE00b", "\uD835\uDD38:");
		return Arbitraries.oneOf(urlish, any, plain, supplementary);
	}

}

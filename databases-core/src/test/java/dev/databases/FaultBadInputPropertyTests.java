package dev.databases;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Bad input through {@link Database}'s own entry points, where the parser properties of
 * {@code DatabaseURLPropertyTests} and {@code NamedParameterParserPropertyTests} stop:
 * the constructor and the builder raise only the documented
 * {@link IllegalArgumentException}, never show the password, and never connect; the query
 * methods never throw at call time; and any SQL with any values fails, if it fails, with a
 * {@link DatabaseException}.
 */
class FaultBadInputPropertyTests {

	/** Planted in every generated URL with a password; it must never appear in a message. */
	private static final String PASSWORD = "Pw-Sentinel-77";

	private static final String TABLE = "rel_prop";

	private static Database h2;

	@BeforeContainer
	static void connectH2() {
		h2 = Database.builder("h2:mem:///rel_bad_input").option("max_size", 4).build();
		h2.connect()
			.then(h2.execute("CREATE TABLE " + TABLE + " (id INTEGER PRIMARY KEY, v VARCHAR(200))"))
			.then(h2.execute("INSERT INTO " + TABLE + " (id, v) VALUES (1, 'one'), (2, 'two')"))
			.block(ReliabilitySupport.NO_HANG);
	}

	@AfterContainer
	static void disconnectH2() {
		ReliabilitySupport.disconnect(h2);
	}

	@Property(tries = 10_000)
	void newDatabaseShouldConstructOrRaiseOnlyIllegalArgumentException(@ForAll("databaseUrls") String url) {
		Database db = null;
		Throwable thrown = catchThrowable(() -> new Database(url));
		Statistics.collect((thrown == null) ? "constructed" : "rejected");
		if (thrown != null) {
			assertThat(thrown).satisfies(FaultBadInputPropertyTests::isOurIllegalArgument);
			assertThat(thrown.getMessage()).isNotBlank().doesNotContain(PASSWORD);
		}
		else {
			db = new Database(url);
			assertThat(db.isConnected()).isFalse();
			assertThat(db.poolMetrics()).isEmpty();
			assertThat(db.toString()).doesNotContain(PASSWORD);
			assertThat(db.url().toString()).doesNotContain(PASSWORD);
		}
		// "async with": a bad URL is an error signal, never an exception at call time.
		Mono<Integer> using = Database.using(url, (connected) -> Mono.just(1));
		assertThat(using).isNotNull();
		if (thrown != null) {
			assertThat(using.materialize().block(ReliabilitySupport.NO_HANG).getThrowable())
				.satisfies(FaultBadInputPropertyTests::isOurIllegalArgument);
		}
	}

	/** An IllegalArgumentException of the library's own, not one leaked from a parser (NumberFormatException). */
	private static void isOurIllegalArgument(Throwable thrown) {
		assertThat(thrown.getClass()).isIn(IllegalArgumentException.class, InvalidOptionException.class);
	}

	@Property(tries = 10_000)
	void builderShouldBuildOrRaiseOnlyIllegalArgumentExceptionNamingTheOption(@ForAll("validUrls") String url,
			@ForAll("options") Map<String, Object> options) {
		Database.Builder builder = Database.builder(url);
		options.forEach(builder::option);
		Throwable thrown = catchThrowable(builder::build);
		Statistics.collect((thrown == null) ? "built" : "rejected");
		if (thrown != null) {
			assertThat(thrown).satisfies(FaultBadInputPropertyTests::isOurIllegalArgument);
			assertThat(thrown.getMessage()).doesNotContain(PASSWORD);
			assertThat(options.keySet()).as("an option named in: %s", thrown.getMessage())
				.anyMatch((name) -> thrown.getMessage().contains(name));
		}
		else {
			Database db = builder.build();
			assertThat(db.isConnected()).isFalse();
			assertThat(db.toString()).doesNotContain(PASSWORD);
		}
	}

	@Property(tries = 10_000)
	void queryMethodsOfADatabaseNeverConnectedShouldFailWithNotConnectedAsASignal(@ForAll("sql") String sql,
			@ForAll("values") Map<String, Object> values) {
		Database db = new Database("h2:mem:///rel_never_connected");
		List<Function<Database, Publisher<?>>> calls = List.of((d) -> d.execute(sql, values),
				(d) -> d.executeMany(sql, List.of(values, values)), (d) -> d.fetchAll(sql, values),
				(d) -> d.fetchOne(sql, values), (d) -> d.fetchVal(sql, values, Object.class),
				(d) -> d.iterate(sql, values), (d) -> d.transaction((tx) -> d.fetchAll(sql, values)),
				(d) -> d.connection((c) -> c.fetchAll(sql, values)), Database::beginTransaction);
		for (Function<Database, Publisher<?>> call : calls) {
			Publisher<?> publisher = call.apply(db);
			Throwable error = Flux.from(publisher).materialize().filter(Signal::isOnError).blockFirst()
				.getThrowable();
			assertThat(error).isInstanceOf(NotConnectedException.class);
		}
	}

	@Property(tries = 2_000)
	void anySqlWithAnyValuesShouldSucceedOrFailWithADatabaseException(@ForAll("sql") String sql,
			@ForAll("values") Map<String, Object> values) {
		Signal<List<Record>> outcome = h2.fetchAll(sql, values)
			.materialize()
			.block(ReliabilitySupport.NO_HANG);
		assertThat(outcome).isNotNull();
		Statistics.collect(outcome.isOnError() ? outcome.getThrowable().getClass().getSimpleName() : "rows");
		if (outcome.isOnError()) {
			Throwable error = outcome.getThrowable();
			if (error instanceof IllegalArgumentException && values.containsValue(List.of())) {
				// The parser's decision for an empty collection: IN () is not valid SQL, so it is refused.
				assertThat(error.getMessage()).contains("expands to nothing");
				return;
			}
			assertThat(error).as("the error for %s", sql).isInstanceOf(DatabaseException.class);
			assertThat(error).isNotInstanceOf(ConnectionException.class);
			if (error instanceof MissingParameterException missing) {
				assertThat(values).doesNotContainKey(missing.parameter());
			}
		}
	}

	// ---- Generators ----

	@Provide
	Arbitrary<String> databaseUrls() {
		Arbitrary<String> schemes = Arbitraries.of("postgresql", "postgres", "postgresql+asyncpg", "mysql",
				"mysql+aiomysql", "mariadb", "sqlite", "sqlite+aiosqlite", "h2:mem", "h2:file", "h2:tcp", "oracle",
				"mssql", "r2dbc:postgresql", "r2dbc:h2:mem", "r2dbc:pool:postgresql", "", "postgresql+", "+x", "jdbc:h2");
		Arbitrary<String> users = Arbitraries.of("", "u@", "u:" + PASSWORD + "@", ":" + PASSWORD + "@",
				"u%40x:" + PASSWORD + "@", "u:" + PASSWORD + "%zz@", "@", "u:@");
		Arbitrary<String> hosts = Arbitraries.of("", "localhost", "127.0.0.1", "[::1]", "[::1", "h:5432", "h:0",
				"h:65536", "h:-1", "h:x", "h:99999999999", "/", "%2Ftmp");
		Arbitrary<String> paths = Arbitraries.oneOf(Arbitraries.of("", "/", "/db", "//abs.db", "/:memory:", "/a b",
				"/%zz", "/\u00e9"), Arbitraries.strings().withChars("/%:@#=+ab.").ofMaxLength(10));
		Arbitrary<String> options = Arbitraries.of("max_size=-1", "max_size=0", "max_size=abc", "max_size=2147483648",
				"min_size=5&max_size=2", "min_size=-1", "acquire_timeout=forever", "acquire_timeout=-5s",
				"acquire_timeout=PT0S", "connect_timeout=1h", "statement_timeout=0", "statement_timeout=-1ms",
				"disconnect_timeout=10q", "max_idle_time=P1D", "max_life_time=%zz", "ssl=maybe", "ssl=verify-full",
				"ssl=true", "ssl=", "=x", "x=", "&&", "password=" + PASSWORD, "a=1&a=2", "sslmode=require")
			.list()
			.ofMaxSize(3)
			.map((list) -> list.isEmpty() ? "" : "?" + String.join("&", list));
		return Combinators.combine(schemes, users, hosts, paths, options)
			.as((scheme, user, host, path, query) -> scheme + "://" + user + host + path + query);
	}

	@Provide
	Arbitrary<String> validUrls() {
		return Arbitraries.of("postgresql://u:" + PASSWORD + "@localhost/db", "mysql://u:" + PASSWORD + "@h:3306/db",
				"h2:mem:///x", "sqlite:///x.db", "mariadb://u:" + PASSWORD + "@h/db?max_size=3");
	}

	@Provide
	Arbitrary<Map<String, Object>> options() {
		Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(ConnectOptions.NAMES.toArray(new String[0])),
				Arbitraries.of("application_name", "sslmode", "tcpKeepAlive", "x"));
		Arbitrary<Object> values = Arbitraries.oneOf(
				Arbitraries.of("", "1", "0", "-1", "10", "abc", "10s", "500ms", "PT1S", "PT-1S", "1d", "forever",
						"true", "false", "disable", "require", "verify-full", "maybe", "9999999999999"),
				Arbitraries.integers().between(-3, 100_000).map((i) -> (Object) i),
				Arbitraries.longs().map((l) -> (Object) l), Arbitraries.of(true, false).map((b) -> (Object) b),
				Arbitraries.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofMillis(1), Duration.ofDays(3650),
						Duration.ofNanos(1)).map((d) -> (Object) d),
				Arbitraries.of(0.5, -0.0, 1e300, Double.NaN).map((d) -> (Object) d));
		return Arbitraries.maps(names, values).ofMinSize(1).ofMaxSize(4);
	}

	@Provide
	Arbitrary<String> sql() {
		// Bare parentheses and a second SELECT are left out: they build H2 ROW values, on which r2dbc-h2
		// 1.1.0 overflows the stack (FaultBadInputTests#rowValueOnH2ShouldFailAsASignalAndReleaseTheConnection).
		Arbitrary<String> heads = Arbitraries.of("SELECT ", "SELECT * FROM " + TABLE, "SELECT id, v FROM " + TABLE,
				"VALUES ", "", "SELECT :a", "SELECT COUNT(*) FROM " + TABLE);
		Arbitrary<String> fragments = Arbitraries.of(" FROM " + TABLE, " WHERE id = :a", " WHERE v = :b",
				" WHERE id IN (:ids)", " AND ", " OR ", ":a", ":b", ":ids", ":c", "1", "'", "'x'", "':a'", "\"", "\"id\"",
				"--", "-- :a\n", "/*", "*/", "/* :b */", "::", "::VARCHAR", "?", "$1", " = ", "CAST(:a AS VARCHAR(10))",
				"COALESCE(:a, :b)", "\n", " ", "VALUES (1)", ";", "NULL", "\\", "\\:a", ":a:b", "::a", ":", "e'\\''",
				"$$ :a $$", "[", "]", "`", "\u00e9", "\ud83d\ude00");
		return Combinators.combine(heads, fragments.list().ofMaxSize(10))
			.as((head, parts) -> head + String.join("", parts));
	}

	@Provide
	Arbitrary<Map<String, Object>> values() {
		Arbitrary<String> names = Arbitraries.of("a", "b", "c", "ids");
		Arbitrary<Object> values = Arbitraries.oneOf(
				Arbitraries.of(FaultBadInputTests.corpus().subList(0, 40).toArray(new String[0])).map((s) -> (Object) s),
				Arbitraries.integers().map((i) -> (Object) i), Arbitraries.longs().map((l) -> (Object) l),
				Arbitraries.of(true, false).map((b) -> (Object) b),
				Arbitraries.of(BigDecimal.ZERO, new BigDecimal("1e-40"), new BigDecimal("123456789.123456789"))
					.map((d) -> (Object) d),
				Arbitraries.of(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31)).map((d) -> (Object) d),
				Arbitraries.integers().between(-5, 5).list().ofMaxSize(5).map((l) -> (Object) l),
				Arbitraries.just((Object) List.of()));
		return Arbitraries.maps(names, values.injectNull(0.1)).ofMaxSize(4).map(HashMap::new);
	}

}

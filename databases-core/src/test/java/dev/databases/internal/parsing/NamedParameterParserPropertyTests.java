package dev.databases.internal.parsing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Property tests for {@link NamedParameterParser}: generated SQL mixes plain SQL, parameters,
 * strings, quoted identifiers, comments, dollar quotes, casts and escaped colons, each written
 * the way its {@link SqlSyntax} reads it, and is bound to generated values.
 */
class NamedParameterParserPropertyTests {

	private static final List<String> NAMES = List.of("a", "b", "id", "x1", "_n", "Name");

	// Pieces of text that would change meaning if the parser looked inside a string or comment.
	private static final List<String> CONTENT = List.of(":x", ":a", ":id", "::", ":=", "?", "$1", "$$", " ", "a",
			"Z", "9", "'", "\"", "`", "\\", "\\:", "-", "--", "#", "[", "]", "\n", "e", "E", ";", "(", ")", "/", "*",
			"é", "\t");

	// Characters a marker or the separators between expanded markers can contain.
	private static final String MARKER_CHARS = "$0123456789?, ()";

	private final NamedParameterParser parser = new NamedParameterParser();

	@Property(tries = 10_000)
	void bindShouldNeverWriteAValueIntoTheSql(@ForAll("cases") Case sample) {
		BoundSql bound = bind(sample);
		for (Object leaf : leaves(sample.values().values())) {
			String text = String.valueOf(leaf);
			if (leaf instanceof String && text.chars().noneMatch((c) -> MARKER_CHARS.indexOf(c) >= 0)) {
				// Without marker characters a value cannot straddle a marker, so any occurrence was spliced.
				assertThat(!bound.sql().contains(text) || sample.sql().contains(text))
					.as("value %s appears in %s", text, bound.sql())
					.isTrue();
			}
		}
		assertThat(bound.values()).containsExactlyElementsOf(model(sample).values());
	}

	@Property(tries = 10_000)
	void bindShouldKeepStringsCommentsDollarQuotesAndCastsUnchanged(@ForAll("cases") Case sample) {
		String rendered = bind(sample).sql();
		int from = 0;
		for (Fragment fragment : sample.fragments()) {
			for (String kept : fragment.keptText()) {
				int at = rendered.indexOf(kept, from);
				assertThat(at).as("%s kept in order in %s", kept, rendered).isGreaterThanOrEqualTo(0);
				from = at + kept.length();
			}
		}
	}

	@Property(tries = 10_000)
	void bindShouldRenderWhatTheModelRenders(@ForAll("cases") Case sample) {
		Model expected = model(sample);
		BoundSql bound = bind(sample);
		assertThat(bound.sql()).isEqualTo(expected.sql());
		assertThat(this.parser.parse(sample.sql(), sample.syntax()).parameterNames())
			.containsExactlyElementsOf(expected.names());
	}

	@Property(tries = 10_000)
	void bindShouldEmitOneMarkerPerBoundValue(@ForAll("cases") Case sample) {
		BoundSql bound = bind(sample);
		if (indexed(sample.syntax())) {
			List<Integer> added = new ArrayList<>(numberedMarkers(bound.sql()));
			numberedMarkers(sample.sql()).forEach(added::remove);
			Collection<Integer> distinct = new TreeSet<>(added);
			assertThat(distinct).containsExactlyElementsOf(
					IntStream.rangeClosed(1, bound.values().size()).boxed().collect(Collectors.toList()));
		}
		else {
			long added = count(bound.sql(), '?') - count(sample.sql(), '?');
			assertThat(added).isEqualTo(bound.values().size());
		}
	}

	@Property(tries = 10_000)
	void parseOfArbitraryTextShouldNeverThrow(@ForAll String sql, @ForAll SqlSyntax syntax) {
		checkArbitrary(sql, syntax);
	}

	@Property(tries = 10_000)
	void parseOfSqlLikeTextShouldNeverThrow(@ForAll("sqlLike") String sql, @ForAll SqlSyntax syntax) {
		checkArbitrary(sql, syntax);
	}

	/** Parse never throws; bind throws only UnboundParameterException, and only for a missing key. */
	private void checkArbitrary(String sql, SqlSyntax syntax) {
		ParsedSql parsed = this.parser.parse(sql, syntax);
		assertThat(parsed.sql()).isEqualTo(sql);
		Map<String, Object> values = new HashMap<>();
		for (String name : parsed.parameterNames()) {
			assertThat(name).matches("[A-Za-z_][A-Za-z0-9_]*");
			values.put(name, "v");
		}
		BoundSql bound = parsed.bind(values);
		if (!indexed(syntax)) {
			assertThat(count(bound.sql(), '?') - count(sql, '?')).isEqualTo(bound.values().size());
		}
		if (parsed.parameterNames().isEmpty()) {
			assertThat(parsed.bind(Map.of()).values()).isEmpty();
		}
		else {
			assertThatExceptionOfType(UnboundParameterException.class).isThrownBy(() -> parsed.bind(Map.of()))
				.satisfies((ex) -> assertThat(ex.parameter()).isEqualTo(parsed.parameterNames().get(0)));
		}
	}

	private BoundSql bind(Case sample) {
		return this.parser.parse(sample.sql(), sample.syntax()).bind(sample.values());
	}

	// ---- Generators ----

	@Provide
	Arbitrary<Case> cases() {
		return Arbitraries.of(SqlSyntax.class)
			.flatMap((syntax) -> Combinators.combine(fragment(syntax).list().ofMaxSize(25), values())
				.as((fragments, values) -> new Case(syntax, fragments, values)));
	}

	@Provide
	Arbitrary<String> sqlLike() {
		return Arbitraries.oneOf(Arbitraries.of(CONTENT), Arbitraries.of(":", "$", "$tag$", "/*", "*/", "E'", "x", "_1"))
			.list()
			.ofMaxSize(30)
			.map((parts) -> String.join("", parts));
	}

	/**
	 * Pieces of SQL as the dialect writes them. The rules are restated here rather than read from
	 * {@link SqlSyntax}, so a wrong rule there cannot silently change what is generated.
	 */
	private Arbitrary<Fragment> fragment(SqlSyntax syntax) {
		boolean postgres = syntax == SqlSyntax.POSTGRESQL;
		boolean mysql = syntax == SqlSyntax.MYSQL;
		boolean h2 = syntax == SqlSyntax.H2;
		boolean sqlite = syntax == SqlSyntax.SQLITE;
		List<Tuple.Tuple2<Integer, Arbitrary<Fragment>>> kinds = new ArrayList<>();
		kinds.add(Tuple.of(6, plainSql(syntax).map(Fragment::plain)));
		kinds.add(Tuple.of(6, parameter(syntax)));
		kinds.add(Tuple.of(1, Arbitraries.of("59", "x", "name").map(Fragment::escapedColon)));
		kinds.add(Tuple.of(1, Arbitraries.of("::int", "::text[]", "::jsonb").map(Fragment::kept)));
		kinds.add(Tuple.of(2, content().map((c) -> quoted('\'', c, mysql))));
		kinds.add(Tuple.of(1, content().map((c) -> quoted('"', c, mysql))));
		kinds.add(Tuple.of(2, content().map((c) -> Fragment.kept("-- " + c.replaceAll("[\r\n]", "") + "\n"))));
		kinds.add(Tuple.of(2, content().map((c) -> Fragment.kept("/*" + c.replaceAll("[*/]", "") + "*/"))));
		if (postgres || h2) {
			kinds.add(Tuple.of(1, Combinators.combine(content(), content())
				.as((c1, c2) -> Fragment.kept("/* " + c1.replaceAll("[*/]", "") + " /* " + c2.replaceAll("[*/]", "")
						+ " */ " + c1.replaceAll("[*/]", "") + " */"))));
		}
		if (postgres) {
			kinds.add(Tuple.of(1, content().map((c) -> Fragment.kept("E'" + escapeString(c) + "'"))));
		}
		if (postgres || h2) {
			Arbitrary<String> tags = postgres ? Arbitraries.of("$$", "$fn$", "$_q1$") : Arbitraries.just("$$");
			kinds.add(Tuple.of(2, Combinators.combine(tags, content())
				.as((tag, c) -> Fragment.kept(tag + c.replace("$", "") + tag))));
		}
		if (mysql || h2 || sqlite) {
			kinds.add(Tuple.of(1, content().map((c) -> Fragment.kept("`" + c.replace("`", "``") + "`"))));
		}
		if (sqlite) {
			kinds.add(Tuple.of(1, content().map((c) -> Fragment.kept("[" + c.replace("]", "") + "]"))));
		}
		if (mysql) {
			kinds.add(Tuple.of(1, content().map((c) -> Fragment.kept("#" + c.replaceAll("[\r\n]", "") + "\n"))));
		}
		if (h2) {
			kinds.add(Tuple.of(1, content().map((c) -> Fragment.kept("//" + c.replaceAll("[\r\n]", "") + "\n"))));
		}
		return Arbitraries.frequencyOf(kinds);
	}

	private static Arbitrary<String> plainSql(SqlSyntax syntax) {
		List<String> words = new ArrayList<>(List.of("SELECT", "FROM t", "WHERE", "=", "(", ")", ",", "1", "IN",
				"a[1:2]", "x := 1", "?", "&", "@v", "a.b", "NULL", "x::int", "-", "/", "*", "E", "e", "a$b", ":", "::",
				"$1", "é"));
		switch (syntax) {
			// A dollar inside an identifier does not open a dollar quote.
			case POSTGRESQL -> words.addAll(List.of("#", "c$$", "a$b$", "_$$"));
			case H2 -> words.addAll(List.of("c$$", "x$$y"));
			// MySQL reads "--" as a comment only before whitespace.
			case MYSQL -> words.addAll(List.of("1--1", "--x"));
			case SQLITE -> words.add("#");
		}
		return Arbitraries.of(words);
	}

	private static Arbitrary<Fragment> parameter(SqlSyntax syntax) {
		List<String> before = switch (syntax) {
			// On SQLite "[" opens a quoted identifier, so subscripts around a parameter only elsewhere.
			case SQLITE -> List.of("", "(", "=", ",");
			case MYSQL -> List.of("", "(", "=", ",", "[", "--", "@v:=");
			default -> List.of("", "(", "=", ",", "[", "c$", "x$$");
		};
		return Combinators.combine(Arbitraries.of(before), Arbitraries.of(NAMES),
				Arbitraries.of("", ")", "::text", ",", "]", "::int[]"))
			.as(Fragment::parameter);
	}

	private static Arbitrary<String> content() {
		return Arbitraries.of(CONTENT).list().ofMaxSize(8).map((parts) -> String.join("", parts));
	}

	/** Content of a PostgreSQL E'' string, its quotes escaped alternately as '' and \'. */
	private static String escapeString(String content) {
		StringBuilder escaped = new StringBuilder();
		boolean doubled = true;
		for (char c : content.toCharArray()) {
			if (c == '\\') {
				escaped.append("\\\\");
			}
			else if (c == '\'') {
				escaped.append(doubled ? "''" : "\\'");
				doubled = !doubled;
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static Fragment quoted(char quote, String content, boolean backslashEscapes) {
		String escaped = backslashEscapes ? content.replace("\\", "\\\\") : content;
		escaped = escaped.replace(String.valueOf(quote), String.valueOf(quote) + quote);
		return Fragment.kept(quote + escaped + quote);
	}

	private static Arbitrary<Map<String, @Nullable Object>> values() {
		return value().list().ofSize(NAMES.size()).map((list) -> {
			Map<String, @Nullable Object> values = new LinkedHashMap<>();
			for (int i = 0; i < NAMES.size(); i++) {
				values.put(NAMES.get(i), list.get(i));
			}
			return values;
		});
	}

	private static Arbitrary<@Nullable Object> value() {
		Arbitrary<@Nullable Object> scalar = scalar();
		return Arbitraries.frequencyOf(Tuple.of(6, scalar),
				Tuple.of(2, scalar.list().ofMinSize(1).ofMaxSize(4).map((list) -> (Object) list)),
				Tuple.of(1, scalar.list().ofMinSize(1).ofMaxSize(3).map((list) -> (Object) list.toArray())),
				Tuple.of(1, scalar.array(Object[].class).ofMinSize(1).ofMaxSize(3)
					.list().ofMinSize(1).ofMaxSize(3).map((tuples) -> (Object) tuples)),
				Tuple.of(1, Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(3).map((a) -> (Object) a)),
				Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(4).map((a) -> (Object) a)));
	}

	private static Arbitrary<@Nullable Object> scalar() {
		Arbitrary<String> text = Arbitraries.strings()
			.withChars("abcxyzABCé'\";-*/:\\=`#.[]_")
			.ofMinLength(1)
			.ofMaxLength(12);
		return Arbitraries.oneOf(text, Arbitraries.integers().between(-5, 20)).map((v) -> (Object) v).injectNull(0.1);
	}

	// ---- The model: what the SQL should become, computed independently of the parser ----

	private static Model model(Case sample) {
		boolean indexed = indexed(sample.syntax());
		StringBuilder sql = new StringBuilder();
		List<@Nullable Object> bound = new ArrayList<>();
		Map<String, String> markersByName = new LinkedHashMap<>();
		for (int i = 0; i < sample.fragments().size(); i++) {
			Fragment fragment = sample.fragments().get(i);
			if (i > 0) {
				sql.append(' ');
			}
			String name = fragment.name();
			if (name == null) {
				sql.append(fragment.expected());
				continue;
			}
			String markers = indexed ? markersByName.get(name) : null;
			if (markers == null) {
				markers = markers(sample.values().get(name), bound, indexed);
			}
			markersByName.putIfAbsent(name, markers);
			sql.append(fragment.before()).append(markers).append(fragment.after());
		}
		return new Model(sql.toString(), bound, List.copyOf(markersByName.keySet()));
	}

	private static String markers(@Nullable Object value, List<@Nullable Object> bound, boolean indexed) {
		List<@Nullable Object> elements = elements(value);
		if (elements == null) {
			return marker(value, bound, indexed);
		}
		List<String> parts = new ArrayList<>();
		for (Object element : elements) {
			if (element instanceof Object[] tuple) {
				List<String> inner = new ArrayList<>();
				for (Object item : tuple) {
					inner.add(marker(item, bound, indexed));
				}
				parts.add("(" + String.join(", ", inner) + ")");
			}
			else {
				parts.add(marker(element, bound, indexed));
			}
		}
		return String.join(", ", parts);
	}

	private static String marker(@Nullable Object value, List<@Nullable Object> bound, boolean indexed) {
		bound.add(value);
		return indexed ? "$" + bound.size() : "?";
	}

	private static @Nullable List<@Nullable Object> elements(@Nullable Object value) {
		if (value instanceof List<?> list) {
			return new ArrayList<>(list);
		}
		return null;
	}

	private static List<@Nullable Object> leaves(Collection<@Nullable Object> values) {
		List<@Nullable Object> leaves = new ArrayList<>();
		for (Object value : values) {
			List<@Nullable Object> elements = elements(value);
			if (elements == null) {
				leaves.add(value);
				continue;
			}
			for (Object element : elements) {
				if (element instanceof Object[] tuple) {
					leaves.addAll(Arrays.asList(tuple));
				}
				else {
					leaves.add(element);
				}
			}
		}
		return leaves;
	}

	private static List<Integer> numberedMarkers(String sql) {
		List<Integer> found = new ArrayList<>();
		for (int i = 0; i < sql.length(); i++) {
			if (sql.charAt(i) != '$') {
				continue;
			}
			int end = i + 1;
			while (end < sql.length() && Character.isDigit(sql.charAt(end)) && sql.charAt(end) < 128) {
				end++;
			}
			if (end > i + 1 && end - i < 10) {
				found.add(Integer.parseInt(sql.substring(i + 1, end)));
			}
		}
		return found;
	}

	private static boolean indexed(SqlSyntax syntax) {
		return syntax == SqlSyntax.POSTGRESQL || syntax == SqlSyntax.H2;
	}

	private static long count(String text, char c) {
		return text.chars().filter((each) -> each == c).count();
	}

	/**
	 * One piece of generated SQL. Pieces are joined with a space.
	 * @param text the piece as written
	 * @param expected what it becomes, for pieces without a parameter
	 * @param name the parameter name, or {@code null}
	 * @param before text written before the parameter
	 * @param after text written after the parameter, such as a cast
	 * @param kept whether the text is a string, comment, quoted identifier, dollar quote or cast
	 */
	record Fragment(String text, String expected, @Nullable String name, String before, String after, boolean kept) {

		static Fragment plain(String text) {
			return new Fragment(text, text, null, "", "", false);
		}

		static Fragment kept(String text) {
			return new Fragment(text, text, null, "", "", true);
		}

		static Fragment escapedColon(String word) {
			return new Fragment("\\:" + word, ":" + word, null, "", "", false);
		}

		static Fragment parameter(String before, String name, String after) {
			return new Fragment(before + ":" + name + after, "", name, before, after, false);
		}

		/** The text that must reach the output unchanged, in order. */
		List<String> keptText() {
			if (this.kept) {
				return List.of(this.text);
			}
			if (this.name != null && this.after.startsWith("::")) {
				return List.of(this.after);
			}
			return List.of();
		}

	}

	/**
	 * Generated SQL and values.
	 * @param syntax the dialect
	 * @param fragments the pieces of SQL
	 * @param values a value for every name in {@link #NAMES}, so none is missing
	 */
	record Case(SqlSyntax syntax, List<Fragment> fragments, Map<String, @Nullable Object> values) {

		String sql() {
			return this.fragments.stream().map(Fragment::text).collect(Collectors.joining(" "));
		}

		@Override
		public String toString() {
			return this.syntax + " " + sql() + " " + this.values.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + describe(entry.getValue()))
				.collect(Collectors.joining(", ", "{", "}"));
		}

		private static String describe(@Nullable Object value) {
			if (value instanceof Object[] array) {
				return Arrays.deepToString(array);
			}
			if (value instanceof int[] ints) {
				return Arrays.toString(ints);
			}
			if (value instanceof byte[] bytes) {
				return "byte" + Arrays.toString(bytes);
			}
			if (value instanceof List<?> list) {
				return list.stream().map(Case::describe).collect(Collectors.joining(", ", "[", "]"));
			}
			return String.valueOf(value);
		}

	}

	record Model(String sql, List<@Nullable Object> values, List<String> names) {

	}

}

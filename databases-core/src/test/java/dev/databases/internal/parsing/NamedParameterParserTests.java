package dev.databases.internal.parsing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.databases.internal.parsing.SqlSyntax.H2;
import static dev.databases.internal.parsing.SqlSyntax.MYSQL;
import static dev.databases.internal.parsing.SqlSyntax.POSTGRESQL;
import static dev.databases.internal.parsing.SqlSyntax.SQLITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link NamedParameterParser}, {@link ParsedSql} and {@link BoundSql}.
 * <p>
 * The first group ports the SQL edge cases of Spring Framework's {@code NamedParameterUtilsTests}
 * (spring-r2dbc) to both marker styles. Where our rules differ on purpose (names are
 * {@code [A-Za-z_][A-Za-z0-9_]*} only, no {@code :{name}} or {@code :a[0].b} property paths,
 * backticks are not quotes on PostgreSQL), the test says so.
 */
class NamedParameterParserTests {

	private final NamedParameterParser parser = new NamedParameterParser();

	// ---- Ported from Spring Framework's NamedParameterUtilsTests ----

	@Test
	void parseShouldListDistinctNamesInOrderOfFirstAppearance() {
		ParsedSql parsed = parse("xxx :a yyyy :b :c :a zzzzz", POSTGRESQL);
		assertThat(parsed.parameterNames()).containsExactly("a", "b", "c");
		assertThat(parsed.sql()).isEqualTo("xxx :a yyyy :b :c :a zzzzz");
		assertThat(render("xxx :a yyyy :b :c :a zzzzz", POSTGRESQL)).isEqualTo("xxx $1 yyyy $2 $3 $1 zzzzz");
		assertThat(render("xxx :a yyyy :b :c :a zzzzz", MYSQL)).isEqualTo("xxx ? yyyy ? ? ? zzzzz");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenAmpersandOrQuestionMarkShouldFindNoParameters(SqlSyntax syntax) {
		// Spring also reads "&a" as a parameter; here only ":" introduces one.
		assertThat(parse("xxx &a yyyy ? zzzzz", syntax).parameterNames()).isEmpty();
		assertThat(render("xxx &a yyyy ? zzzzz", syntax)).isEqualTo("xxx &a yyyy ? zzzzz");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenNameIsNotAsciiShouldFindNoParameters(SqlSyntax syntax) {
		// Spring accepts Unicode names ("ö", "ü"); ours are [A-Za-z_][A-Za-z0-9_]*.
		String sql = "xxx &ä+:ö\t:ü%10 yyyy ? zzzzz";
		assertThat(parse(sql, syntax).parameterNames()).isEmpty();
		assertThat(render(sql, syntax)).isEqualTo(sql);
	}

	@Test
	void bindWhenIndexedMarkersShouldNumberEachName() {
		BoundSql bound = bind("xxx :a :b :c", POSTGRESQL, Map.of("a", "a", "b", "b", "c", "c"));
		assertThat(bound.sql()).isEqualTo("xxx $1 $2 $3");
		assertThat(bound.values()).containsExactly("a", "b", "c");
	}

	@Test
	void bindWhenAnonymousMarkersShouldUseQuestionMarks() {
		BoundSql bound = bind("xxx :a :b :c", SQLITE, Map.of("a", "a", "b", "b", "c", "c"));
		assertThat(bound.sql()).isEqualTo("xxx ? ? ?");
		assertThat(bound.values()).containsExactly("a", "b", "c");
	}

	@Test
	void bindWhenListOfObjectArraysShouldRenderNumberedTuples() {
		BoundSql bound = bind("xxx :a", H2, Map.of("a", walterAndJunior()));
		assertThat(bound.sql()).isEqualTo("xxx ($1, $2), ($3, $4)");
		assertThat(bound.values()).containsExactly("Walter", "Heisenberg", "Walt Jr.", "Flynn");
	}

	@Test
	void bindWhenListOfObjectArraysShouldRenderAnonymousTuples() {
		BoundSql bound = bind("xxx :a", MYSQL, Map.of("a", walterAndJunior()));
		assertThat(bound.sql()).isEqualTo("xxx (?, ?), (?, ?)");
		assertThat(bound.values()).containsExactly("Walter", "Heisenberg", "Walt Jr.", "Flynn");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenSqlHasCommentsShouldSkipThem(SqlSyntax syntax) {
		String sql = "/*+ HINT */ xxx /* comment ? */ :a yyyy :b :c :a zzzzz -- :xx XX\n";
		assertThat(parse(sql, syntax).parameterNames()).containsExactly("a", "b", "c");
		assertThat(render(sql, syntax)).isEqualTo(syntax.indexedMarkers()
				? "/*+ HINT */ xxx /* comment ? */ $1 yyyy $2 $3 $1 zzzzz -- :xx XX\n"
				: "/*+ HINT */ xxx /* comment ? */ ? yyyy ? ? ? zzzzz -- :xx XX\n");
		String noNewline = "/*+ HINT */ xxx /* comment ? */ :a yyyy :b :c :a zzzzz -- :xx XX";
		assertThat(render(noNewline, syntax)).isEqualTo(syntax.indexedMarkers()
				? "/*+ HINT */ xxx /* comment ? */ $1 yyyy $2 $3 $1 zzzzz -- :xx XX"
				: "/*+ HINT */ xxx /* comment ? */ ? yyyy ? ? ? zzzzz -- :xx XX");
	}

	@Test
	void parseWhenPostgresCastShouldKeepCast() {
		String sql = "select 'first name' from artists where id = :id and birth_date=:birthDate::timestamp";
		assertThat(parse(sql, POSTGRESQL).parameterNames()).containsExactly("id", "birthDate");
		assertThat(render(sql, POSTGRESQL))
			.isEqualTo("select 'first name' from artists where id = $1 and birth_date=$2::timestamp");
	}

	@Test
	void parseWhenPostgresJsonbContainsOperatorShouldLeaveQuestionMarksAlone() {
		String sql = "select 'first name' from artists where info->'stat'->'albums' = ?? :album and "
				+ "'[\"1\",\"2\",\"3\"]'::jsonb ?? '4'";
		assertThat(parse(sql, POSTGRESQL).parameterNames()).containsExactly("album");
		assertThat(render(sql, POSTGRESQL)).isEqualTo("select 'first name' from artists where info->'stat'->'albums' = "
				+ "?? $1 and '[\"1\",\"2\",\"3\"]'::jsonb ?? '4'");
	}

	@Test
	void parseWhenPostgresAnyArrayStringsExistOperatorShouldFindNoParameters() {
		String sql = "select '[\"3\", \"11\"]'::jsonb ?| '{1,3,11,12,17}'::text[]";
		assertThat(parse(sql, POSTGRESQL).parameterNames()).isEmpty();
		assertThat(render(sql, POSTGRESQL)).isEqualTo(sql);
	}

	@Test
	void parseWhenPostgresAllArrayStringsExistOperatorShouldFindOneParameter() {
		String sql = "select '[\"3\", \"11\"]'::jsonb ?& '{1,3,11,12,17}'::text[] AND :album = 'Back in Black'";
		assertThat(parse(sql, POSTGRESQL).parameterNames()).containsExactly("album");
		assertThat(render(sql, POSTGRESQL))
			.isEqualTo("select '[\"3\", \"11\"]'::jsonb ?& '{1,3,11,12,17}'::text[] AND $1 = 'Back in Black'");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenColonIsEscapedShouldDropBackslashOutsideStrings(SqlSyntax syntax) {
		String sql = "select '0\\:0' as a, foo from bar where baz < DATE(:p1 23\\:59\\:59) and baz = :p2";
		assertThat(parse(sql, syntax).parameterNames()).containsExactly("p1", "p2");
		assertThat(render(sql, syntax)).isEqualTo(syntax.indexedMarkers()
				? "select '0\\:0' as a, foo from bar where baz < DATE($1 23:59:59) and baz = $2"
				: "select '0\\:0' as a, foo from bar where baz < DATE(? 23:59:59) and baz = ?");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenBracesFollowColonShouldFindNoParameters(SqlSyntax syntax) {
		// Spring reads ":{p1}" as a parameter; here a colon must be followed by a name.
		for (String sql : List.of("select foo from bar where baz = b:{p1}:{p2}z", "select foo from bar where baz = b:{}z",
				"select foo from bar where baz = 'b:{p1}z'", "select foo from bar where baz = b:{p}z")) {
			assertThat(parse(sql, syntax).parameterNames()).as(sql).isEmpty();
			assertThat(render(sql, syntax)).isEqualTo(sql);
		}
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenLogicalAndShouldKeepSql(SqlSyntax syntax) {
		assertThat(render("xxx & yyyy", syntax)).isEqualTo("xxx & yyyy");
		assertThat(parse("xxx & yyyy", syntax).bind(Map.of()).values()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenVariableAssignmentShouldKeepSql(SqlSyntax syntax) {
		assertThat(parse("x := 1", syntax).parameterNames()).isEmpty();
		assertThat(render("x := 1", syntax)).isEqualTo("x := 1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "SELECT ':foo'':doo', :xxx FROM DUAL", "SELECT /*:doo*/':foo', :xxx FROM DUAL",
			"SELECT ':foo'/*:doo*/, :xxx FROM DUAL", "SELECT \":foo\"\":doo\", :xxx FROM DUAL" })
	void parseWhenNamesInsideQuotesAndCommentsShouldFindOnlyTheRealOne(String sql) {
		for (SqlSyntax syntax : SqlSyntax.values()) {
			assertThat(parse(sql, syntax).parameterNames()).as(syntax.name()).containsExactly("xxx");
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "MYSQL", "H2", "SQLITE" })
	void parseWhenNamesInsideBackticksShouldFindOnlyTheRealOne(SqlSyntax syntax) {
		assertThat(parse("SELECT `:foo``:doo`, :xxx FROM DUAL", syntax).parameterNames()).containsExactly("xxx");
	}

	@Test
	void parseWhenBackticksOnPostgresShouldNotTreatThemAsQuotes() {
		// A backtick is an operator character on PostgreSQL, never a quote.
		assertThat(parse("SELECT `:foo`, :xxx", POSTGRESQL).parameterNames()).containsExactly("foo", "xxx");
	}

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "H2", "MYSQL" })
	void parseWhenParameterInsideSquareBracketsShouldFindIt(SqlSyntax syntax) {
		assertThat(parse("SELECT ARRAY[:ext]", syntax).parameterNames()).containsExactly("ext");
		assertThat(render("SELECT ARRAY[:ext]", syntax))
			.isEqualTo(syntax.indexedMarkers() ? "SELECT ARRAY[$1]" : "SELECT ARRAY[?]");
	}

	@Test
	void parseWhenNameIsFollowedBySubscriptShouldEndNameAtBracket() {
		// Spring reads ":records[0].id" as a property path; here the name ends, so PostgreSQL sees $1[0].
		String sql = "insert into GeneratedAlways (id, first_name, last_name) values "
				+ "(:records[0].id, :records[0].firstName, :records[0].lastName), "
				+ "(:records[1].id, :records[1].firstName, :records[1].lastName)";
		assertThat(parse(sql, POSTGRESQL).parameterNames()).containsExactly("records");
		assertThat(render("values (:headers[id])", POSTGRESQL)).isEqualTo("values ($1[id])");
		assertThat(parse("values (:headers[id])", POSTGRESQL).parameterNames()).containsExactly("headers");
	}

	@ParameterizedTest
	@EnumSource(names = { "MYSQL", "H2", "SQLITE" })
	void parseWhenTableNameInBackticksShouldFindParameter(SqlSyntax syntax) {
		String sql = "select * from `tb&user` where id = :id";
		assertThat(parse(sql, syntax).parameterNames()).containsExactly("id");
		assertThat(render(sql, syntax)).isEqualTo(syntax.indexedMarkers() ? "select * from `tb&user` where id = $1"
				: "select * from `tb&user` where id = ?");
	}

	@Test
	void bindWhenNameIsUsedTwiceWithIndexedMarkersShouldBindOnce() {
		String sql = "SELECT * FROM person where name = :id or lastname = :id";
		assertThat(parse(sql, POSTGRESQL).parameterNames()).containsExactly("id");
		BoundSql bound = bind(sql, POSTGRESQL, Map.of("id", "foo"));
		assertThat(bound.sql()).isEqualTo("SELECT * FROM person where name = $1 or lastname = $1");
		assertThat(bound.values()).containsExactly("foo");
	}

	@Test
	void bindWhenNameIsUsedTwiceWithAnonymousMarkersShouldBindTwice() {
		BoundSql bound = bind("SELECT * FROM person where name = :id or lastname = :id", MYSQL, Map.of("id", "foo"));
		assertThat(bound.sql()).isEqualTo("SELECT * FROM person where name = ? or lastname = ?");
		assertThat(bound.values()).containsExactly("foo", "foo");
	}

	@Test
	void bindWhenCollectionIsUsedTwiceWithIndexedMarkersShouldBindOnce() {
		BoundSql bound = bind("SELECT * FROM person where name IN (:ids) or lastname IN (:ids)", POSTGRESQL,
				Map.of("ids", List.of("foo", "bar", "baz")));
		assertThat(bound.sql()).isEqualTo("SELECT * FROM person where name IN ($1, $2, $3) or lastname IN ($1, $2, $3)");
		assertThat(bound.values()).containsExactly("foo", "bar", "baz");
	}

	@Test
	void bindWhenCollectionIsUsedTwiceWithAnonymousMarkersShouldBindTwice() {
		BoundSql bound = bind("SELECT * FROM fund_info WHERE fund_code IN (:fundCodes) OR fund_code IN (:fundCodes)",
				MYSQL, Map.of("fundCodes", List.of("foo", "bar", "baz")));
		assertThat(bound.sql())
			.isEqualTo("SELECT * FROM fund_info WHERE fund_code IN (?, ?, ?) OR fund_code IN (?, ?, ?)");
		assertThat(bound.values()).containsExactly("foo", "bar", "baz", "foo", "bar", "baz");
	}

	@Test
	void bindWhenNullIsUsedTwiceShouldBindOnceOrTwicePerMarkerStyle() {
		Map<String, Object> values = new HashMap<>();
		values.put("id", null);
		String sql = "SELECT * FROM person where name = :id or lastname = :id";
		BoundSql indexed = bind(sql, H2, values);
		assertThat(indexed.sql()).isEqualTo("SELECT * FROM person where name = $1 or lastname = $1");
		assertThat(indexed.values()).containsExactly((Object) null);
		assertThat(bind(sql, SQLITE, values).values()).containsExactly(null, null);
	}

	@Test
	void bindWhenCollectionInTwoStatementsShouldBindEachUse() {
		String sql = """
				SELECT * FROM PERSON
				WHERE name IN (:ids)
				GROUP BY address
				UNION
				SELECT * FROM PERSON
				WHERE name NOT IN (:ids)
				""";
		BoundSql bound = bind(sql, MYSQL, Map.of("ids", List.of("user1", "user2", "user3")));
		assertThat(bound.sql()).isEqualTo("""
				SELECT * FROM PERSON
				WHERE name IN (?, ?, ?)
				GROUP BY address
				UNION
				SELECT * FROM PERSON
				WHERE name NOT IN (?, ?, ?)
				""");
		assertThat(bound.values()).containsExactly("user1", "user2", "user3", "user1", "user2", "user3");
	}

	// ---- Names, casts, colons ----

	@ParameterizedTest
	@EnumSource
	void parseWhenNameHasDigitsAndUnderscoresShouldReadWholeName(SqlSyntax syntax) {
		assertThat(parse("a = :_x1_y2, b = :Z9", syntax).parameterNames()).containsExactly("_x1_y2", "Z9");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenDoubleColonShouldTreatItAsCast(SqlSyntax syntax) {
		assertThat(parse("SELECT x::int, y::text[]", syntax).parameterNames()).isEmpty();
		assertThat(render("SELECT x::int, y::text[]", syntax)).isEqualTo("SELECT x::int, y::text[]");
		assertThat(parse("SELECT :name::text", syntax).parameterNames()).containsExactly("name");
		assertThat(render("SELECT :name::text", syntax))
			.isEqualTo(syntax.indexedMarkers() ? "SELECT $1::text" : "SELECT ?::text");
	}

	@Test
	void parseWhenColonIsFollowedByDigitShouldKeepArraySlice() {
		assertThat(parse("SELECT a[1:2], a[:3], b[2:]", POSTGRESQL).parameterNames()).isEmpty();
		assertThat(render("SELECT a[1:2], a[:3], b[2:]", POSTGRESQL)).isEqualTo("SELECT a[1:2], a[:3], b[2:]");
	}

	@Test
	void parseWhenSliceBoundsAreColumnsShouldNeedEscape() {
		assertThat(parse("SELECT a[lo:hi]", POSTGRESQL).parameterNames()).containsExactly("hi");
		assertThat(parse("SELECT a[lo\\:hi]", POSTGRESQL).parameterNames()).isEmpty();
		assertThat(render("SELECT a[lo\\:hi]", POSTGRESQL)).isEqualTo("SELECT a[lo:hi]");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenColonIsFollowedByOtherCharacterShouldKeepIt(SqlSyntax syntax) {
		String sql = "SELECT : , :- , :( , x: , :";
		assertThat(parse(sql, syntax).parameterNames()).isEmpty();
		assertThat(render(sql, syntax)).isEqualTo(sql);
	}

	@Test
	void parseWhenAssignmentOnMysqlShouldFindParameterAfterIt() {
		String sql = "SELECT @a := :v, @b:=:w";
		assertThat(parse(sql, MYSQL).parameterNames()).containsExactly("v", "w");
		assertThat(render(sql, MYSQL)).isEqualTo("SELECT @a := ?, @b:=?");
	}

	@Test
	void parseWhenNamedArgumentNotationOnPostgresShouldFindParameters() {
		String sql = "SELECT f(a => :x, b := :y, c:=:z)";
		assertThat(render(sql, POSTGRESQL)).isEqualTo("SELECT f(a => $1, b := $2, c:=$3)");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenEscapedColonShouldRemoveOnlyTheBackslash(SqlSyntax syntax) {
		assertThat(render("SELECT 'a' AS \\:x, \\:y, \\\\z", syntax)).isEqualTo("SELECT 'a' AS :x, :y, \\\\z");
		assertThat(parse("SELECT \\:x", syntax).parameterNames()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenEscapedColonAndNoParameterShouldStillRemoveBackslash(SqlSyntax syntax) {
		BoundSql bound = parse("SELECT 1 \\:", syntax).bind(Map.of());
		assertThat(bound.sql()).isEqualTo("SELECT 1 :");
		assertThat(bound.values()).isEmpty();
	}

	// ---- Strings and identifiers ----

	@ParameterizedTest
	@EnumSource
	void parseWhenQuoteIsDoubledInStringShouldStayInString(SqlSyntax syntax) {
		assertThat(parse("SELECT 'it''s :x', :y", syntax).parameterNames()).containsExactly("y");
		assertThat(parse("SELECT '''', :y, ''''", syntax).parameterNames()).containsExactly("y");
	}

	@Test
	void parseWhenBackslashQuoteOnMysqlShouldStayInString() {
		assertThat(parse("SELECT 'it\\'s :x', :y", MYSQL).parameterNames()).containsExactly("y");
		assertThat(parse("SELECT 'a\\\\', :y", MYSQL).parameterNames()).containsExactly("y");
	}

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "H2", "SQLITE" })
	void parseWhenBackslashQuoteElsewhereShouldEndString(SqlSyntax syntax) {
		// Standard strings have no backslash escapes: the string is 'it\', then s :x is SQL.
		assertThat(parse("SELECT 'it\\'s :x', :y", syntax).parameterNames()).containsExactly("x");
	}

	@Test
	void parseWhenDoubleQuotesOnMysqlShouldBeStringWithBackslashEscapes() {
		assertThat(parse("SELECT \"a :x\", :y", MYSQL).parameterNames()).containsExactly("y");
		assertThat(parse("SELECT \"a\\\" :x\", :y", MYSQL).parameterNames()).containsExactly("y");
		assertThat(parse("SELECT \"a\"\" :x\", :y", MYSQL).parameterNames()).containsExactly("y");
	}

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "H2", "SQLITE" })
	void parseWhenDoubleQuotedIdentifierShouldSkipIt(SqlSyntax syntax) {
		String sql = "SELECT \"weird:name\", \"a\"\":b\" FROM t WHERE c = :c";
		assertThat(parse(sql, syntax).parameterNames()).containsExactly("c");
		// No backslash escapes in identifiers: "a\" ends at the second quote.
		assertThat(parse("SELECT \"a\\\" :x", syntax).parameterNames()).containsExactly("x");
	}

	@Test
	void parseWhenSquareBracketIdentifierOnSqliteShouldSkipIt() {
		assertThat(parse("SELECT [odd:name], :x", SQLITE).parameterNames()).containsExactly("x");
		assertThat(parse("SELECT [odd:name], :x", MYSQL).parameterNames()).containsExactly("name", "x");
	}

	@Test
	void parseWhenEscapeStringOnPostgresShouldHonourBackslashes() {
		assertThat(parse("SELECT E'it\\'s :x', :y", POSTGRESQL).parameterNames()).containsExactly("y");
		assertThat(parse("SELECT e'\\\\', :y", POSTGRESQL).parameterNames()).containsExactly("y");
		assertThat(parse("SELECT E'a''b\\'c :x', :y", POSTGRESQL).parameterNames()).containsExactly("y");
		assertThat(render("SELECT E'it\\'s :x', :y", POSTGRESQL)).isEqualTo("SELECT E'it\\'s :x', $1");
	}

	@Test
	void parseWhenLetterEBelongsToIdentifierShouldReadStandardString() {
		// "type'..." is not an E'' string: the E is the end of a word.
		assertThat(parse("SELECT type'\\', :x", POSTGRESQL).parameterNames()).containsExactly("x");
	}

	@Test
	void parseWhenEscapeStringOnOtherSyntaxShouldReadPlainString() {
		assertThat(parse("SELECT E'a\\', :y", H2).parameterNames()).containsExactly("y");
	}

	@Test
	void parseWhenDollarQuotedOnPostgresShouldSkipIt() {
		String sql = "SELECT $$ :x ' $$, $fn$ :y $$ :z $fn$, $_a1$$_a1$, :w";
		assertThat(parse(sql, POSTGRESQL).parameterNames()).containsExactly("w");
		assertThat(render(sql, POSTGRESQL)).isEqualTo("SELECT $$ :x ' $$, $fn$ :y $$ :z $fn$, $_a1$$_a1$, $1");
	}

	@Test
	void parseWhenDollarIsNotAQuoteOnPostgresShouldFindParameters() {
		assertThat(parse("SELECT $1, :x", POSTGRESQL).parameterNames()).containsExactly("x");
		assertThat(parse("SELECT a$b$ :x, c$$ :y", POSTGRESQL).parameterNames()).containsExactly("x", "y");
		assertThat(parse("SELECT $tag :x", POSTGRESQL).parameterNames()).containsExactly("x");
	}

	@Test
	void parseWhenDollarQuotedOnH2ShouldSkipOnlyUntaggedOnes() {
		assertThat(parse("SELECT $$ :x $$, :w", H2).parameterNames()).containsExactly("w");
		assertThat(parse("SELECT $fn$ :y $fn$", H2).parameterNames()).containsExactly("y");
	}

	@ParameterizedTest
	@EnumSource(names = { "MYSQL", "SQLITE" })
	void parseWhenDollarOnOtherSyntaxShouldNotQuote(SqlSyntax syntax) {
		assertThat(parse("SELECT $$ :x $$", syntax).parameterNames()).containsExactly("x");
	}

	@Test
	void parseWhenQuestionMarkOnPostgresShouldLeaveIt() {
		BoundSql bound = bind("SELECT data ? 'k', data ?| array['a'], :x", POSTGRESQL, Map.of("x", 1));
		assertThat(bound.sql()).isEqualTo("SELECT data ? 'k', data ?| array['a'], $1");
		assertThat(bound.values()).containsExactly(1);
	}

	// ---- Comments ----

	@ParameterizedTest
	@EnumSource
	void parseWhenLineCommentShouldSkipToEndOfLine(SqlSyntax syntax) {
		assertThat(parse("SELECT 1 -- :x\n, :y -- :z\r\n, :w --", syntax).parameterNames()).containsExactly("y", "w");
	}

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "H2" })
	void parseWhenNestedBlockCommentShouldSkipWholeComment(SqlSyntax syntax) {
		assertThat(parse("/* /* :x */ :y */ :z", syntax).parameterNames()).containsExactly("z");
	}

	@ParameterizedTest
	@EnumSource(names = { "MYSQL", "SQLITE" })
	void parseWhenBlockCommentsDoNotNestShouldEndAtFirstClose(SqlSyntax syntax) {
		assertThat(parse("/* /* :x */ :y */ :z", syntax).parameterNames()).containsExactly("y", "z");
	}

	@ParameterizedTest
	@EnumSource
	void parseWhenUnterminatedShouldFindNoParametersAfterOpening(SqlSyntax syntax) {
		for (String sql : List.of("SELECT ' :x", "SELECT /* :x", "SELECT /* :x *", "SELECT \" :x")) {
			assertThat(parse(sql, syntax).parameterNames()).as(sql).isEmpty();
			assertThat(render(sql, syntax)).isEqualTo(sql);
		}
	}

	@Test
	void parseWhenHashOnMysqlShouldSkipComment() {
		assertThat(parse("SELECT 1 # :x\n, :y", MYSQL).parameterNames()).containsExactly("y");
		// On PostgreSQL "#" is bitwise XOR.
		assertThat(parse("SELECT 1 # :x\n, :y", POSTGRESQL).parameterNames()).containsExactly("x", "y");
	}

	@Test
	void parseWhenDashesWithoutWhitespaceOnMysqlShouldBeArithmetic() {
		assertThat(parse("SELECT 1--:x", MYSQL).parameterNames()).containsExactly("x");
		assertThat(parse("SELECT 1-- :x", MYSQL).parameterNames()).isEmpty();
		assertThat(parse("SELECT 1--\t:x", MYSQL).parameterNames()).isEmpty();
		assertThat(parse("SELECT 1--:x", POSTGRESQL).parameterNames()).isEmpty();
	}

	@Test
	void parseWhenDoubleSlashOnH2ShouldSkipComment() {
		assertThat(parse("SELECT 1 // :x\n, :y", H2).parameterNames()).containsExactly("y");
		assertThat(parse("SELECT 1 // :x\n, :y", SQLITE).parameterNames()).containsExactly("x", "y");
	}

	// ---- Collections ----

	@Test
	void bindWhenCollectionShouldExpandToOneMarkerPerElement() {
		String sql = "SELECT * FROM t WHERE id IN (:ids) AND b = :b";
		Map<String, Object> values = Map.of("ids", List.of(1, 2, 3), "b", "x");
		BoundSql indexed = bind(sql, POSTGRESQL, values);
		assertThat(indexed.sql()).isEqualTo("SELECT * FROM t WHERE id IN ($1, $2, $3) AND b = $4");
		assertThat(indexed.values()).containsExactly(1, 2, 3, "x");
		BoundSql anonymous = bind(sql, MYSQL, values);
		assertThat(anonymous.sql()).isEqualTo("SELECT * FROM t WHERE id IN (?, ?, ?) AND b = ?");
		assertThat(anonymous.values()).containsExactly(1, 2, 3, "x");
	}

	@Test
	void bindWhenScalarRepeatsAroundCollectionShouldReuseItsIndex() {
		BoundSql bound = bind(":b, :ids, :b, :ids", H2, Map.of("ids", List.of(1, 2), "b", "x"));
		assertThat(bound.sql()).isEqualTo("$1, $2, $3, $1, $2, $3");
		assertThat(bound.values()).containsExactly("x", 1, 2);
	}

	@Test
	void bindWhenSetShouldFollowIterationOrder() {
		Set<String> names = new LinkedHashSet<>(List.of("c", "a", "b"));
		BoundSql bound = bind("IN (:names)", SQLITE, Map.of("names", names));
		assertThat(bound.sql()).isEqualTo("IN (?, ?, ?)");
		assertThat(bound.values()).containsExactly("c", "a", "b");
	}

	@Test
	void bindWhenArraysShouldBindAsOneValueForSqlArrays() {
		byte[] bytes = { 1, 2, 3 };
		Object[] objects = { "a", 1 };
		String[] strings = { "s", "t" };
		int[] ints = { 7, 8 };
		Map<String, Object> values = Map.of("objects", objects, "strings", strings, "ints", ints, "bytes", bytes);
		BoundSql bound = bind(":objects; :strings; :ints; :bytes", POSTGRESQL, values);
		assertThat(bound.sql()).isEqualTo("$1; $2; $3; $4");
		assertThat(bound.values()).containsExactly(objects, strings, ints, bytes);
	}

	@Test
	void bindWhenOnlyByteArrayShouldUseSingleValueSql() {
		byte[] bytes = { 1 };
		BoundSql bound = bind("INSERT INTO t VALUES (:data)", MYSQL, Map.of("data", bytes));
		assertThat(bound.sql()).isEqualTo("INSERT INTO t VALUES (?)");
		assertThat(bound.values()).containsExactly(bytes);
	}

	@Test
	void bindWhenCollectionHasNullsShouldKeepThem() {
		List<Object> ids = Arrays.asList(1, null, 3);
		BoundSql bound = bind("IN (:ids)", POSTGRESQL, Map.of("ids", ids));
		assertThat(bound.sql()).isEqualTo("IN ($1, $2, $3)");
		assertThat(bound.values()).containsExactly(1, null, 3);
	}

	@Test
	void bindWhenTupleHasOneElementShouldStillParenthesise() {
		BoundSql bound = bind("(a) IN (:t)", MYSQL, Map.of("t", List.of(new Object[] { 1 }, new Object[] { 2 })));
		assertThat(bound.sql()).isEqualTo("(a) IN ((?), (?))");
		assertThat(bound.values()).containsExactly(1, 2);
	}

	@ParameterizedTest
	@EnumSource
	void bindWhenCollectionIsEmptyShouldThrowNamingParameter(SqlSyntax syntax) {
		ParsedSql parsed = parse("SELECT * FROM t WHERE id IN (:ids)", syntax);
		for (Object empty : List.of(List.of(), Set.of())) {
			assertThatIllegalArgumentException().isThrownBy(() -> parsed.bind(Map.of("ids", empty)))
				.withMessageContaining(":ids")
				.withMessageContaining("expands to nothing; IN () is not valid SQL");
		}
	}

	@Test
	void bindWhenTupleIsEmptyShouldThrowNamingParameter() {
		ParsedSql parsed = parse("(a, b) IN (:pairs)", POSTGRESQL);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parsed.bind(Map.of("pairs", List.of(new Object[] { 1, 2 }, new Object[0]))))
			.withMessageContaining(":pairs");
	}

	// ---- Values ----

	@Test
	void bindWhenExtraValuesShouldIgnoreThem() {
		BoundSql bound = bind("SELECT :a", POSTGRESQL, Map.of("a", 1, "unused", List.of(), "other", "x"));
		assertThat(bound.sql()).isEqualTo("SELECT $1");
		assertThat(bound.values()).containsExactly(1);
	}

	@Test
	void bindWhenValueLooksLikeSqlShouldBindItNotSpliceIt() {
		String evil = "'; DROP TABLE t; --";
		BoundSql bound = bind("SELECT * FROM t WHERE a = :a", MYSQL, Map.of("a", evil));
		assertThat(bound.sql()).isEqualTo("SELECT * FROM t WHERE a = ?").doesNotContain("DROP");
		assertThat(bound.values()).containsExactly(evil);
	}

	@Test
	void bindWhenValueIsNullShouldBindNull() {
		Map<String, Object> values = new HashMap<>();
		values.put("a", null);
		BoundSql bound = bind("SELECT :a", POSTGRESQL, values);
		assertThat(bound.values()).containsExactly((Object) null);
	}

	@ParameterizedTest
	@EnumSource
	void bindWhenParameterHasNoKeyShouldThrowNamingParameterAndSqlButNoValue(SqlSyntax syntax) {
		String sql = "SELECT * FROM users WHERE name = :name AND password = :password";
		ParsedSql parsed = parse(sql, syntax);
		assertThatExceptionOfType(UnboundParameterException.class)
			.isThrownBy(() -> parsed.bind(Map.of("name", "s3cr3t-value")))
			.satisfies((ex) -> {
				assertThat(ex.parameter()).isEqualTo("password");
				assertThat(ex.sql()).isEqualTo(sql);
				assertThat(ex.getMessage()).contains(":password").contains(sql).doesNotContain("s3cr3t-value");
			});
	}

	@Test
	void bindWhenFirstParameterIsMissingShouldNameIt() {
		assertThatExceptionOfType(UnboundParameterException.class)
			.isThrownBy(() -> bind("SELECT :a, :b", POSTGRESQL, Map.of("b", List.of(1))))
			.satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("a"));
	}

	@Test
	void bindWhenValuesIsNullShouldThrow() {
		ParsedSql parsed = parse("SELECT 1", POSTGRESQL);
		assertThatNullPointerException().isThrownBy(() -> parsed.bind(null));
	}

	@Test
	void bindShouldReturnUnmodifiableValues() {
		BoundSql single = bind("SELECT :a", POSTGRESQL, Map.of("a", 1));
		BoundSql expanded = bind("SELECT :a", POSTGRESQL, Map.of("a", List.of(1)));
		for (BoundSql bound : List.of(single, expanded)) {
			List<Object> values = bound.values();
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> values.add(2));
		}
	}

	@ParameterizedTest
	@EnumSource
	void bindWhenNoCollectionShouldReuseRenderedSql(SqlSyntax syntax) {
		ParsedSql parsed = parse("SELECT * FROM t WHERE a = :a AND b = :b AND c = :a", syntax);
		BoundSql first = parsed.bind(Map.of("a", 1, "b", 2));
		BoundSql second = parsed.bind(Map.of("a", 3, "b", 4));
		assertThat(second.sql()).isSameAs(first.sql());
		assertThat(second.values()).containsExactlyElementsOf(syntax.indexedMarkers() ? List.of(3, 4) : List.of(3, 4, 3));
	}

	@ParameterizedTest
	@EnumSource
	void bindWhenNoParametersShouldReturnSqlUnchanged(SqlSyntax syntax) {
		String sql = "SELECT 1";
		BoundSql bound = parse(sql, syntax).bind(Map.of("unused", 1));
		assertThat(bound.sql()).isSameAs(sql);
		assertThat(bound.values()).isEmpty();
	}

	// ---- Cache ----

	@Test
	void parseWhenSameSqlAndSyntaxShouldReturnCachedResult() {
		String sql = "SELECT :a";
		ParsedSql first = this.parser.parse(sql, POSTGRESQL);
		assertThat(this.parser.parse(new String(sql.toCharArray()), POSTGRESQL)).isSameAs(first);
		assertThat(this.parser.parse(sql, MYSQL)).isNotSameAs(first);
		assertThat(this.parser.parse(sql, MYSQL).bind(Map.of("a", 1)).sql()).isEqualTo("SELECT ?");
	}

	@Test
	void parseWhenCacheIsFullShouldStayBounded() {
		NamedParameterParser small = new NamedParameterParser(3);
		for (int i = 0; i < 50; i++) {
			ParsedSql parsed = small.parse("SELECT :a" + i, SQLITE);
			assertThat(parsed.parameterNames()).containsExactly("a" + i);
			assertThat(small.cachedCount(SQLITE)).isLessThanOrEqualTo(3);
		}
		assertThat(small.cachedCount(SQLITE)).isEqualTo(3);
		assertThat(small.cachedCount(POSTGRESQL)).isZero();
	}

	@Test
	void parseWhenCalledFromManyThreadsShouldAgree() {
		NamedParameterParser shared = new NamedParameterParser(8);
		List<String> rendered = IntStream.range(0, 2000)
			.parallel()
			.mapToObj((i) -> shared.parse("SELECT :a, :b" + (i % 16), POSTGRESQL)
				.bind(Map.of("a", 1, "b" + (i % 16), List.of(1, 2)))
				.sql())
			.toList();
		assertThat(new ArrayList<>(rendered)).containsOnly("SELECT $1, $2, $3");
		assertThat(shared.cachedCount(POSTGRESQL)).isLessThanOrEqualTo(8 + Runtime.getRuntime().availableProcessors());
	}

	@Test
	void parseWhenArgumentIsNullShouldThrow() {
		assertThatNullPointerException().isThrownBy(() -> this.parser.parse(null, POSTGRESQL));
		assertThatNullPointerException().isThrownBy(() -> this.parser.parse("SELECT 1", null));
	}

	private static List<Object[]> walterAndJunior() {
		return List.of(new Object[] { "Walter", "Heisenberg" }, new Object[] { "Walt Jr.", "Flynn" });
	}

	private ParsedSql parse(String sql, SqlSyntax syntax) {
		return this.parser.parse(sql, syntax);
	}

	private BoundSql bind(String sql, SqlSyntax syntax, Map<String, ?> values) {
		return this.parser.parse(sql, syntax).bind(values);
	}

	/** The SQL with markers, each parameter bound to a single placeholder value. */
	private String render(String sql, SqlSyntax syntax) {
		ParsedSql parsed = parse(sql, syntax);
		Map<String, Object> values = new HashMap<>();
		parsed.parameterNames().forEach((name) -> values.put(name, "value"));
		return parsed.bind(values).sql();
	}

}

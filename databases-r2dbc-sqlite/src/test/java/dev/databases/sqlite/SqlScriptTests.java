package dev.databases.sqlite;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import dev.databases.sqlite.SqlScript.Part;
import dev.databases.sqlite.SqlScript.Verb;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SqlScript}.
 *
 * @author databases
 */
class SqlScriptTests {

	@Test
	void parseWhenSingleStatementShouldKeepItWithoutTerminator() {
		SqlScript script = SqlScript.parse("  SELECT 1; -- done\n");
		assertThat(script.parts()).extracting(Part::text).containsExactly("SELECT 1");
		assertThat(script.parts().get(0).verb()).isEqualTo(Verb.SELECT);
	}

	@Test
	void parseWhenSemicolonsInLiteralsAndCommentsShouldNotSplit() {
		SqlScript script = SqlScript.parse("SELECT ';', \"a;b\", [c;d], `e;f` /* ; */ FROM t -- ;\n; SELECT 2");
		assertThat(script.parts()).hasSize(2);
		assertThat(script.parts().get(0).text()).startsWith("SELECT ';'").endsWith("FROM t");
		assertThat(script.parts().get(1).text()).isEqualTo("SELECT 2");
	}

	@Test
	void parseWhenCreateTriggerShouldKeepItsBodyTogether() {
		String trigger = "CREATE TEMP TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x); "
				+ "UPDATE c SET n = CASE WHEN n > 0 THEN n END; END";
		SqlScript script = SqlScript.parse(trigger + "; INSERT INTO a VALUES (1)");
		assertThat(script.parts()).extracting(Part::text).containsExactly(trigger, "INSERT INTO a VALUES (1)");
	}

	@Test
	void parseWhenOnlyCommentsShouldHaveNoParts() {
		assertThat(SqlScript.parse(" -- nothing\n /* here */ ; ;").parts()).isEmpty();
	}

	@Test
	void parseWhenQuestionMarksShouldNumberThemInOrder() {
		SqlScript script = SqlScript.parse("INSERT INTO t VALUES (?, ?, '?')");
		assertThat(script.parameterCount()).isEqualTo(2);
		assertThat(script.isRequired(0)).isTrue();
		assertThat(script.isRequired(1)).isTrue();
	}

	@Test
	void parseWhenNumberedMarkersShouldUseTheirNumbers() {
		SqlScript script = SqlScript.parse("SELECT ?3, ?1, ?");
		// as sqlite3_bind_parameter_count: ?3 makes three, a bare ? takes the next
		assertThat(script.parameterCount()).isEqualTo(4);
		assertThat(script.isRequired(1)).isFalse();
		assertThat(script.indexesOf("?3")).containsExactly(2);
		assertThat(script.isRequired(3)).isTrue();
	}

	@Test
	void parseWhenNamedMarkersRepeatShouldShareOneParameter() {
		SqlScript script = SqlScript.parse("SELECT :id, @name, $x::y(z), :id, ?");
		assertThat(script.parameterCount()).isEqualTo(4);
		assertThat(script.indexesOf(":id")).containsExactly(0);
		assertThat(script.indexesOf("id")).containsExactly(0);
		assertThat(script.indexesOf("name")).containsExactly(1);
		assertThat(script.indexesOf("$x::y(z)")).containsExactly(2);
		assertThat(script.indexesOf("missing")).isNull();
	}

	@Test
	void parseWhenSeveralStatementsShouldNumberParametersAcrossThem() {
		SqlScript script = SqlScript.parse("INSERT INTO a VALUES (?, :v); INSERT INTO b VALUES (:v)");
		assertThat(script.parameterCount()).isEqualTo(3);
		assertThat(script.offset(1)).isEqualTo(2);
		assertThat(script.indexesOf("v")).containsExactly(1, 2);
	}

	@Test
	void parseWhenCommonTableExpressionShouldFindTheMainVerb() {
		Part part = SqlScript.parse("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
				+ "INSERT INTO t SELECT x FROM c LIMIT 3").parts().get(0);
		assertThat(part.verb()).isEqualTo(Verb.INSERT);
	}

	@Test
	void returningWhenInsertWithoutColumnsShouldReturnRowid() {
		Part part = SqlScript.parse("INSERT INTO t (v) VALUES (1) -- note").parts().get(0);
		assertThat(part.returning(new String[0])).isEqualTo("INSERT INTO t (v) VALUES (1) RETURNING rowid");
		assertThat(part.returning(new String[] { "id", "v" }))
			.isEqualTo("INSERT INTO t (v) VALUES (1) RETURNING id, v");
	}

	@Test
	void returningWhenStatementHasItsOwnShouldKeepIt() {
		Part part = SqlScript.parse("DELETE FROM t WHERE id IN (SELECT id FROM u) RETURNING id").parts().get(0);
		assertThat(part.returning()).isTrue();
		assertThat(part.returning(new String[] { "v" })).isEqualTo(part.text());
	}

	@Test
	void returningWhenUpdateWithoutColumnsOrSelectShouldNotChange() {
		assertThat(SqlScript.parse("UPDATE t SET v = 1").parts().get(0).returning(new String[0]))
			.isEqualTo("UPDATE t SET v = 1");
		assertThat(SqlScript.parse("SELECT 1").parts().get(0).returning(new String[] { "id" })).isEqualTo("SELECT 1");
	}

	@Test
	void parseWhenTransactionControlShouldNameTheSavepoint() {
		List<Part> parts = SqlScript
			.parse("SAVEPOINT \"My Point\"; RELEASE SAVEPOINT a; RELEASE b; ROLLBACK TRANSACTION TO c; ROLLBACK")
			.parts();
		assertThat(parts).extracting(Part::verb)
			.containsExactly(Verb.SAVEPOINT, Verb.RELEASE, Verb.RELEASE, Verb.ROLLBACK, Verb.ROLLBACK);
		assertThat(parts).extracting(Part::savepoint).containsExactly("My Point", "A", "B", "C", null);
		assertThat(parts).extracting(Part::rollbackTo).containsExactly(false, false, false, true, false);
	}

	@Property(tries = 200)
	void parseShouldSplitStatementsWhateverTheirLiteralsHold(
			@ForAll @Size(min = 1, max = 6) List<@StringLength(max = 12) String> literals) {
		StringBuilder sql = new StringBuilder();
		for (String literal : literals) {
			sql.append("SELECT '").append(literal.replace("'", "''")).append("' AS v; ");
		}
		SqlScript script = SqlScript.parse(sql.toString());
		assertThat(script.parts()).hasSize(literals.size());
		assertThat(script.parameterCount()).isZero();
	}

	@Property(tries = 100)
	void parseShouldCountOneParameterPerQuestionMark(@ForAll @IntRange(min = 0, max = 40) int count) {
		String sql = "SELECT " + "?, ".repeat(count) + "1";
		assertThat(SqlScript.parse(sql).parameterCount()).isEqualTo(count);
	}

}

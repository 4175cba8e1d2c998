package dev.databases.boot.observation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link QueryText}.
 */
class QueryTextTests {

	@ParameterizedTest
	@ValueSource(strings = { "SELECT * FROM notes WHERE id = :id", "SELECT COUNT(*) FROM boot_notes",
			"INSERT INTO t2 (c1, c_2) VALUES (:v1, :v_2)", "SELECT \"col 1\", `x9` FROM t -- 42 in a comment",
			"UPDATE t SET a = $1 WHERE b = $2", "SELECT a /* 'not a value' */ FROM t", "SELECT a FROM t WHERE b = ?",
			"SELECT $tag FROM t", "SELECT completed FROM t WHERE done = TRUE AND x IS NULL" })
	void sqlWithoutLiteralsShouldHaveNone(String sql) {
		assertThat(QueryText.hasLiterals(sql)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "SELECT * FROM users WHERE email = 'bob@example.com'", "SELECT 1",
			"SELECT * FROM t LIMIT 10", "SELECT * FROM t WHERE id IN (1, 2)", "SELECT E'x'", "SELECT .5",
			"SELECT $$body$$", "SELECT $q$body$q$", "SELECT a FROM t WHERE b=-3", "SELECT x'ff'" })
	void sqlWithLiteralsShouldBeFound(String sql) {
		assertThat(QueryText.hasLiterals(sql)).isTrue();
	}

	@Test
	void shortParameterisedSqlShouldBeLowCardinalityWithWhiteSpaceCollapsed() {
		QueryText text = QueryText.of("  SELECT text\n\t FROM notes\n WHERE id = :id ");
		assertThat(text.lowCardinality()).isEqualTo("SELECT text FROM notes WHERE id = :id");
		assertThat(text.highCardinality()).isNull();
		assertThat(text.operation()).isEqualTo("SELECT");
	}

	@Test
	void longParameterisedSqlShouldOnlyBeHighCardinality() {
		String sql = "SELECT " + "column_name, ".repeat(20) + "id FROM notes WHERE id = :id";
		assertThat(sql).hasSizeGreaterThan(QueryText.MAX_LOW_CARDINALITY_LENGTH);
		QueryText text = QueryText.of(sql);
		assertThat(text.lowCardinality()).isNull();
		assertThat(text.highCardinality()).isEqualTo(sql);
	}

	@Test
	void sqlOfExactlyTheMaximumLengthShouldBeLowCardinality() {
		String sql = "SELECT a FROM " + "t".repeat(QueryText.MAX_LOW_CARDINALITY_LENGTH - 14);
		assertThat(sql).hasSize(QueryText.MAX_LOW_CARDINALITY_LENGTH);
		assertThat(QueryText.of(sql).lowCardinality()).isEqualTo(sql);
		assertThat(QueryText.of(sql + "t").lowCardinality()).isNull();
	}

	@Test
	void sqlWithLiteralsShouldNeverBeShown() {
		QueryText text = QueryText.of("SELECT * FROM users WHERE email = 'bob@example.com'");
		assertThat(text.lowCardinality()).isNull();
		assertThat(text.highCardinality()).isNull();
		assertThat(text.operation()).isEqualTo("SELECT");
	}

	@Test
	void operationShouldBeTheFirstKnownKeyword() {
		assertThat(QueryText.of("-- a comment\n/* another */ (select 1) union (select 2)").operation())
			.isEqualTo("SELECT");
		assertThat(QueryText.of("with x as (select :a) select * from x").operation()).isEqualTo("WITH");
		assertThat(QueryText.of("insert into t values (:a)").operation()).isEqualTo("INSERT");
		assertThat(QueryText.of("frobnicate the table").operation()).isEqualTo("OTHER");
		assertThat(QueryText.of("").operation()).isEqualTo("OTHER");
	}

}

package dev.databases;

import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RowMapper} on its own, over records made in memory: how columns find record
 * components and bean setters, conversions on the way, and the errors.
 */
class RowMapperTests {

	record Note(long id, String title, @Nullable LocalDate createdOn) {
	}

	record Strict(int count) {
	}

	public static final class NoteBean {

		private long id;

		private @Nullable String title;

		public void setId(long id) {
			this.id = id;
		}

		public void setTitle(@Nullable String title) {
			this.title = title;
		}

	}

	public static final class NoDefaultConstructor {

		public NoDefaultConstructor(String ignored) {
		}

	}

	private static Record row(String[] names, @Nullable Object... values) {
		return new Record(new Columns(names), values);
	}

	@Test
	void componentsFindColumnsBySnakeCaseAnyCaseAndOrder() {
		Record record = row(new String[] { "CREATED_ON", "title", "ID" }, LocalDate.of(2026, 12, 7), "hello", 7);
		Note note = RowMapper.of(Note.class).map(record);
		assertThat(note).isEqualTo(new Note(7L, "hello", LocalDate.of(2026, 12, 7)));
	}

	@Test
	void anExactNameWinsOverANormalisedOne() {
		Record record = row(new String[] { "ti_tle", "title", "id", "created_on" }, "normalised", "exact", 1L, null);
		assertThat(RowMapper.of(Note.class).map(record).title()).isEqualTo("exact");
	}

	@Test
	void aMissingColumnIsNullForObjectsAndAnErrorForPrimitives() {
		Note note = RowMapper.of(Note.class).map(row(new String[] { "id", "title" }, 1, "t"));
		assertThat(note.createdOn()).isNull();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RowMapper.of(Strict.class).map(row(new String[] { "other" }, 1)))
			.withMessageContaining("'count'")
			.withMessageContaining(Strict.class.getName());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RowMapper.of(Strict.class).map(row(new String[] { "count" }, (Object) null)));
	}

	@Test
	void thePlanFollowsAChangeOfColumns() {
		RowMapper<Note> mapper = RowMapper.of(Note.class);
		assertThat(mapper.map(row(new String[] { "id", "title" }, 1, "a")).title()).isEqualTo("a");
		assertThat(mapper.map(row(new String[] { "title", "id" }, "b", 2)))
			.isEqualTo(new Note(2L, "b", null));
	}

	@Test
	void aValueThatCannotBeConvertedNamesTheColumn() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RowMapper.of(Note.class).map(row(new String[] { "id", "title" }, "x", "t")))
			.withMessageContaining("'id'");
	}

	@Test
	void beansAreFilledThroughSettersAndUnknownColumnsAreIgnored() {
		NoteBean bean = RowMapper.of(NoteBean.class)
			.map(row(new String[] { "ID", "title", "extra" }, 3, "bean", "ignored"));
		assertThat(bean.id).isEqualTo(3L);
		assertThat(bean.title).isEqualTo("bean");
		NoteBean nulls = RowMapper.of(NoteBean.class).map(row(new String[] { "id", "title" }, null, null));
		assertThat(nulls.id).as("NULL leaves a primitive property alone").isZero();
		assertThat(nulls.title).isNull();
	}

	@Test
	void aClassWithoutANoArgumentConstructorIsRefusedWithAHint() {
		assertThatIllegalArgumentException().isThrownBy(() -> RowMapper.of(NoDefaultConstructor.class))
			.withMessageContaining("record, or a class with a no-argument constructor and setters");
	}

	@Test
	void simpleTypesReadTheFirstColumn() {
		assertThat(RowMapper.of(Long.class).map(row(new String[] { "n", "m" }, 5, 6))).isEqualTo(5L);
		assertThat(RowMapper.of(String.class).mapAll(List.of(row(new String[] { "s" }, "a"),
				row(new String[] { "s" }, "b")))).containsExactly("a", "b");
	}

	@Test
	void namesNormaliseWithoutUnderscoresAndCase() {
		assertThat(RowMapper.normalise("Created_At")).isEqualTo(RowMapper.normalise("createdAt"));
	}

}

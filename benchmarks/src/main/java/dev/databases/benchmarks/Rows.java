package dev.databases.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The rows of the workloads: what is inserted, and the checksum every system computes from
 * every field of every row it reads, so that no field read can be optimised away and a
 * system that skipped or mangled a row would be caught.
 */
final class Rows {

	private Rows() {
	}

	static String text(int id) {
		return "note " + id;
	}

	static boolean completed(int id) {
		return id % 2 == 0;
	}

	static long hash(int id, String text, boolean completed) {
		return id * 31L + text.hashCode() + (completed ? 1 : 0);
	}

	/** The same checksum from untyped values, as this library's {@code Record} gives them. */
	static long hash(@Nullable Object id, @Nullable Object text, @Nullable Object completed) {
		return hash(((Number) id).intValue(), (String) text, truth(completed));
	}

	private static boolean truth(@Nullable Object value) {
		if (value instanceof Boolean bool) {
			return bool;
		}
		return ((Number) value).intValue() != 0;
	}

	/** The rows one W2 call inserts, in the form each system takes them. */
	static final class Batch {

		final List<Note> notes;

		final List<Map<String, Object>> maps;

		Batch(int size) {
			this.notes = new ArrayList<>(size);
			this.maps = new ArrayList<>(size);
			for (int i = 1; i <= size; i++) {
				Note note = new Note(i, text(i), completed(i));
				this.notes.add(note);
				Map<String, Object> map = new LinkedHashMap<>();
				map.put("text", note.text());
				map.put("completed", note.completed());
				this.maps.add(map);
			}
		}

	}

	/** A row read into an object, as users of the raw driver, DatabaseClient and JDBC write it. */
	record Note(int id, String text, boolean completed) {

		long hash() {
			return Rows.hash(this.id, this.text, this.completed);
		}

	}

}

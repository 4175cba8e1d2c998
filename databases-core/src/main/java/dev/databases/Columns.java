package dev.databases;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.RowMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The column names of one result, shared by all its {@link Record}s so that a row costs
 * only its values.
 */
final class Columns {

	private final String[] names;

	private final List<String> nameList;

	/**
	 * Name lookups, built on the first lookup by name: a result read by index, or a single
	 * row mapped once, never pays for them.
	 */
	private volatile @Nullable Lookup lookup;

	/** The names lower-cased, for lookups by a linear scan when there are few columns. */
	private final String @Nullable [] foldedNames;

	/** Up to this many columns a lookup scans the names instead of building hash maps. */
	private static final int SCAN_LIMIT = 8;

	Columns(String[] names) {
		this.names = names;
		if (names.length <= SCAN_LIMIT) {
			String[] folded = new String[names.length];
			for (int i = 0; i < names.length; i++) {
				folded[i] = names[i].toLowerCase(Locale.ROOT);
			}
			this.foldedNames = folded;
		}
		else {
			this.foldedNames = null;
		}
		this.nameList = Collections.unmodifiableList(Arrays.asList(names));
	}

	private Lookup lookup() {
		Lookup lookup = this.lookup;
		if (lookup == null) {
			lookup = new Lookup(this.names);
			this.lookup = lookup;
		}
		return lookup;
	}

	/** Immutable once built, so a racing second build is harmless. */
	private static final class Lookup {

		private final Map<String, Integer> exact;

		private final Map<String, Integer> folded;

		Lookup(String[] names) {
			this.exact = new HashMap<>(names.length * 2);
			this.folded = new HashMap<>(names.length * 2);
			for (int i = 0; i < names.length; i++) {
				this.exact.putIfAbsent(names[i], i);
				this.folded.putIfAbsent(names[i].toLowerCase(Locale.ROOT), i);
			}
		}

	}

	static Columns of(RowMetadata metadata) {
		List<? extends ColumnMetadata> columns = metadata.getColumnMetadatas();
		String[] names = new String[columns.size()];
		for (int i = 0; i < names.length; i++) {
			names[i] = columns.get(i).getName();
		}
		return new Columns(names);
	}

	/** Whether {@code metadata} has exactly these column names, in this order. */
	boolean matches(RowMetadata metadata) {
		List<? extends ColumnMetadata> columns = metadata.getColumnMetadatas();
		if (columns.size() != this.names.length) {
			return false;
		}
		for (int i = 0; i < this.names.length; i++) {
			if (!this.names[i].equals(columns.get(i).getName())) {
				return false;
			}
		}
		return true;
	}

	int size() {
		return this.names.length;
	}

	int distinctSize() {
		return lookup().exact.size();
	}

	String name(int index) {
		return this.names[index];
	}

	List<String> names() {
		return this.nameList;
	}

	/**
	 * The index of the first column with this name; case-insensitive when no column matches
	 * exactly, because drivers disagree on the case of unquoted names (H2 upper-cases them).
	 * @return the index, or -1
	 */
	int indexOf(String name) {
		String[] foldedNames = this.foldedNames;
		if (foldedNames != null) {
			// The same answer as the maps: the first exact match, else the first folded one.
			for (int i = 0; i < this.names.length; i++) {
				if (this.names[i].equals(name)) {
					return i;
				}
			}
			String folded = name.toLowerCase(Locale.ROOT);
			for (int i = 0; i < foldedNames.length; i++) {
				if (foldedNames[i].equals(folded)) {
					return i;
				}
			}
			return -1;
		}
		Lookup lookup = lookup();
		Integer index = lookup.exact.get(name);
		if (index == null) {
			index = lookup.folded.get(name.toLowerCase(Locale.ROOT));
		}
		return (index != null) ? index : -1;
	}

	/** Whether {@code index} is the first column of its name, so a Map view lists it. */
	boolean isFirstOfName(int index) {
		return lookup().exact.get(this.names[index]) == index;
	}

}

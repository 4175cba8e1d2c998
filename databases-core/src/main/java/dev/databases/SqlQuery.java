package dev.databases;

import java.util.Map;

/**
 * Raw SQL and its values, as made by {@link Query#of(String, Map)}.
 */
record SqlQuery(String sql, Map<String, ?> values) implements Query {

	@Override
	public String toString() {
		// The values stay out: they may hold secrets, and messages and logs must not show them.
		return "Query[" + this.sql + "]";
	}

}

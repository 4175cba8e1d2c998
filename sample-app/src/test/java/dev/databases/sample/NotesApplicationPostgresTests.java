package dev.databases.sample;

import java.util.List;

/**
 * The end-to-end tests on PostgreSQL, in a database of their own.
 */
class NotesApplicationPostgresTests extends ServerNotesApiContract {

	@Override
	List<String> dialects() {
		return List.of("postgres");
	}

	@Override
	String dropDatabase(String database) {
		// FORCE: a connection the closed context failed to end must not keep the database.
		return "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)";
	}

}

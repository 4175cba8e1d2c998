package dev.databases.sample;

import java.util.List;

import dev.databases.DatabaseURL;

/**
 * The end-to-end tests on MariaDB (the {@code mysql} URL in {@code DATABASES_TEST_URLS}),
 * in a database of their own, started as application.yml says: a {@code mariadb://} URL
 * and the {@code mariadb} profile for its own migration.
 */
class NotesApplicationMariaDbTests extends ServerNotesApiContract {

	@Override
	List<String> dialects() {
		return List.of("mysql", "mariadb");
	}

	@Override
	DatabaseURL applicationUrl(DatabaseURL server, String database) {
		// mariadb:// so that Flyway gets a jdbc:mariadb: URL the MariaDB JDBC driver accepts.
		return server.withScheme("mariadb").withDatabase(database);
	}

	@Override
	List<String> arguments() {
		return List.of("--spring.profiles.active=mariadb");
	}

	@Override
	String dropDatabase(String database) {
		return "DROP DATABASE IF EXISTS " + database;
	}

}

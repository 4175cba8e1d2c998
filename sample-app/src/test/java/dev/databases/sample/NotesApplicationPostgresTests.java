package dev.databases.sample;

import java.util.List;

import dev.databases.Database;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end tests on PostgreSQL, in a database of their own, with the documented
 * {@code application_name} option, which the library hands r2dbc-postgresql as
 * {@code applicationName}.
 */
class NotesApplicationPostgresTests extends ServerNotesApiContract {

	private static final String APPLICATION_NAME = "notes-sample-" + ProcessHandle.current().pid();

	@Override
	List<String> dialects() {
		return List.of("postgres");
	}

	@Override
	List<String> arguments() {
		return List.of("--databases.options.application_name=" + APPLICATION_NAME);
	}

	@Override
	String dropDatabase(String database) {
		// FORCE: a connection the closed context failed to end must not keep the database.
		return "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)";
	}

	@Test
	void theApplicationNameOptionShouldReachTheServer() {
		String server = TestEnvironment.url(dialects()).orElseThrow();
		Database admin = new Database(server);
		admin.connect().block();
		try {
			assertThat(admin.fetchVal("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = :name",
					java.util.Map.of("name", APPLICATION_NAME), Long.class).block())
				.as("the application's pooled connections carry its name").isPositive();
		}
		finally {
			admin.disconnect().block();
		}
	}

}

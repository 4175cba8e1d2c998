package dev.databases.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.databases.Database;
import dev.databases.DatabaseException;
import dev.databases.DatabaseURL;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end tests on a database server named in {@code DATABASES_TEST_URLS}. The
 * application gets a database of its own, created here and dropped afterwards, so its
 * Flyway history and {@code notes} table never meet the tables other suites create in
 * the shared one, and two builds running at once do not meet either.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class ServerNotesApiContract extends NotesApiContract {

	private final String database = "sample_app_test_"
			+ UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);

	private @Nullable Database admin;

	private @Nullable ConfigurableApplicationContext context;

	private @Nullable String skipped;

	/**
	 * The dialects that pick this server's URL out of {@code DATABASES_TEST_URLS}.
	 * @return such as {@code postgres}, matched as a prefix
	 */
	abstract List<String> dialects();

	/**
	 * The URL the application is started with.
	 * @param server the server's URL from {@code DATABASES_TEST_URLS}
	 * @param database the throwaway database
	 * @return the application's {@code databases.url}
	 */
	DatabaseURL applicationUrl(DatabaseURL server, String database) {
		return server.withDatabase(database);
	}

	/**
	 * More command line arguments for the application, such as a profile.
	 * @return the arguments
	 */
	List<String> arguments() {
		return List.of();
	}

	/**
	 * The statement that drops the throwaway database, whoever is still connected.
	 * @param database its name
	 * @return the SQL
	 */
	abstract String dropDatabase(String database);

	@BeforeAll
	void start() {
		String url = TestEnvironment.url(dialects()).orElse(null);
		if (url == null) {
			this.skipped = TestEnvironment.unavailable(TestEnvironment.requireAll(), "No "
					+ String.join(" or ", dialects()) + " URL in DATABASES_TEST_URLS, so the sample app is not tested on "
					+ "that server");
			return;
		}
		DatabaseURL server = DatabaseURL.parse(url);
		Database admin = new Database(server);
		try {
			admin.connect().block();
		}
		catch (DatabaseException ex) {
			this.skipped = TestEnvironment.unavailable(TestEnvironment.requireAll(),
					server + " cannot be reached, so the sample app is not tested on it: " + ex.getMessage());
			return;
		}
		this.admin = admin;
		admin.execute("CREATE DATABASE " + this.database).block();
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--databases.url=" + applicationUrl(server, this.database).toUnmaskedString()));
		arguments.addAll(arguments());
		this.context = new SpringApplicationBuilder(NotesApplication.class).run(arguments.toArray(String[]::new));
		assertThat(this.context.getBean(Database.class).url().database()).isEqualTo(this.database);
	}

	@AfterAll
	void stop() {
		try {
			if (this.context != null) {
				this.context.close();
			}
		}
		finally {
			Database admin = this.admin;
			if (admin != null) {
				admin.execute(dropDatabase(this.database)).then(admin.disconnect()).block();
			}
		}
	}

	@Override
	String baseUrl() {
		TestEnvironment.skipIf(this.skipped);
		assertThat(this.context).as("the application on " + dialects()).isNotNull();
		return "http://localhost:" + this.context.getEnvironment().getRequiredProperty("local.server.port");
	}

}

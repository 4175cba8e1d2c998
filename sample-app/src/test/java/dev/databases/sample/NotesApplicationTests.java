package dev.databases.sample;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * End-to-end tests of the notes API over HTTP, on H2 in memory migrated by Flyway: the
 * application as the README starts it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class NotesApplicationTests extends NotesApiContract {

	@LocalServerPort
	private int port;

	@Override
	String baseUrl() {
		return "http://localhost:" + this.port;
	}

}

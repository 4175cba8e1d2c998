package dev.databases.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The notes application: a REST API under {@code /notes} and a page at {@code /}.
 *
 * @since 0.1.0
 */
@SpringBootApplication
public class NotesApplication {

	/**
	 * Start the application.
	 * @param args the command line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(NotesApplication.class, args);
	}

}

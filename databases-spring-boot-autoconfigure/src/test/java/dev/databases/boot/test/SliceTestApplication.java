package dev.databases.boot.test;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the {@link DatabaseTest @DatabaseTest} classes of this package find, as
 * they would find a real application's.
 */
@SpringBootApplication
class SliceTestApplication {

}

package dev.databases;

import java.util.ArrayList;
import java.util.List;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL and MySQL from Testcontainers, for machines with Docker and no
 * {@code DATABASES_TEST_URLS}. Started once per JVM and left to Testcontainers' reaper.
 */
final class Containers {

	private static List<String> urls;

	private Containers() {
	}

	static synchronized List<String> urlsOrSkipped() {
		if (urls == null) {
			urls = start();
		}
		return urls;
	}

	private static List<String> start() {
		List<String> found = new ArrayList<>();
		boolean docker;
		try {
			docker = DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			docker = false;
		}
		if (!docker) {
			String reason = "PostgreSQL and MySQL backends skipped: DATABASES_TEST_URLS is not set and Docker is "
					+ "not available for Testcontainers";
			System.err.println("[databases tests] " + reason);
			found.add(TestDatabases.SKIPPED + "postgresql: " + reason);
			found.add(TestDatabases.SKIPPED + "mysql: " + reason);
			return found;
		}
		PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15-alpine");
		postgres.start();
		found.add("postgresql://" + postgres.getUsername() + ":" + postgres.getPassword() + "@" + postgres.getHost()
				+ ":" + postgres.getFirstMappedPort() + "/" + postgres.getDatabaseName());
		MySQLContainer mysql = new MySQLContainer("mysql:8.4");
		mysql.start();
		found.add("mysql://" + mysql.getUsername() + ":" + mysql.getPassword() + "@" + mysql.getHost() + ":"
				+ mysql.getFirstMappedPort() + "/" + mysql.getDatabaseName());
		return found;
	}

}

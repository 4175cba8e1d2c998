package dev.databases.boot;

/**
 * What the configuration accepts, for failure reports.
 */
final class Messages {

	static final String URLS = "Write a URL such as postgresql://user:password@localhost:5432/example; accepted "
			+ "schemes are postgresql (or postgres), mysql, mariadb, sqlite (sqlite:///relative.db, "
			+ "sqlite:////absolute.db, sqlite:///:memory:), h2 (h2:mem:///name, h2:file:///path) and any "
			+ "r2dbc:<driver>://... URL; percent-encode '@', ':', '/', '?' and '#' in the user name and password "
			+ "(e.g. %40 for '@').";

	static final String OPTIONS = "Accepted options are ssl (true, false, disable, prefer, require, verify-ca, "
			+ "verify-full), min_size and max_size (whole numbers, min_size <= max_size), and the durations "
			+ "max_idle_time, max_life_time, acquire_timeout, connect_timeout, statement_timeout and "
			+ "disconnect_timeout (10s, 500ms, 5m, PT10S or whole seconds); in properties use databases.pool.* and "
			+ "databases.ssl.*. Any other option is passed to the driver.";

	static final String DRIVERS = "Accepted R2DBC drivers are postgresql, mysql, mariadb, h2 (mem or file) and "
			+ "sqlite; for another database set databases.url or define a DatabaseConnectionDetails bean.";

	private Messages() {
	}

}

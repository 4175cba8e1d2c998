package dev.databases;

/**
 * The {@code ssl} option: whether and how strictly a connection uses TLS. The names follow
 * libpq's {@code sslmode}; each driver gets its own spelling of the same mode.
 * <p>
 * {@code ssl=true} means {@link #REQUIRE} and {@code ssl=false} means {@link #DISABLE}, so
 * asking for TLS never silently connects in plain text.
 */
enum SslMode {

	/** No TLS. */
	DISABLE("disable", "DISABLED", "disable"),

	/** TLS when the server offers it, plain text otherwise. */
	PREFER("prefer", "PREFERRED", "trust"),

	/** TLS or no connection; the server's certificate is not checked. */
	REQUIRE("require", "REQUIRED", "trust"),

	/** TLS with a server certificate signed by a trusted CA. */
	VERIFY_CA("verify-ca", "VERIFY_CA", "verify-ca"),

	/** TLS with a trusted certificate whose name matches the host. */
	VERIFY_FULL("verify-full", "VERIFY_IDENTITY", "verify-full");

	private final String postgresql;

	private final String mysql;

	private final String mariadbJdbc;

	SslMode(String postgresql, String mysql, String mariadbJdbc) {
		this.postgresql = postgresql;
		this.mysql = mysql;
		this.mariadbJdbc = mariadbJdbc;
	}

	/**
	 * The value of r2dbc-postgresql's {@code sslMode} and pgjdbc's {@code sslmode}.
	 * @return e.g. {@code verify-full}
	 */
	String postgresql() {
		return this.postgresql;
	}

	/**
	 * The value of r2dbc-mysql's and MySQL Connector/J's {@code sslMode}.
	 * @return e.g. {@code VERIFY_IDENTITY}
	 */
	String mysql() {
		return this.mysql;
	}

	/**
	 * The value of MariaDB Connector/J's {@code sslMode}. That driver has no "prefer": it is
	 * mapped to {@code trust} (TLS without verification), which may refuse a server
	 * without TLS but never downgrades to plain text.
	 * @return e.g. {@code verify-full}
	 */
	String mariadbJdbc() {
		return this.mariadbJdbc;
	}

	/**
	 * The name users write.
	 * @return e.g. {@code verify-ca}
	 */
	@Override
	public String toString() {
		return this.postgresql;
	}

}

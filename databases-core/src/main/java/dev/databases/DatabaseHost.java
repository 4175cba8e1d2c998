package dev.databases;

import org.jspecify.annotations.Nullable;

/**
 * One server a {@link DatabaseURL} names ({@link DatabaseURL#hosts()}): a host and its port, as in {@code h1:5432} of
 * {@code postgresql://h1:5432,h2:5433/db}.
 *
 * @param hostname the host, not encoded and without the brackets of an IPv6 address
 * @param port the port, from 1 to 65535, or {@code null} when the driver's default applies
 * @since 0.1.0
 */
public record DatabaseHost(String hostname, @Nullable Integer port) {

	/**
	 * A server.
	 * @param hostname the host, not empty
	 * @param port the port, or {@code null}
	 * @throws IllegalArgumentException when the host is empty or the port out of range
	 */
	public DatabaseHost {
		if (hostname == null || hostname.isEmpty()) {
			throw new IllegalArgumentException("A host of a database URL must have a name");
		}
		UrlChecks.checkPort(port);
	}

	/**
	 * The server as a URL writes it.
	 * @return {@code host:port}, or {@code [address]:port} for an IPv6 address; without
	 * {@code :port} when there is no port
	 */
	@Override
	public String toString() {
		String host = (this.hostname.indexOf(':') >= 0) ? "[" + this.hostname + "]" : this.hostname;
		return (this.port != null) ? host + ":" + this.port : host;
	}

}

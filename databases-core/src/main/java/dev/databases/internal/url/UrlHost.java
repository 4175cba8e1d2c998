package dev.databases.internal.url;

import org.jspecify.annotations.Nullable;

/**
 * One server a URL names: {@code host[:port]}, one of the comma-separated list in
 * {@code postgresql://h1:5432,h2:5433/db}.
 *
 * @param host the host as written, percent-decoded, without the brackets of an IPv6 address
 * @param port the port, or {@code null} for the driver's default
 */
public record UrlHost(String host, @Nullable Integer port) {

	/**
	 * Whether the host is an IPv6 address, which a URL writes in brackets.
	 * @return {@code true} when the host holds a {@code :}
	 */
	public boolean isIpv6() {
		return this.host.indexOf(':') >= 0;
	}

}

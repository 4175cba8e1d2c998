package dev.databases.sample;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The HTTP client the tests call the running application with: one TCP connection per
 * request.
 * <p>
 * Reactor Netty 1.3.6's server parks a keep-alive request that arrives before the previous
 * response's operations have terminated, and now and then never takes it up again
 * (reactor-netty issue 4361 and its kin, reported against 1.3.7; 1.3.6 added that parking
 * to fix issue 4188). The
 * client, which already holds the whole previous response, sends its next request at
 * exactly that moment. In about one run in fifteen of the MariaDB tests, at this commit and
 * at the one before the changes of its session alike, the server logged the request only
 * when the client gave up 5 s later, the database untouched. A new connection per request
 * has no previous response on it.
 */
final class TestClient {

	private TestClient() {
	}

	/** A client for the application at {@code baseUrl}, one connection per request. */
	static WebTestClient to(String baseUrl) {
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection());
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(http)).baseUrl(baseUrl).build();
	}

}

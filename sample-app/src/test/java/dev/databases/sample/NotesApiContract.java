package dev.databases.sample;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notes API over HTTP, end to end: one subclass per database the running application
 * is pointed at.
 */
abstract class NotesApiContract {

	/** Keep-alive connections looping at once in CI. */
	private static final int KEEP_ALIVE_CONNECTIONS = 4;

	/** Requests on each of them in CI. */
	private static final int KEEP_ALIVE_REQUESTS = 1_500;

	/** Far above any answer here; a stalled connection never answers at all. */
	private static final Duration KEEP_ALIVE_READ_TIMEOUT = Duration.ofSeconds(5);

	private WebTestClient client;

	/**
	 * Where the running application answers.
	 * @return a URL such as {@code http://localhost:8080}
	 */
	abstract String baseUrl();

	@BeforeEach
	void createClient() {
		this.client = WebTestClient.bindToServer().baseUrl(baseUrl()).build();
	}

	/**
	 * Alternate {@code POST /notes} and {@code GET /actuator/health} on keep-alive
	 * connections, each request sent as soon as the previous response is in, as a page that
	 * adds notes and polls health does; several such connections at once, as several users
	 * do. Reactor Netty 1.3.6 and 1.3.7 stopped reading such a connection now and then and
	 * left its next request unanswered for good (docs/RELIABILITY.md).
	 * {@code -Dsample.keepAlive.connections=N} and {@code -Dsample.keepAlive.requests=N}
	 * (per connection) run more of them by hand.
	 */
	@Test
	void keepAliveConnectionsShouldAnswerEveryRequest() throws Exception {
		int connections = Integer.getInteger("sample.keepAlive.connections", KEEP_ALIVE_CONNECTIONS);
		int requests = Integer.getInteger("sample.keepAlive.requests", KEEP_ALIVE_REQUESTS);
		String baseUrl = baseUrl();
		long started = System.nanoTime();
		ExecutorService loops = Executors.newFixedThreadPool(connections);
		List<String> unanswered = new ArrayList<>();
		try {
			List<Future<List<String>>> results = new ArrayList<>();
			for (int c = 0; c < connections; c++) {
				int connection = c;
				results.add(loops.submit(() -> keepAliveLoop(baseUrl, connection, requests)));
			}
			for (Future<List<String>> result : results) {
				unanswered.addAll(result.get());
			}
		}
		finally {
			loops.shutdownNow();
		}
		System.out.printf("keep-alive loops: %d connections x %d requests, %d unanswered, %d ms%n", connections,
				requests, unanswered.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
		assertThat(unanswered).as("requests on keep-alive connections left unanswered").isEmpty();
	}

	/**
	 * One keep-alive loop. After a request goes unanswered its connection is useless, so
	 * the loop goes on with a new one, to count; it gives up after three.
	 */
	private static List<String> keepAliveLoop(String baseUrl, int connection, int requests) throws IOException {
		List<String> unanswered = new ArrayList<>();
		KeepAliveClient client = new KeepAliveClient(baseUrl, KEEP_ALIVE_READ_TIMEOUT);
		try {
			for (int i = 0; i < requests && unanswered.size() < 3; i++) {
				boolean post = (i % 2 == 0);
				try {
					KeepAliveClient.Response response = post
							? client.send("POST", "/notes", "{\"text\":\"keep-alive " + connection + "/" + i + "\"}")
							: client.send("GET", "/actuator/health", null);
					assertThat(response.status()).as("connection %d, request %d: %s", connection, i, response.body())
						.isEqualTo(post ? 201 : 200);
				}
				catch (SocketTimeoutException ex) {
					unanswered.add("connection " + connection + ", request " + i + " ("
							+ (post ? "POST /notes" : "GET /actuator/health") + "): no answer within "
							+ KEEP_ALIVE_READ_TIMEOUT.toSeconds() + " s");
					client.close();
					client = new KeepAliveClient(baseUrl, KEEP_ALIVE_READ_TIMEOUT);
				}
			}
		}
		finally {
			client.close();
		}
		return unanswered;
	}

	@Test
	void healthShouldBeUp() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void shouldCreateListCompleteAndDeleteANote() {
		Note created = this.client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("text", "buy milk"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Note.class)
			.returnResult()
			.getResponseBody();
		assertThat(created).isNotNull();
		assertThat(created.id()).isPositive();
		assertThat(created.text()).isEqualTo("buy milk");
		assertThat(created.completed()).isFalse();

		this.client.get()
			.uri("/notes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBodyList(Note.class)
			.value((notes) -> assertThat(notes).contains(created));

		this.client.patch()
			.uri("/notes/{id}/complete", created.id())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Note.class)
			.isEqualTo(new Note(created.id(), "buy milk", true));

		this.client.delete().uri("/notes/{id}", created.id()).exchange().expectStatus().isNoContent();

		this.client.get()
			.uri("/notes")
			.exchange()
			.expectBodyList(Note.class)
			.value((notes) -> assertThat(notes).extracting(Note::id).doesNotContain(created.id()));
	}

	@Test
	void aBatchShouldBeCreatedWholeThroughDatabaseClientInsideTheDatabasesTransaction() {
		String tag = "batch-" + System.nanoTime();
		List<Note> created = this.client.post()
			.uri("/notes/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(List.of(Map.of("text", tag + "-a"), Map.of("text", tag + "-b")))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBodyList(Note.class)
			.returnResult()
			.getResponseBody();
		assertThat(created).extracting(Note::text).containsExactly(tag + "-a", tag + "-b");
	}

	@Test
	void aBatchTheDatabaseRefusesShouldKeepNoneOfItsNotes() {
		String tag = "refused-" + System.nanoTime();
		this.client.post()
			.uri("/notes/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(List.of(Map.of("text", tag), Map.of("text", "x".repeat(101))))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat(String.valueOf(detail)).contains("no note of the request was kept"));
		this.client.get()
			.uri("/notes")
			.exchange()
			.expectBodyList(Note.class)
			.value((notes) -> assertThat(notes).extracting(Note::text)
				.as("the DatabaseClient insert before the refused one was rolled back")
				.doesNotContain(tag));
	}

	@Test
	void deleteWhenNoteIsMissingShouldAnswer404ProblemDetail() {
		this.client.delete()
			.uri("/notes/{id}", 999_999)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404);
	}

	@Test
	void completeWhenNoteIsMissingShouldAnswer404() {
		this.client.patch().uri("/notes/{id}/complete", 999_999).exchange().expectStatus().isNotFound();
	}

	@Test
	void createWhenTextIsBlankShouldAnswerProblemDetail() {
		this.client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("text", "  "))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.BAD_REQUEST)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.detail")
			.isEqualTo("text: must not be blank");
	}

	@Test
	void createWhenTextIsTooLongShouldAnswerProblemDetail() {
		this.client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("text", "x".repeat(101)))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (detail) -> assertThat(detail).startsWith("text: size must be between"));
	}

	@Test
	void createWhenTextIsExactly100CharactersShouldBeAccepted() {
		this.client.post()
			.uri("/notes")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("text", "x".repeat(100)))
			.exchange()
			.expectStatus()
			.isCreated();
	}

}

package dev.databases.sample;

import java.util.Map;

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

	private WebTestClient client;

	/**
	 * Where the running application answers.
	 * @return a URL such as {@code http://localhost:8080}
	 */
	abstract String baseUrl();

	@BeforeEach
	void createClient() {
		this.client = TestClient.to(baseUrl());
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

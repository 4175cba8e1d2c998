package dev.databases.sample;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.databases.Database;
import dev.databases.DatabaseException;
import dev.databases.Query;
import jakarta.validation.Valid;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;

/**
 * The notes REST API. Missing notes answer 404 and invalid bodies 400, both as RFC 9457
 * problem details.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping("/notes")
class NotesController {

	private static final String SELECT = "SELECT id, text, completed FROM notes";

	private final Database db;

	private final DatabaseClient client;

	NotesController(Database db, DatabaseClient client) {
		this.db = db;
		this.client = client;
	}

	@GetMapping
	Mono<List<Note>> list() {
		return this.db.fetchAll(SELECT + " ORDER BY id", Map.of(), Note.class);
	}

	@PostMapping
	Mono<ResponseEntity<Note>> create(@Valid @RequestBody NewNote note) {
		String text = Objects.requireNonNull(note.text());
		return this.db.execute("INSERT INTO notes (text) VALUES (:text)", Map.of("text", text))
			.map((result) -> Objects.requireNonNull(result.lastRowId(), "no generated key"))
			.flatMap(this::find)
			.map((created) -> ResponseEntity.status(HttpStatus.CREATED).body(created));
	}

	/**
	 * Create several notes at once, all or none. The inserts go through Spring's
	 * {@link DatabaseClient}, the read-back through the {@link Database}, inside one
	 * {@code db.transaction(...)}: both run on the transaction's connection, so the notes are
	 * read before they are committed, and a text the database refuses rolls back every insert.
	 */
	@PostMapping("/batch")
	Mono<ResponseEntity<List<Note>>> createAll(@RequestBody List<NewNote> notes) {
		return this.db.transaction((tx) -> this.db.fetchVal("SELECT COALESCE(MAX(id), 0) FROM notes", Long.class)
			.flatMap((before) -> Flux.fromIterable(notes)
				.concatMap((note) -> this.client.sql("INSERT INTO notes (text) VALUES (:text)")
					.bind("text", Objects.requireNonNullElse(note.text(), ""))
					.then())
				.then(this.db.fetchAll(SELECT + " WHERE id > :before ORDER BY id", Map.of("before", before),
						Note.class))))
			.map((created) -> ResponseEntity.status(HttpStatus.CREATED).body(created));
	}

	/**
	 * A batch the database refused (a text too long for the column), reported by the
	 * Database or, for the inserts, by DatabaseClient in Spring's terms: nothing of it was kept.
	 */
	@ExceptionHandler({ DatabaseException.class, DataAccessException.class })
	ProblemDetail refused(RuntimeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The database refused a note; no note of the request was kept");
		problem.setTitle("Invalid note");
		return problem;
	}

	@PatchMapping("/{id}/complete")
	Mono<Note> complete(@PathVariable long id) {
		return this.db.execute("UPDATE notes SET completed = TRUE WHERE id = :id", Map.of("id", id))
			.filter((result) -> result.rowsAffected() > 0)
			.switchIfEmpty(Mono.error(() -> notFound(id)))
			.then(find(id));
	}

	@DeleteMapping("/{id}")
	Mono<ResponseEntity<Void>> delete(@PathVariable long id) {
		return this.db.execute("DELETE FROM notes WHERE id = :id", Map.of("id", id))
			.filter((result) -> result.rowsAffected() > 0)
			.switchIfEmpty(Mono.error(() -> notFound(id)))
			.thenReturn(ResponseEntity.noContent().build());
	}

	/**
	 * Name the rejected fields in the problem detail: Boot's default only says "Invalid
	 * request content", which a page cannot show to the user.
	 */
	@ExceptionHandler
	ProblemDetail invalid(WebExchangeBindException ex) {
		String detail = ex.getFieldErrors()
			.stream()
			.map((error) -> error.getField() + ": " + error.getDefaultMessage())
			.sorted()
			.collect(Collectors.joining("; "));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("Invalid note");
		return problem;
	}

	private Mono<Note> find(long id) {
		return this.db.fetchOne(Query.of(SELECT + " WHERE id = :id", Map.of("id", id)), Note.class)
			.switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	private static ResponseStatusException notFound(long id) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No note with id " + id);
	}

}

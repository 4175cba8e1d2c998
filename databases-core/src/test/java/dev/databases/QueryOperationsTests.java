package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code written against {@link QueryOperations} runs the same on a {@link Database} and on a
 * {@link Connection}, with every overload, on every backend.
 */
class QueryOperationsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	record Item(long id, String name) {
	}

	/** A repository-like piece of user code that does not care where it runs. */
	private static Mono<List<Object>> useEveryOverload(QueryOperations queries) {
		Map<String, Object> id = Map.of("id", 2);
		Query byId = Query.of("SELECT id, name FROM qo_items WHERE id = :id", id);
		return Mono.zip(List.of(
				queries.fetchOne("SELECT id, name FROM qo_items WHERE id = :id", id, Item.class),
				queries.fetchOne(byId, Item.class),
				queries.fetchAll("SELECT id, name FROM qo_items ORDER BY id", Map.of(), Item.class),
				queries.iterate("SELECT id, name FROM qo_items WHERE id >= :id ORDER BY id", id, Item.class).collectList(),
				queries.iterate(byId, Item.class).collectList(),
				queries.fetchVal("SELECT COUNT(*) FROM qo_items", Long.class)), List::of);
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void databaseAndConnectionShouldAnswerTheSameThroughQueryOperations(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = new Database(url);
		db.connect().block(TIMEOUT);
		try {
			db.execute("DROP TABLE IF EXISTS qo_items")
				.then(db.execute("CREATE TABLE qo_items (id INTEGER PRIMARY KEY, name VARCHAR(20))"))
				.then(db.executeMany("INSERT INTO qo_items (id, name) VALUES (:id, :name)",
						List.of(Map.of("id", 1, "name", "one"), Map.of("id", 2, "name", "two"),
								Map.of("id", 3, "name", "three"))))
				.block(TIMEOUT);
			List<Object> throughDatabase = useEveryOverload(db).block(TIMEOUT);
			List<Object> throughConnection = db.connection((connection) -> useEveryOverload(connection)).blockLast(TIMEOUT);
			Item two = new Item(2, "two");
			assertThat(throughDatabase).containsExactly(two, two,
					List.of(new Item(1, "one"), two, new Item(3, "three")), List.of(two, new Item(3, "three")),
					List.of(two), 3L);
			assertThat(throughConnection).isEqualTo(throughDatabase);
		}
		finally {
			db.execute("DROP TABLE IF EXISTS qo_items").onErrorResume((error) -> Mono.empty()).block(TIMEOUT);
			db.disconnect().block(TIMEOUT);
		}
	}

}

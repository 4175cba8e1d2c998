package dev.databases.sample;

import dev.databases.jooq.JooqQuery;
import dev.databases.relational.RelationalQuery;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.springframework.data.relational.core.sql.Column;
import org.springframework.data.relational.core.sql.Insert;
import org.springframework.data.relational.core.sql.SQL;
import org.springframework.data.relational.core.sql.Select;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.databases.Database;
import dev.databases.DatabaseHost;
import dev.databases.ExecuteResult;
import dev.databases.NotConnectedException;
import dev.databases.Record;
import dev.databases.TransactionOptions;
import io.r2dbc.spi.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The README's Java snippets, compiled and run. Each one sits between
 * {@code // tag::name[]} and {@code // end::name[]}; {@link ReadmeTests} checks that
 * every {@code java} block of README.md is one of these regions, so an example that
 * stops compiling or stops doing what the README says fails the build.
 */
class ReadmeSnippetsTests {

	private static final String NOTES = "CREATE TABLE notes (%s, text VARCHAR(100), completed BOOLEAN)";

	@TempDir
	Path directory;

	@Test
	void quickstartShouldCreateInsertAndFetchOnSqlite() throws IOException {
		// The snippet names a file relative to the working directory, as a newcomer would.
		Path file = Path.of("example.db");
		Files.deleteIfExists(file);
		try {
			// tag::quickstart[]
			Database db = new Database("sqlite:///example.db");
			db.connect().block();
			db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text VARCHAR(100), completed BOOLEAN)").block();
			db.execute("INSERT INTO notes(text, completed) VALUES (:text, :completed)",
					Map.of("text", "example1", "completed", true)).block();
			List<Record> rows = db.fetchAll("SELECT * FROM notes WHERE completed = :completed",
					Map.of("completed", true)).block();
			db.disconnect().block();
			// end::quickstart[]
			assertThat(rows).singleElement().satisfies((row) -> {
				assertThat(row.get("text", String.class)).isEqualTo("example1");
				assertThat(row.get("completed", Boolean.class)).isTrue();
			});
			assertThat(file).exists();
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	@ParameterizedTest
	@MethodSource("memoryUrls")
	void queriesShouldDoWhatTheReadmeSays(String url) {
		Database db = connectWithNotesTable(url);
		try {
			// tag::queries[]
			// Execute
			Mono<ExecuteResult> execute = db.execute("INSERT INTO notes(text, completed) VALUES (:text, :completed)",
					Map.of("text", "example1", "completed", true));     // rowsAffected(), lastRowId()

			// Execute many: batched into multi-row INSERTs, all or nothing
			Mono<Long> executeMany = db.executeMany("INSERT INTO notes(text, completed) VALUES (:text, :completed)",
					List.of(Map.of("text", "example2", "completed", false),
							Map.of("text", "example3", "completed", true)));   // rows affected

			// Fetch multiple rows
			Mono<List<Record>> rows = db.fetchAll("SELECT * FROM notes WHERE completed = :completed",
					Map.of("completed", true));

			// Fetch single row (empty Mono when there is none)
			Mono<Record> row = db.fetchOne("SELECT * FROM notes WHERE id = :id", Map.of("id", 1));

			// Fetch single value, by position or by name
			Mono<Long> count = db.fetchVal("SELECT COUNT(*) FROM notes", Long.class);
			Mono<String> text = db.fetchVal("SELECT * FROM notes WHERE id = :id", Map.of("id", 1), "text", String.class);

			// Rows as Java records or beans, matched by column name (created_at -> createdAt)
			record Note(long id, String text, boolean completed) {}
			Mono<List<Note>> notes = db.fetchAll("SELECT * FROM notes", Map.of(), Note.class);

			// Stream with back-pressure, in constant memory
			Flux<String> texts = db.iterate("SELECT * FROM notes").map(note -> note.get("text", String.class));
			// end::queries[]

			assertThat(count(db)).as("nothing runs before it is subscribed").isZero();
			ExecuteResult inserted = execute.block();
			assertThat(inserted).isNotNull();
			assertThat(inserted.rowsAffected()).isOne();
			assertThat(inserted.lastRowId()).isEqualTo(1L);
			assertThat(executeMany.block()).isEqualTo(2L);
			assertThat(rows.block()).extracting((completed) -> completed.get("text"))
				.containsExactlyInAnyOrder("example1", "example3");
			assertThat(row.block()).isNotNull().satisfies((first) -> assertThat(first.get("text")).isEqualTo("example1"));
			assertThat(count.block()).isEqualTo(3L);
			assertThat(text.block()).isEqualTo("example1");
			assertThat(notes.block()).containsExactlyInAnyOrder(new Note(1, "example1", true),
					new Note(2, "example2", false), new Note(3, "example3", true));
			assertThat(texts.collectList().block()).containsExactlyInAnyOrder("example1", "example2", "example3");
		}
		finally {
			db.disconnect().block();
		}
	}

	@ParameterizedTest
	@MethodSource("memoryUrls")
	void queryBuildersShouldDoWhatTheReadmeSays(String url) {
		Database db = connectWithNotesTable(url);
		try {
			// tag::relational[]
			org.springframework.data.relational.core.sql.Table notes = org.springframework.data.relational.core.sql.Table.create("notes");
			Column text = notes.column("text");
			Column completed = notes.column("completed");
			Insert insert = Insert.builder().into(notes).columns(text, completed)
				.values(SQL.bindMarker(":text"), SQL.bindMarker(":completed")).build();
			Select done = Select.builder().select(text).from(notes)
				.where(completed.isEqualTo(SQL.bindMarker(":completed"))).build();

			Mono<List<Object>> doneTexts = db.executeMany(RelationalQuery.of(insert), List.of(
					Map.of("text", "example1", "completed", true),
					Map.of("text", "example2", "completed", false)))
				.then(db.fetchAll(RelationalQuery.of(done, Map.of("completed", true))))
				.map(rows -> rows.stream().map(row -> RelationalQuery.value(row, text)).toList());
			// end::relational[]
			assertThat(doneTexts.block()).containsExactly("example1");

			// tag::jooq[]
			org.jooq.Table<?> jooqNotes = DSL.table(DSL.unquotedName("notes"));
			Field<String> jooqText = DSL.field(DSL.unquotedName("notes", "text"), String.class);
			Field<Boolean> jooqCompleted = DSL.field(DSL.unquotedName("notes", "completed"), Boolean.class);

			Mono<List<String>> pending = db
				.execute(JooqQuery.of(DSL.insertInto(jooqNotes, jooqText, jooqCompleted).values("example3", false)))
				.then(db.fetchAll(JooqQuery.of(DSL.select(jooqText).from(jooqNotes).where(jooqCompleted.isFalse()))))
				.map(rows -> rows.stream().map(row -> JooqQuery.value(row, jooqText)).toList());
			// end::jooq[]
			assertThat(pending.block()).containsExactlyInAnyOrder("example2", "example3");
		}
		finally {
			db.disconnect().block();
		}
	}

	@ParameterizedTest
	@MethodSource("memoryUrls")
	void transactionsShouldDoWhatTheReadmeSays(String url) {
		Database db = connectWithNotesTable(url);
		try {
			// tag::transactions[]
			String insert = "INSERT INTO notes(text, completed) VALUES (:text, :completed)";

			// As a block: commit on completion, roll back on error or cancel
			Mono<ExecuteResult> block = db.transaction(tx -> db.execute(insert, Map.of("text", "draft", "completed", false))
					.then(db.execute("UPDATE notes SET completed = :completed WHERE text = :text",
							Map.of("text", "draft", "completed", true))));

			// As a function wrapper (Python's decorator): each call is its own transaction
			Function<String, Mono<ExecuteResult>> create = db.transactional(text -> db.execute(insert,
					Map.of("text", text, "completed", false)));

			// Low level
			Mono<Void> lowLevel = db.beginTransaction().flatMap(tx -> tx.connection()
					.execute(insert, Map.of("text", "low level", "completed", false))
					.then(tx.commit())
					.onErrorResume(error -> tx.rollback().then(Mono.error(error))));

			// Nested transactions are savepoints: rolling back the inner one keeps the outer work
			Mono<ExecuteResult> nested = db.transaction(outer -> db.execute(insert, Map.of("text", "kept", "completed", false))
					.then(db.transaction(inner -> db.execute(insert, Map.of("text", "undone", "completed", false))
							.then(inner.rollback())))
					.then(db.execute(insert, Map.of("text", "also kept", "completed", false))));

			// Isolation, read-only, force-rollback
			Mono<Long> serializable = db.transaction(TransactionOptions.defaults().isolation(IsolationLevel.SERIALIZABLE),
					tx -> db.fetchVal("SELECT COUNT(*) FROM notes", Long.class));
			Mono<List<Record>> readOnly = db.transaction(TransactionOptions.defaults().readOnly(true),
					tx -> db.fetchAll("SELECT * FROM notes"));
			Mono<ExecuteResult> rolledBack = db.transaction(TransactionOptions.defaults().forceRollback(true),
					tx -> db.execute(insert, Map.of("text", "never kept", "completed", false)));
			// end::transactions[]

			assertThat(block.block()).isNotNull().satisfies((updated) -> assertThat(updated.rowsAffected()).isOne());
			assertThat(db.fetchVal("SELECT completed FROM notes WHERE text = :text", Map.of("text", "draft"),
					Boolean.class)
				.block()).isTrue();
			assertThat(create.apply("created").block()).isNotNull()
				.satisfies((created) -> assertThat(created.rowsAffected()).isOne());
			lowLevel.block();
			nested.block();
			assertThat(texts(db)).containsExactlyInAnyOrder("draft", "created", "low level", "kept", "also kept");
			assertThat(serializable.block()).isEqualTo(5L);
			assertThat(readOnly.block()).hasSize(5);
			assertThat(rolledBack.block()).isNotNull()
				.satisfies((inserted) -> assertThat(inserted.rowsAffected()).isOne());
			assertThat(texts(db)).doesNotContain("never kept").hasSize(5);
		}
		finally {
			db.disconnect().block();
		}
	}

	@ParameterizedTest
	@MethodSource("memoryUrls")
	void retriedTransactionsShouldRunTheTransfer(String url) {
		Database db = new Database(url);
		db.connect()
			.then(db.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)"))
			.then(db.execute("INSERT INTO accounts (id, balance) VALUES (1, 100), (2, 0)"))
			.block();
		try {
			// tag::retry[]
			Mono<Long> transfer = db.transaction(TransactionOptions.defaults().isolation(IsolationLevel.SERIALIZABLE).retry(5),
					tx -> db.execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1")
							.then(db.execute("UPDATE accounts SET balance = balance + 10 WHERE id = 2"))
							.then(db.fetchVal("SELECT balance FROM accounts WHERE id = 1", Long.class)));
			// end::retry[]
			assertThat(transfer.block()).isEqualTo(90L);
			assertThat(db.fetchVal("SELECT balance FROM accounts WHERE id = 2", Long.class).block()).isEqualTo(10L);
		}
		finally {
			db.disconnect().block();
		}
	}

	@ParameterizedTest
	@MethodSource("memoryUrls")
	void springAndTheDatabaseShouldShareTransactionsBothWays(String url) {
		Database db = connectWithNotesTable(url);
		try {
			DatabaseClient client = DatabaseClient.create(db.connectionFactory());
			TransactionalOperator transactionalOperator = TransactionalOperator
				.create(new R2dbcTransactionManager(db.connectionFactory()));
			db.execute("INSERT INTO notes(text, completed) VALUES ('a', false)").block();
			// tag::spring-transactions[]
			// TransactionalOperator (or a @Transactional method) around both: the Database joins Spring's transaction
			Mono<Void> archived = client.sql("UPDATE notes SET completed = true WHERE text = :text").bind("text", "a").then()
					.then(db.execute("INSERT INTO notes(text, completed) VALUES ('archived a', true)")).then()
					.as(transactionalOperator::transactional);

			// db.transaction(...): DatabaseClient, R2dbcEntityTemplate and repositories run in it
			Mono<Void> both = db.transaction(tx -> client.sql("INSERT INTO notes(text, completed) VALUES ('b', false)").then()
					.then(db.execute("INSERT INTO notes(text, completed) VALUES ('c', false)")).then());
			// end::spring-transactions[]
			archived.block();
			both.block();
			assertThat(texts(db)).containsExactlyInAnyOrder("a", "archived a", "b", "c");
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> db
				.transaction((tx) -> client.sql("INSERT INTO notes(text, completed) VALUES ('d', false)").then()
					.then(Mono.error(new IllegalStateException("roll back"))))
				.block());
			assertThat(texts(db)).as("the DatabaseClient row rolled back with db.transaction").doesNotContain("d");
		}
		finally {
			db.disconnect().block();
		}
	}

	@Test
	void severalServersShouldBeWrittenAsTheReadmeSays() {
		{
			// tag::replicas[]
			Database db = Database.builder("postgresql://app@primary/example?max_replica_lag=5s")
					.replica("postgresql://app@replica1/example?max_size=20")   // its own pool options
					.replica("postgresql://app@replica2/example")                // the primary's otherwise
					.build();
			// end::replicas[]
			assertThat(db.replicas()).extracting((replica) -> replica.url().hostname())
				.containsExactly("replica1", "replica2");
			assertThat(db.isConnected()).isFalse();
		}
		{
			// tag::failover[]
			Database db = new Database("postgresql://app:pw@db1:5432,db2:5432/app?target_server_type=primary");
			// end::failover[]
			assertThat(db.url().hosts()).extracting(DatabaseHost::hostname).containsExactly("db1", "db2");
			assertThat(db.url().toR2dbcUrl()).startsWith("r2dbc:postgresql:failover://")
				.contains("targetServerType=primary");
		}
	}

	@ParameterizedTest
	@MethodSource("memoryUrls")
	void statementsInsideAStreamShouldRunInItsTransaction(String url) {
		Database db = connectWithNotesTable(url);
		try {
			db.execute("CREATE TABLE archive (id INTEGER PRIMARY KEY)")
				.then(db.executeMany("INSERT INTO notes(text, completed) VALUES (:text, false)",
						List.of(Map.of("text", "a"), Map.of("text", "b"), Map.of("text", "c"))))
				.block();
			// tag::streams[]
			Mono<Long> copied = db.transaction(tx -> db.iterate("SELECT id FROM notes")
					.concatMap(row -> db.execute("INSERT INTO archive(id) VALUES (:id)", Map.of("id", row.get("id"))))
					.count());
			// end::streams[]
			assertThat(copied.block()).isEqualTo(3);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM archive", Long.class).block()).isEqualTo(3);
		}
		finally {
			db.disconnect().block();
		}
	}

	@Test
	void connectingShouldOpenAndCloseThePool() {
		// tag::connecting[]
		Database db = Database.builder("h2:mem:///example")   // or "postgresql://user:pass@localhost/example?ssl=verify-full"
				.option("min_size", 2).option("max_size", 20).option("acquire_timeout", "10s")
				.build();               // checks the URL and options at once; opens nothing yet
		db.connect().block();           // opens the pool
		db.disconnect().block();        // waits up to disconnect_timeout for work in flight, then closes every connection
		List<Record> one = Database.using("h2:mem:///example", h2 -> h2.fetchAll("SELECT 1")).block();  // connect, work, disconnect
		// end::connecting[]
		assertThat(db.isConnected()).isFalse();
		assertThat(one).singleElement().satisfies((row) -> assertThat(row.get(0, Integer.class)).isOne());
		assertThatExceptionOfType(NotConnectedException.class).isThrownBy(() -> db.fetchAll("SELECT 1").block());
	}

	@ParameterizedTest
	@MethodSource("fileUrls")
	void forceRollbackShouldLeaveNothingBehind(String kind) {
		String url = kind.equals("sqlite") ? "sqlite:///" + this.directory.resolve("isolation.db").toAbsolutePath()
				: "h2:file:///" + this.directory.resolve("isolation").toAbsolutePath();
		// Created outside: H2 commits DDL on its own, which would end the outer transaction.
		Database.using(url, (setup) -> setup.execute(NOTES.formatted(idColumn(url)))).block();
		// tag::isolation[]
		Database db = Database.builder(url).forceRollback(true).build();
		// end::isolation[]
		db.connect().block();
		try {
			db.transaction((tx) -> db.execute("INSERT INTO notes(text, completed) VALUES ('test data', TRUE)"))
				.block();
			assertThat(count(db)).as("committed inside, as the test sees it").isOne();
		}
		finally {
			db.disconnect().block();
		}
		assertThat(Database.using(url, (check) -> check.fetchVal("SELECT COUNT(*) FROM notes", Long.class)).block())
			.as("rows after disconnect")
			.isZero();
	}

	static Stream<String> memoryUrls() {
		return Stream.of("h2:mem:///readme_" + UUID.randomUUID().toString().replace("-", ""), "sqlite://");
	}

	static Stream<String> fileUrls() {
		return Stream.of("h2", "sqlite");
	}

	private static Database connectWithNotesTable(String url) {
		Database db = new Database(url);
		db.connect().then(db.execute(NOTES.formatted(idColumn(url)))).block();
		return db;
	}

	private static String idColumn(String url) {
		return url.startsWith("sqlite") ? "id INTEGER PRIMARY KEY AUTOINCREMENT"
				: "id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	}

	private static long count(Database db) {
		Long count = db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block();
		assertThat(count).isNotNull();
		return count;
	}

	private static List<String> texts(Database db) {
		return db.iterate("SELECT text FROM notes").map((row) -> row.get("text", String.class)).collectList().block();
	}

}

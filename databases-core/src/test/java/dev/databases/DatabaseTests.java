package dev.databases;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link Database} queries on every backend: the non-transaction cases of the
 * Python project's tests/test_databases.py, each named after the test it ports.
 */
class DatabaseTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String INSERT_NOTE = "INSERT INTO notes(text, completed) VALUES (:text, :completed)";

	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.ValueSource(strings = { "postgresql+asyncpg://localhost/example",
			"postgresql+vertx://localhost/example", "mysql+asyncmy://localhost/example", "h2+jdbc:mem:///example",
			"sqlite+aiosqlite:///example.db" })
	void aDriverTheLibraryDoesNotOfferShouldFailAtBuildNamingIt(String url) {
		String driver = url.substring(url.indexOf('+') + 1, url.indexOf(':', url.indexOf('+')));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> Database.builder(DatabaseURL.parse(url)).build())
			.withMessageStartingWith("Unsupported driver '" + driver + "' in URL ")
			.withMessageContaining("only through its R2DBC driver")
			.withMessageContaining("without '+" + driver + "'");
	}

	static <T> T run(String url, Function<Database, Mono<T>> test) {
		TestDatabases.assumeAvailable(url);
		Database db = new Database(url);
		return db.connect()
			.then(TestDatabases.createTables(db, url))
			.then(Mono.defer(() -> test.apply(db)))
			.flatMap((result) -> TestDatabases.dropTables(db).thenReturn(result))
			.switchIfEmpty(TestDatabases.dropTables(db).then(Mono.empty()))
			.onErrorResume((error) -> TestDatabases.dropTables(db).onErrorResume((e) -> Mono.empty())
				.then(Mono.error(error)))
			.doFinally((signal) -> db.disconnect().block(TIMEOUT))
			.block(TIMEOUT);
	}

	/** For tests that block: connect and create the tables, run, then drop and disconnect. */
	static void runBlocking(String url, java.util.function.Consumer<Database> test) {
		TestDatabases.assumeAvailable(url);
		Database db = new Database(url);
		db.connect().then(TestDatabases.createTables(db, url)).block(TIMEOUT);
		try {
			test.accept(db);
		}
		finally {
			TestDatabases.dropTables(db).onErrorResume((error) -> Mono.empty()).block(TIMEOUT);
			db.disconnect().block(TIMEOUT);
		}
	}

	private static Mono<Long> insertThreeNotes(Database db) {
		return db.execute(INSERT_NOTE, Map.of("text", "example1", "completed", true))
			.then(db.executeMany(INSERT_NOTE,
					List.of(Map.of("text", "example2", "completed", false),
							Map.of("text", "example3", "completed", true))));
	}

	// test_queries_raw (and test_queries, whose Core expressions become raw SQL here)
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void queriesRaw(String url) {
		run(url, (db) -> insertThreeNotes(db).flatMap((inserted) -> {
			assertThat(inserted).isEqualTo(2L);
			return db.fetchAll("SELECT * FROM notes WHERE completed = :completed ORDER BY id",
					Map.of("completed", true));
		}).flatMap((rows) -> {
			assertThat(rows).hasSize(2);
			assertThat(rows.get(0).get("text")).isEqualTo("example1");
			assertThat(rows.get(0).get("completed", Boolean.class)).isTrue();
			assertThat(rows.get(1).get("text")).isEqualTo("example3");
			return db.fetchOne("SELECT * FROM notes WHERE completed = :completed", Map.of("completed", false));
		}).flatMap((row) -> {
			assertThat(row.get("text")).isEqualTo("example2");
			assertThat(row.get("completed", Boolean.class)).isFalse();
			return db.fetchVal("SELECT completed FROM notes WHERE text = :text", Map.of("text", "example1"),
					Boolean.class);
		}).flatMap((completed) -> {
			assertThat(completed).isTrue();
			return db.fetchVal("SELECT * FROM notes WHERE text = :text", Map.of("text", "example1"), "completed",
					Boolean.class);
		}).flatMap((completed) -> {
			assertThat(completed).isTrue();
			return db.fetchVal("SELECT id, text FROM notes WHERE text = :text", Map.of("text", "example1"), 1,
					String.class);
		}).flatMap((text) -> {
			assertThat(text).isEqualTo("example1");
			return db.fetchVal("SELECT text FROM notes WHERE text = :text", Map.of("text", "nothing"), String.class)
				.defaultIfEmpty("<none>");
		}).flatMap((none) -> {
			assertThat(none).isEqualTo("<none>");
			return db.iterate("SELECT * FROM notes ORDER BY id").map((row) -> row.get("text", String.class))
				.collectList();
		}).doOnNext((texts) -> assertThat(texts).containsExactly("example1", "example2", "example3")));
	}

	// test_ddl_queries
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void ddlQueries(String url) {
		run(url, (db) -> db.execute("DROP TABLE notes")
			.then(db.execute("CREATE TABLE notes (" + TestDatabases.idColumn(url)
					+ ", text VARCHAR(100), completed BOOLEAN)"))
			.then(db.fetchAll("SELECT * FROM notes"))
			.doOnNext((rows) -> assertThat(rows).isEmpty()));
	}

	// test_queries_after_error[Exception|CancelledError]
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void queriesAfterError(String url) {
		runBlocking(url, (db) -> {
			StepVerifier.create(db.fetchAll("SELECT * FROM no_such_table"))
				.expectError(DatabaseException.class)
				.verify(TIMEOUT);
			StepVerifier.create(db.iterate("SELECT * FROM notes")).thenCancel().verify(TIMEOUT);
			assertThat(db.fetchAll("SELECT * FROM notes").block(TIMEOUT)).isEmpty();
		});
	}

	/**
	 * fetchOne needs only the first row. Statements after it, on the same connection or on
	 * the next lease of it, must still get their own rows: r2dbc-mysql 1.4 handed the next
	 * borrower the wrong rows (7 % of 530,000 fetches) when a result it was still reading was
	 * cancelled and the connection went back to the pool without a round trip.
	 */
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void statementsAfterFetchOneGetTheirOwnRows(String url) {
		run(url, (db) -> db.executeMany(INSERT_NOTE,
				java.util.stream.IntStream.range(0, 20)
					.mapToObj((i) -> Map.<String, Object>of("text", "note" + i, "completed", i % 2 == 0))
					.toList())
			.then(db.connection((connection) -> Flux.range(0, 400)
				.concatMap((i) -> connection.fetchOne("SELECT text FROM notes ORDER BY id")
					.then(connection.fetchOne("SELECT text FROM notes WHERE text = :text",
							Map.of("text", "note" + (i % 20)))))
				.map((row) -> row.get("text", String.class))
				.collectList())
				.single())
			.doOnNext((texts) -> assertThat(texts).hasSize(400)
				.isEqualTo(java.util.stream.IntStream.range(0, 400).mapToObj((i) -> "note" + (i % 20)).toList()))
			.then(Flux.range(0, 4000)
				.flatMap((i) -> db.fetchOne("SELECT text FROM notes WHERE text = :text", Map.of("text", "note" + (i % 20)))
					.map((row) -> row.get("text", String.class).equals("note" + (i % 20))), 16)
				.collectList())
			.doOnNext((matches) -> assertThat(matches).hasSize(4000).containsOnly(true)));
	}

	/**
	 * A transaction begun by raw SQL and left open is rolled back before the connection is
	 * lent again. One connection in the pool, so the next lease is the same session: had the
	 * transaction stayed open, that session would see its own row.
	 */
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void transactionLeftOpenByRawSqlIsRolledBackOnRelease(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = Database.builder(url).options(Map.of("min_size", 1, "max_size", 1)).build();
		db.connect().then(TestDatabases.createTables(db, url)).block(TIMEOUT);
		try {
			String begin = TestDatabases.isMySql(url) ? "START TRANSACTION" : "BEGIN";
			db.connection((connection) -> connection.execute(begin)
				.then(connection.execute(INSERT_NOTE, Map.of("text", "left open", "completed", true))))
				.blockLast(TIMEOUT);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isZero();
			// and the session is back in auto-commit: this row stays
			db.execute(INSERT_NOTE, Map.of("text", "kept", "completed", false)).block(TIMEOUT);
			assertThat(db.connection((connection) -> Mono.fromSupplier(() -> connection.raw().isAutoCommit()))
				.blockLast(TIMEOUT)).isTrue();
		}
		finally {
			TestDatabases.dropTables(db).onErrorResume((error) -> Mono.empty()).block(TIMEOUT);
			db.disconnect().block(TIMEOUT);
		}
	}

	// test_results_support_mapping_interface, test_mapping_property_interface
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void resultsSupportMappingInterface(String url) {
		run(url, (db) -> db.execute(INSERT_NOTE, Map.of("text", "example1", "completed", true))
			.then(db.fetchAll("SELECT id, text, completed FROM notes"))
			.doOnNext((rows) -> {
				Map<String, Object> row = rows.get(0);
				assertThat(row).hasSize(3);
				assertThat(Map.copyOf(row)).hasSize(3);
				assertThat(row.get("id")).isInstanceOf(Number.class);
				assertThat(row.get("text")).isEqualTo("example1");
				assertThat(rows.get(0).get("completed", Boolean.class)).isTrue();
				assertThat(row.get("no_such_column")).isNull();
				assertThatThrownBy(() -> rows.get(0).get("no_such_column"))
					.isInstanceOf(NoSuchColumnException.class)
					.hasMessageContaining("no_such_column");
			}));
	}

	// test_result_values_allow_duplicate_names
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void resultValuesAllowDuplicateNames(String url) {
		run(url, (db) -> db.fetchOne("SELECT 1 AS id, 2 AS id").doOnNext((row) -> {
			assertThat(row.keys()).hasSize(2);
			assertThat(row.keys().get(0)).isEqualToIgnoringCase("id");
			assertThat(row.keys().get(1)).isEqualToIgnoringCase("id");
			assertThat(row.values()).hasSize(2);
			assertThat(row.get(0, Integer.class)).isEqualTo(1);
			assertThat(row.get(1, Integer.class)).isEqualTo(2);
			assertThat(row.get("id", Integer.class)).isEqualTo(1);
		}));
	}

	// test_fetch_one_returning_no_results
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void fetchOneReturningNoResults(String url) {
		Object result = run(url, (db) -> db.fetchOne("SELECT * FROM notes").map(Object.class::cast)
			.defaultIfEmpty("<empty>"));
		assertThat(result).isEqualTo("<empty>");
	}

	// test_execute_return_val: lastRowId is the generated key, the same on every backend
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void executeReturnVal(String url) {
		run(url, (db) -> db.execute(INSERT_NOTE, Map.of("text", "example1", "completed", true))
			.flatMap((first) -> db.execute(INSERT_NOTE, Map.of("text", "example2", "completed", false))
				.flatMap((second) -> {
					assertThat(first.rowsAffected()).isEqualTo(1);
					assertThat(first.lastRowId()).isNotNull();
					assertThat(second.lastRowId()).isEqualTo(first.lastRowId() + 1);
					return db.fetchOne("SELECT * FROM notes WHERE id = :id", Map.of("id", second.lastRowId()));
				}))
			.doOnNext((row) -> assertThat(row.get("text")).isEqualTo("example2")));
	}

	// test_execute_return_val: statements that generate no key report none
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void executeReturnsRowsAffectedAndNoKeyForUpdates(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.execute("UPDATE notes SET completed = :completed", Map.of("completed", false)))
			.doOnNext((result) -> {
				assertThat(result.rowsAffected()).isEqualTo(3);
				assertThat(result.lastRowId()).isNull();
			}));
	}

	// test_datetime_field
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void datetimeField(String url) {
		LocalDateTime now = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
		run(url, (db) -> db
			.execute("INSERT INTO articles(title, published) VALUES (:title, :published)",
					Map.of("title", "Hello, world", "published", now))
			.then(db.fetchOne("SELECT * FROM articles"))
			.doOnNext((row) -> {
				assertThat(row.get("title")).isEqualTo("Hello, world");
				assertThat(row.get("published", LocalDateTime.class)).isEqualTo(now);
			}));
	}

	// test_date_field
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void dateField(String url) {
		LocalDate today = LocalDate.now();
		run(url, (db) -> db.execute("INSERT INTO events(date) VALUES (:date)", Map.of("date", today))
			.then(db.fetchOne("SELECT * FROM events"))
			.doOnNext((row) -> assertThat(row.get("date", LocalDate.class)).isEqualTo(today)));
	}

	// test_time_field
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void timeField(String url) {
		LocalTime time = LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
		run(url, (db) -> db.execute("INSERT INTO daily_schedule(time) VALUES (:time)", Map.of("time", time))
			.then(db.fetchOne("SELECT * FROM daily_schedule"))
			.doOnNext((row) -> assertThat(row.get("time", LocalTime.class)).isEqualTo(time)));
	}

	// test_decimal_field
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void decimalField(String url) {
		BigDecimal price = new BigDecimal("0.700000000000001");
		run(url, (db) -> db.execute("INSERT INTO prices(price) VALUES (:price)", Map.of("price", price))
			.then(db.fetchVal("SELECT price FROM prices", BigDecimal.class))
			.doOnNext((value) -> {
				if (TestDatabases.isSqlite(url)) {
					assertThat(value.doubleValue()).isCloseTo(0.700000000000001, org.assertj.core.data.Offset.offset(1e-15));
				}
				else {
					assertThat(value).isEqualByComparingTo(price);
				}
			}));
	}

	enum TshirtSize {

		SMALL, MEDIUM, LARGE, XL

	}

	// test_enum_field: an enum is stored by name and read back as the enum
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void enumField(String url) {
		run(url, (db) -> db
			.execute("INSERT INTO tshirt_size(size, color) VALUES (:size, :color)",
					Map.of("size", TshirtSize.SMALL, "color", 1))
			.then(db.fetchOne("SELECT * FROM tshirt_size"))
			.doOnNext((row) -> {
				assertThat(row.get("size", TshirtSize.class)).isEqualTo(TshirtSize.SMALL);
				assertThat(row.get("color", Integer.class)).isEqualTo(1);
			}));
	}

	// test_connections_isolation
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void connectionsIsolation(String url) {
		run(url, (db) -> db.execute(INSERT_NOTE, Map.of("text", "example1", "completed", true))
			.then(db.fetchAll("SELECT * FROM notes"))
			.doOnNext((rows) -> assertThat(rows).hasSize(1)));
	}

	// test_connect_and_disconnect
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void connectAndDisconnect(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = new Database(url);
		assertThat(db.isConnected()).isFalse();
		db.connect().block(TIMEOUT);
		assertThat(db.isConnected()).isTrue();
		db.connect().block(TIMEOUT);
		assertThat(db.isConnected()).isTrue();
		db.disconnect().block(TIMEOUT);
		assertThat(db.isConnected()).isFalse();
		db.disconnect().block(TIMEOUT);
		assertThat(db.isConnected()).isFalse();
		StepVerifier.create(db.fetchAll("SELECT 1")).expectError(NotConnectedException.class).verify(TIMEOUT);
		db.connect().block(TIMEOUT);
		assertThat(db.fetchVal("SELECT 1", Integer.class).block(TIMEOUT)).isEqualTo(1);
		db.disconnect().block(TIMEOUT);
	}

	// test_database_url_interface
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void databaseUrlInterface(String url) {
		TestDatabases.assumeAvailable(url);
		Database db = new Database(url);
		assertThat(db.url()).isEqualTo(DatabaseURL.parse(url));
	}

	// test_iterate_outside_transaction_with_values
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void iterateOutsideTransactionWithValues(String url) {
		TestDatabases.assumeAvailable(url);
		String sql = TestDatabases.isMySql(url) ? "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5"
				: "SELECT * FROM (VALUES (1), (2), (3), (4), (5)) AS t";
		long count = run(url, (db) -> db.iterate(sql).count());
		assertThat(count).isEqualTo(5);
	}

	// test_iterate_outside_transaction_with_temp_table
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void iterateOutsideTransactionWithTempTable(String url) {
		TestDatabases.assumeAvailable(url);
		String create = TestDatabases.isH2(url) ? "CREATE LOCAL TEMPORARY TABLE no_transac(num INTEGER)"
				: "CREATE TEMPORARY TABLE no_transac(num INTEGER)";
		long count = run(url, (db) -> db.connection((connection) -> connection.execute(create)
			.then(connection.executeMany("INSERT INTO no_transac(num) VALUES (:value)",
					List.of(Map.of("value", 1), Map.of("value", 2), Map.of("value", 3), Map.of("value", 4),
							Map.of("value", 5))))
			.thenMany(connection.iterate("SELECT * FROM no_transac"))
			.count()).next());
		assertThat(count).isEqualTo(5);
	}

	// test_column_names
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void columnNames(String url) {
		run(url, (db) -> db.execute(INSERT_NOTE, Map.of("text", "example1", "completed", true))
			.then(db.fetchAll("SELECT * FROM notes"))
			.doOnNext((rows) -> {
				assertThat(rows.get(0).keys()).map(String::toLowerCase).containsExactly("id", "text", "completed");
				assertThat(rows.get(0).get("text")).isEqualTo("example1");
				assertThat(rows.get(0).get("completed", Boolean.class)).isTrue();
			}));
	}

	// test_postcompile_queries: IN lists expand to one bound parameter per element
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void postcompileQueries(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.fetchAll("SELECT * FROM notes WHERE id IN (:ids) ORDER BY id", Map.of("ids", List.of(2, 3))))
			.doOnNext((rows) -> assertThat(rows).extracting((row) -> row.get("text"))
				.containsExactly("example2", "example3"))
			.then(db.fetchAll("SELECT * FROM notes WHERE id IN (:ids)", Map.of("ids", List.of(20, 30))))
			.doOnNext((rows) -> assertThat(rows).isEmpty()));
	}

	// test_result_named_access
	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void resultNamedAccess(String url) {
		run(url, (db) -> db.execute(INSERT_NOTE, Map.of("text", "example1", "completed", true))
			.then(db.fetchOne("SELECT * FROM notes WHERE text = :text", Map.of("text", "example1")))
			.doOnNext((row) -> {
				assertThat(row.get("text")).isEqualTo("example1");
				assertThat(row.get("completed", Boolean.class)).isSameAs(Boolean.TRUE);
			}));
	}

	record Note(long id, String text, boolean completed) {
	}

	public static class NoteBean {

		private Long id;

		private String text;

		private Boolean completed;

		public void setId(Long id) {
			this.id = id;
		}

		public void setText(String text) {
			this.text = text;
		}

		public void setCompleted(Boolean completed) {
			this.completed = completed;
		}

	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void fetchAllMapsRowsToRecordsAndBeans(String url) {
		run(url, (db) -> insertThreeNotes(db)
			.then(db.fetchAll("SELECT * FROM notes ORDER BY id", Map.of(), Note.class))
			.doOnNext((notes) -> assertThat(notes).extracting(Note::text, Note::completed)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("example1", true),
						org.assertj.core.groups.Tuple.tuple("example2", false),
						org.assertj.core.groups.Tuple.tuple("example3", true)))
			.then(db.fetchAll("SELECT * FROM notes ORDER BY id", Map.of(), NoteBean.class))
			.doOnNext((beans) -> {
				assertThat(beans).hasSize(3);
				assertThat(beans.get(1).text).isEqualTo("example2");
				assertThat(beans.get(1).completed).isFalse();
				assertThat(beans.get(1).id).isPositive();
			}));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void missingParameterFailsBeforeAnythingIsSent(String url) {
		runBlocking(url, (db) -> {
			StepVerifier.create(db.execute(INSERT_NOTE, Map.of("text", "secret-value")))
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MissingParameterException.class)
					.hasMessageContaining(":completed")
					.hasMessageNotContaining("secret-value"))
				.verify(TIMEOUT);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isZero();
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void nullValuesAreBoundAndReadBack(String url) {
		java.util.HashMap<String, Object> values = new java.util.HashMap<>();
		values.put("text", null);
		values.put("completed", null);
		run(url, (db) -> db.execute(INSERT_NOTE, values)
			.then(db.fetchOne("SELECT * FROM notes"))
			.doOnNext((row) -> {
				assertThat(row.get("text")).isNull();
				assertThat(row.get("completed")).isNull();
			}));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void constraintViolationKeepsSqlStateAndSqlButNotValues(String url) {
		run(url, (db) -> db.execute("INSERT INTO notes(id, text, completed) VALUES (:id, :text, :completed)",
				Map.of("id", 1, "text", "first", "completed", true))
			.then(db.execute("INSERT INTO notes(id, text, completed) VALUES (:id, :text, :completed)",
					Map.of("id", 1, "text", "secret-text", "completed", true)))
			.map(Object.class::cast)
			.onErrorResume((error) -> {
				assertThat(error).isInstanceOf(ConstraintViolationException.class);
				DatabaseException database = (DatabaseException) error;
				assertThat(database.sqlState()).startsWith("23");
				assertThat(database.sql()).isEqualTo(
						"INSERT INTO notes(id, text, completed) VALUES (:id, :text, :completed)");
				assertThat(database.getMessage()).doesNotContain("secret-text").contains("in SQL: INSERT");
				return Mono.just("translated");
			})
			.doOnNext((outcome) -> assertThat(outcome).isEqualTo("translated")));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void executeManyWritesManyRowsAndCountsThem(String url) {
		List<Map<String, Object>> rows = new java.util.ArrayList<>();
		for (int i = 0; i < 2500; i++) {
			rows.add(Map.of("text", "note " + i, "completed", i % 2 == 0));
		}
		run(url, (db) -> db.executeMany(INSERT_NOTE, rows)
			.doOnNext((count) -> assertThat(count).isEqualTo(2500))
			.then(db.fetchVal("SELECT COUNT(*) FROM notes WHERE completed = :completed", Map.of("completed", true),
					Long.class))
			.doOnNext((count) -> assertThat(count).isEqualTo(1250))
			.then(db.executeMany("UPDATE notes SET completed = :completed WHERE text = :text",
					List.of(Map.of("text", "note 1", "completed", true), Map.of("text", "note 3", "completed", true))))
			.doOnNext((count) -> assertThat(count).isEqualTo(2)));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void executeManyIsAllOrNothingOutsideATransaction(String url) {
		runBlocking(url, (db) -> {
			StepVerifier
				.create(db.executeMany("INSERT INTO notes(id, text, completed) VALUES (:id, :text, :completed)",
						List.of(Map.of("id", 1, "text", "a", "completed", true),
								Map.of("id", 2, "text", "b", "completed", true),
								Map.of("id", 1, "text", "c", "completed", true))))
				.expectError(ConstraintViolationException.class)
				.verify(TIMEOUT);
			assertThat(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class).block(TIMEOUT)).isZero();
			assertThat(db.poolMetrics().orElseThrow().acquiredSize()).isZero();
		});
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void iterateStreamsWithBackPressure(String url) {
		List<Map<String, Object>> rows = new java.util.ArrayList<>();
		for (int i = 0; i < 3000; i++) {
			rows.add(Map.of("text", "note " + i, "completed", true));
		}
		run(url, (db) -> db.executeMany(INSERT_NOTE, rows)
			.then(db.iterate("SELECT * FROM notes ORDER BY id").limitRate(2).take(2).collectList())
			.doOnNext((first) -> assertThat(first).extracting((row) -> row.get("text"))
				.containsExactly("note 0", "note 1"))
			.then(db.iterate("SELECT * FROM notes ORDER BY id").limitRate(7).count())
			.doOnNext((count) -> assertThat(count).isEqualTo(3000))
			// take(2) cancels, and a cancelled lease goes back after the cancel has returned
			.then(ReliabilitySupport.awaitAllReleased(db)));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void queriesAcceptQueryObjects(String url) {
		run(url, (db) -> db.execute(Query.of(INSERT_NOTE, Map.of("text", "example1", "completed", true)))
			.then(db.fetchAll(Query.of("SELECT text FROM notes")))
			.doOnNext((rows) -> assertThat(rows).extracting((row) -> row.get("text")).containsExactly("example1"))
			.thenMany(db.iterate(Query.of("SELECT text FROM notes")))
			.count()
			.doOnNext((count) -> assertThat(count).isEqualTo(1)));
	}

	@ParameterizedTest
	@MethodSource("dev.databases.TestDatabases#urls")
	void concurrentQueriesEachBorrowAConnection(String url) {
		run(url, (db) -> Flux.range(0, 50)
			.flatMap((i) -> db.execute(INSERT_NOTE, Map.of("text", "n" + i, "completed", true)), 16)
			.then(db.fetchVal("SELECT COUNT(*) FROM notes", Long.class))
			.doOnNext((count) -> assertThat(count).isEqualTo(50))
			.then(Mono.fromSupplier(() -> db.poolMetrics().orElseThrow().acquiredSize()))
			.doOnNext((acquired) -> assertThat(acquired).isZero()));
	}

}

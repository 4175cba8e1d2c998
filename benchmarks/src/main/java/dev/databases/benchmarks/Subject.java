package dev.databases.benchmarks;

import java.util.Locale;

/**
 * One system under measurement, doing the work of each workload the way its users write
 * it. Every method blocks until the work is done (the benchmark thread must wait for it);
 * every row read feeds a checksum built from all of its fields.
 */
interface Subject extends AutoCloseable {

	/** Connections in every pool: WORKLOADS.md's "pool size 16 everywhere", min = max. */
	int POOL_SIZE = 16;

	/** Workers of W5. */
	int WORKERS = 16;

	String INSERT = "INSERT INTO " + Target.TABLE + " (text, completed) VALUES (:text, :completed)";

	String SELECT_ALL = "SELECT id, text, completed FROM " + Target.TABLE;

	String SELECT_ONE = "SELECT id, text, completed FROM " + Target.TABLE + " WHERE id = :id";

	/** W1: one INSERT, autocommitted. */
	void insertOne(String text, boolean completed);

	/** W2: every row of the batch in one call, inside one transaction; returns the rows inserted. */
	long insertMany(Rows.Batch batch);

	/** W3: every row materialised, then each row's three fields read; returns the checksum. */
	long fetchAll();

	/** W4: one row by id; returns its checksum. */
	long fetchOne(int id);

	/** W5: one row per id, {@link #WORKERS} at a time; returns the sum of the checksums. */
	long fetchOneConcurrently(int[] ids);

	/** W6: stream every row without materialising them; returns the number of rows, after a checksum is taken. */
	long iterate(long[] checksum);

	/** W7: a transaction that inserts, then in a savepoint inserts and rolls back, then commits. */
	void nestedTransaction(String kept, String rolledBack);

	@Override
	void close();

	/**
	 * The subject for a {@code @Param} value: databases, r2dbc, dbclient or jdbc; and for
	 * diagnosis r2dbc-corepool, the raw driver on a pool configured as databases configures
	 * its own (r2dbc-corepool-noacq without its acquire timeout, r2dbc-corepool-noval without
	 * its validation timeout), and r2dbc-fetch500, the raw driver streaming W6 with databases'
	 * fetch size; databases-replica, this library reading from one replica; vertx, Vert.x's
	 * own SQL clients (vertx-pscache with their prepared-statement cache on); jdbc-vt, JDBC
	 * with W5's workers on virtual threads (Java 21+).
	 */
	static Subject open(String system, Target target) {
		return switch (system.toLowerCase(Locale.ROOT)) {
			case "databases" -> new DatabasesSubject(target);
			case "databases-replica" -> ReplicaSubject.open(target);
			case "r2dbc" -> new R2dbcSubject(target, R2dbcSubject.PoolSettings.DEFAULT, 0);
			case "r2dbc-corepool" -> new R2dbcSubject(target, R2dbcSubject.PoolSettings.CORE, 0);
			case "r2dbc-corepool-noacq" ->
				new R2dbcSubject(target, R2dbcSubject.PoolSettings.CORE_WITHOUT_ACQUIRE_TIMEOUT, 0);
			case "r2dbc-corepool-noval" ->
				new R2dbcSubject(target, R2dbcSubject.PoolSettings.CORE_WITHOUT_VALIDATION_TIMEOUT, 0);
			case "r2dbc-fetch500" -> new R2dbcSubject(target, R2dbcSubject.PoolSettings.DEFAULT, 500);
			case "dbclient" -> new DatabaseClientSubject(target);
			case "jdbc" -> new JdbcSubject(target);
			case "jdbc-vt" -> new JdbcSubject(target, VirtualThreads.perTaskExecutor());
			case "vertx" -> new VertxSubject(target, false);
			case "vertx-pscache" -> new VertxSubject(target, true);
			default -> throw new IllegalArgumentException("Unknown system '" + system
					+ "': expected databases, r2dbc, dbclient, jdbc, vertx or jdbc-vt");
		};
	}

	/**
	 * Whether {@code system} runs on {@code backend} at all: Vert.x has SQL clients for
	 * PostgreSQL and MySQL/MariaDB only, and a replica is only set up for those servers.
	 * {@code Main} leaves the other pairs out of the run; {@link #open} fails on them.
	 */
	static boolean supports(String system, String backend) {
		boolean server = switch (backend.toLowerCase(Locale.ROOT)) {
			case "postgresql", "mariadb", "mysql" -> true;
			default -> false;
		};
		return switch (system.toLowerCase(Locale.ROOT)) {
			case "vertx", "vertx-pscache", "databases-replica" -> server;
			default -> true;
		};
	}

}

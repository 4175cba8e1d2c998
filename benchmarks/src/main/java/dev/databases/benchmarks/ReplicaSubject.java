package dev.databases.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.databases.Database;

/**
 * Diagnostic system {@code databases-replica}: this library with one read replica, built as
 * its README shows ({@code Database.builder(primary).replica(url)}), so that W3-W5's reads
 * go to the replica and W1, W2 and W7's writes to the primary. The replica comes from
 * {@code DATABASES_BENCH_REPLICA_URLS} (the first URL of the backend's kind), else from the
 * variables {@code servers/env} sets ({@code servers/start-all} starts a PostgreSQL standby
 * of 5432 on 5433, and a MariaDB replica on 3308 of a primary on 3307). Before measuring it
 * waits until the replica has replayed the table, and proves that reads reach it.
 */
final class ReplicaSubject {

	private static final Duration CATCH_UP = Duration.ofSeconds(60);

	private ReplicaSubject() {
	}

	static Subject open(Target target) {
		String replica = replicaUrl(target);
		Database db = Database.builder(target.databasesUrl())
			.option("min_size", Subject.POOL_SIZE)
			.option("max_size", Subject.POOL_SIZE)
			.replica(replica)
			.build();
		awaitCaughtUp(target, replica);
		DatabasesSubject subject = new DatabasesSubject(db);
		// A read outside a transaction must be answered by the replica, not the primary.
		String where = (target.kind() == Target.Kind.POSTGRESQL)
				? String.valueOf(db.fetchVal("SELECT pg_is_in_recovery()", Boolean.class).block())
				: String.valueOf(db.fetchVal("SELECT @@read_only", Integer.class).block());
		if (!where.equals("true") && !where.equals("1")) {
			subject.close();
			throw new IllegalStateException("Reads did not reach the replica " + replica);
		}
		return subject;
	}

	private static String replicaUrl(Target target) {
		String configured = Target.firstOf("DATABASES_BENCH_REPLICA_URLS", target.kind());
		if (configured != null) {
			return configured;
		}
		String fromServers = switch (target.kind()) {
			case POSTGRESQL -> System.getenv("DATABASES_TEST_PG_STANDBY_URL");
			case MARIADB -> System.getenv("DATABASES_TEST_MARIADB_REPLICA_URL");
			case H2, SQLITE -> null;
		};
		if (fromServers == null) {
			throw new IllegalStateException("No replica for " + target + ": set DATABASES_BENCH_REPLICA_URLS, or run "
					+ "servers/start-all and `. servers/env` (then, for mariadb, the primary in DATABASES_TEST_URLS "
					+ "must be $DATABASES_TEST_MARIADB_PRIMARY_URL)");
		}
		return fromServers;
	}

	/** Wait until the replica has everything the primary had once the table was filled. */
	private static void awaitCaughtUp(Target target, String replicaUrl) {
		Database primary = new Database(target.databasesUrl());
		Database replica = new Database(replicaUrl);
		try {
			primary.connect().block();
			replica.connect().block();
			BooleanSupplier caughtUp;
			if (target.kind() == Target.Kind.POSTGRESQL) {
				Map<String, Object> lsn = Map.of("lsn",
						primary.fetchVal("SELECT pg_current_wal_lsn()::text", String.class).block());
				caughtUp = () -> Boolean.TRUE.equals(replica
					.fetchVal("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)", lsn, Boolean.class)
					.block());
			}
			else {
				Map<String, Object> gtid = Map.of("gtid",
						primary.fetchVal("SELECT @@gtid_binlog_pos", String.class).block());
				// 0 once replayed, -1 when a second passed first.
				caughtUp = () -> Integer.valueOf(0)
					.equals(replica.fetchVal("SELECT MASTER_GTID_WAIT(:gtid, 1)", gtid, Integer.class).block());
			}
			long deadline = System.nanoTime() + CATCH_UP.toNanos();
			while (!caughtUp.getAsBoolean()) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The replica " + replicaUrl + " did not catch up with "
							+ target.databasesUrl() + " in " + CATCH_UP.toSeconds() + " s: is it its replica?");
				}
				Thread.onSpinWait();
			}
		}
		finally {
			replica.disconnect().block();
			primary.disconnect().block();
		}
	}

}

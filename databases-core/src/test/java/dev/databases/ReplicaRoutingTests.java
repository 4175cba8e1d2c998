package dev.databases;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.spi.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Where work goes when a database has read replicas, on two H2 databases in memory that
 * each know their name (table {@code server}): the rules, without replication. The real
 * replicated servers are in {@link ReplicaServerTests}.
 */
class ReplicaRoutingTests {

	private static final String WHO = "SELECT name FROM server";

	private final String primaryUrl = "h2:mem:///primary_" + unique();

	private final String replicaUrl = "h2:mem:///replica_" + unique();

	private final String secondReplicaUrl = "h2:mem:///replica2_" + unique();

	private Database primaryAlone;

	private Database replicaAlone;

	private Database secondReplicaAlone;

	private Database db;

	@BeforeEach
	void servers() {
		this.primaryAlone = named(this.primaryUrl, "primary");
		this.replicaAlone = named(this.replicaUrl, "replica");
		this.secondReplicaAlone = named(this.secondReplicaUrl, "replica2");
	}

	@AfterEach
	void disconnect() {
		for (Database database : new Database[] { this.db, this.primaryAlone, this.replicaAlone,
				this.secondReplicaAlone }) {
			if (database != null) {
				database.disconnect().block();
			}
		}
	}

	@Test
	void readsOutsideBlocksGoToTheReplicaAndWritesToThePrimary() {
		this.db = connected(Database.builder(this.primaryUrl).replica(this.replicaUrl));
		assertThat(this.db.fetchVal(WHO, String.class).block()).isEqualTo("replica");
		assertThat(this.db.fetchOne(WHO).block().get("name")).isEqualTo("replica");
		assertThat(this.db.fetchAll(WHO).block()).extracting((row) -> row.get("name")).containsExactly("replica");
		assertThat(this.db.iterate(WHO).map((row) -> row.get("name")).collectList().block())
			.containsExactly("replica");
		assertThat(this.db.execute("UPDATE server SET hits = hits + 1").block().rowsAffected()).isEqualTo(1);
		assertThat(this.db.executeMany("UPDATE server SET hits = hits + :n", List.of(Map.of("n", 1))).block())
			.isEqualTo(1);
		assertThat(this.primaryAlone.fetchVal("SELECT hits FROM server", Integer.class).block()).isEqualTo(2);
		assertThat(this.replicaAlone.fetchVal("SELECT hits FROM server", Integer.class).block()).isZero();
	}

	@Test
	void everythingInsideABlockGoesToThePrimary() {
		this.db = connected(Database.builder(this.primaryUrl).replica(this.replicaUrl));
		assertThat(this.db.connection((connection) -> this.db.fetchVal(WHO, String.class)).blockLast())
			.isEqualTo("primary");
		assertThat(this.db.transaction((tx) -> this.db.fetchVal(WHO, String.class)).block()).isEqualTo("primary");
		assertThat(this.db.transactionMany((tx) -> this.db.iterate(WHO)).map((row) -> row.get("name")).blockLast())
			.isEqualTo("primary");
		// Nested in a read-write transaction, a read-only one is a savepoint on its connection.
		assertThat(this.db.transaction((tx) -> this.db.transaction(TransactionOptions.defaults().readOnly(true),
				(inner) -> this.db.fetchVal(WHO, String.class))).block()).isEqualTo("primary");
	}

	@Test
	void anOutermostReadOnlyTransactionGoesToTheReplica() {
		this.db = connected(Database.builder(this.primaryUrl).replica(this.replicaUrl));
		TransactionOptions readOnly = TransactionOptions.defaults().readOnly(true);
		assertThat(this.db.transaction(readOnly, (tx) -> this.db.fetchVal(WHO, String.class)
			.zipWith(tx.connection().fetchVal(WHO, String.class), (a, b) -> a + "/" + b)).block())
			.isEqualTo("replica/replica");
		assertThat(this.db.transaction(readOnly.isolation(IsolationLevel.SERIALIZABLE),
				(tx) -> this.db.fetchVal(WHO, String.class)).block()).isEqualTo("replica");
		Transaction pinned = this.db.beginTransaction(readOnly).block();
		assertThat(pinned.connection().fetchVal(WHO, String.class).block()).isEqualTo("replica");
		pinned.rollback().block();
		Transaction readWrite = this.db.beginTransaction().block();
		assertThat(readWrite.connection().fetchVal(WHO, String.class).block()).isEqualTo("primary");
		readWrite.rollback().block();
	}

	@Test
	void readsTakeTheReplicasInTurn() {
		this.db = connected(Database.builder(this.primaryUrl).replica(this.replicaUrl).replica(this.secondReplicaUrl));
		List<String> served = Flux.range(0, 6).concatMap((i) -> this.db.fetchVal(WHO, String.class)).collectList().block();
		assertThat(served).containsOnly("replica", "replica2");
		assertThat(served.stream().filter("replica"::equals).count()).isEqualTo(3);
	}

	@Test
	void aForceRollbackDatabaseUsesThePrimaryOnly() {
		this.db = connected(Database.builder(this.primaryUrl).replica(this.replicaUrl).forceRollback(true));
		assertThat(this.db.fetchVal(WHO, String.class).block()).isEqualTo("primary");
		assertThat(this.db.transaction(TransactionOptions.defaults().readOnly(true),
				(tx) -> this.db.fetchVal(WHO, String.class)).block()).isEqualTo("primary");
	}

	@Test
	void afterAWriteInAReadYourWritesContextItsReadsGoToThePrimary() {
		this.db = connected(Database.builder(this.primaryUrl).replica(this.replicaUrl).option("read_your_writes", "1h"));
		Mono<String> readAfterWrite = this.db.execute("UPDATE server SET hits = hits + 1")
			.then(this.db.fetchVal(WHO, String.class));
		assertThat(this.db.readYourWrites(readAfterWrite).block()).isEqualTo("primary");
		// Without the window, or before any write in it, reads go to the replica.
		assertThat(readAfterWrite.block()).isEqualTo("replica");
		assertThat(this.db.readYourWrites(this.db.fetchVal(WHO, String.class)).block()).isEqualTo("replica");
		// A read-write transaction opens the window too; each subscription has its own.
		Flux<String> afterTransaction = this.db.transaction((tx) -> tx.connection().fetchVal(WHO, String.class))
			.thenMany(this.db.iterate(WHO).map((row) -> (String) row.get("name")));
		assertThat(this.db.readYourWrites(afterTransaction).blockLast()).isEqualTo("primary");
	}

	@Test
	void withoutTheOptionReadYourWritesChangesNothing() {
		this.db = connected(Database.builder(this.primaryUrl).replica(this.replicaUrl));
		assertThat(this.db.readYourWrites(this.db.execute("UPDATE server SET hits = hits + 1")
			.then(this.db.fetchVal(WHO, String.class))).block()).isEqualTo("replica");
	}

	@Test
	void aReplicaTakesItsOwnPoolOptionsAndThePrimarysOthers() {
		this.db = connected(Database.builder(this.primaryUrl + "?max_size=3&statement_timeout=7s")
			.replica(this.replicaUrl + "?max_size=20"));
		this.db.fetchVal(WHO, String.class).block();
		ReplicaStatus replica = this.db.replicas().get(0);
		assertThat(replica.poolMetrics().orElseThrow().getMaxAllocatedSize()).isEqualTo(20);
		assertThat(replica.url().options()).containsEntry("statement_timeout", "7s").containsEntry("max_size", "20");
		assertThat(this.db.poolMetrics().orElseThrow().getMaxAllocatedSize()).isEqualTo(3);
	}

	@Test
	void aReplicaOfAnotherKindOfDatabaseIsRejectedAtBuild() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Database.builder(this.primaryUrl).replica("postgresql://localhost/other").build())
			.withMessageContaining("replica postgresql://localhost/other is PostgreSQL")
			.withMessageContaining("same kind of database");
	}

	@Test
	void disconnectStopsTheReplicasToo() {
		this.db = connected(Database.builder(this.primaryUrl).replica(this.replicaUrl));
		Replica replica = this.db.replicaSet().replicas().get(0);
		assertThat(this.db.replicas()).singleElement().satisfies((status) -> {
			assertThat(status.name()).isEqualTo("replica-0");
			assertThat(status.isServing()).isTrue();
			assertThat(status.state()).isEqualTo("serving");
			assertThat(status.poolMetrics()).isPresent();
		});
		this.db.disconnect().block();
		assertThat(replica.isServing()).isFalse();
		assertThat(replica.metrics()).isEmpty();
		assertThat(this.db.replicas()).singleElement().satisfies((status) -> {
			assertThat(status.isServing()).isFalse();
			assertThat(status.state()).isEqualTo("not connected");
			assertThat(status.url().database()).startsWith("replica_");
		});
		assertThat(this.db.connect().then(this.db.fetchVal(WHO, String.class)).block()).isEqualTo("replica");
	}

	private static Database connected(Database.Builder builder) {
		Database db = builder.build();
		db.connect().block();
		return db;
	}

	/** A database that says who it is. */
	private static Database named(String url, String name) {
		Database db = new Database(url);
		db.connect()
			.then(db.execute("CREATE TABLE server (name VARCHAR(20), hits INTEGER)"))
			.then(db.execute("INSERT INTO server VALUES (:name, 0)", Map.of("name", name)))
			.block(Duration.ofSeconds(30));
		return db;
	}

	private static String unique() {
		return UUID.randomUUID().toString().replace("-", "");
	}

}

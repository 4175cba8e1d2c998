package dev.databases.boot.health;

import dev.databases.Database;
import dev.databases.ReplicaStatus;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one read replica of a {@link Database}, as its routing sees it: up while reads
 * may go to it, down while it is out (unreachable, a lost read, or lagging more than
 * {@code max_replica_lag}), with its URL, its state and its pool's figures as details. It
 * reads the replica's state rather than querying the server, so a health check costs the
 * replica nothing; the replica's own checks run every {@code replica_retry_interval}.
 */
final class ReplicaHealthIndicator extends AbstractReactiveHealthIndicator {

	private final Database database;

	private final int index;

	/**
	 * @param database the database the replica belongs to
	 * @param index the replica's place in {@link Database#replicas()}
	 */
	ReplicaHealthIndicator(Database database, int index) {
		super("Replica health check failed");
		this.database = database;
		this.index = index;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		ReplicaStatus replica = this.database.replicas().get(this.index);
		builder.withDetail("database", replica.url().dialect())
			.withDetail("url", replica.url().toString())
			.withDetail("state", replica.state());
		replica.poolMetrics().ifPresent((metrics) -> builder.withDetail("pool", PoolDetails.of(metrics)));
		return Mono.just((replica.isServing() ? builder.up() : builder.down()).build());
	}

}

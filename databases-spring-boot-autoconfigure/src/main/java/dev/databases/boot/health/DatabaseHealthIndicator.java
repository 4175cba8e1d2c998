package dev.databases.boot.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.databases.Database;
import dev.databases.ReplicaStatus;
import io.r2dbc.pool.PoolMetrics;
import dev.databases.boot.PoolFigure;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a {@link Database}: up when a validation query ({@code SELECT 1}) answers,
 * with the database kind, its URL (password masked) and the pool's figures as details
 * (named as the {@code databases.connections.*} gauges: see {@link PoolFigure});
 * down when it is not connected or the query fails. With read replicas, each one's URL,
 * state ({@code serving}, or why it is out) and pool figures are details under
 * {@code replicas}; a replica out does not make the database down, since its reads go to
 * the primary.
 *
 * @since 0.1.0
 */
public final class DatabaseHealthIndicator extends AbstractReactiveHealthIndicator {

	/** The query run to check the database; every supported database answers it. */
	public static final String VALIDATION_QUERY = "SELECT 1";

	private final Database database;

	/**
	 * Create an indicator.
	 * @param database the database to check
	 */
	public DatabaseHealthIndicator(Database database) {
		super("Database health check failed");
		this.database = database;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		builder.withDetail("database", this.database.url().dialect())
			.withDetail("url", this.database.url().toString());
		if (!this.database.isConnected()) {
			return Mono.just(builder.down().withDetail("error", "not connected").build());
		}
		return this.database.fetchVal(VALIDATION_QUERY, Object.class)
			.map((result) -> builder.up().withDetail("validationQuery", VALIDATION_QUERY).withDetail("result", result))
			.switchIfEmpty(Mono.fromSupplier(() -> builder.down().withDetail("validationQuery", VALIDATION_QUERY)))
			.map((health) -> withPool(health).build());
	}

	private static Map<String, Object> figures(PoolMetrics metrics) {
		Map<String, Object> pool = new LinkedHashMap<>();
		for (PoolFigure figure : PoolFigure.values()) {
			pool.put(figure.figureName(), figure.read(metrics));
		}
		return pool;
	}

	private Health.Builder withPool(Health.Builder builder) {
		this.database.poolMetrics().ifPresent((metrics) -> {
			// The names of the databases.connections.* gauges, so health and metrics agree.
			builder.withDetail("pool", figures(metrics));
		});
		List<ReplicaStatus> replicas = this.database.replicas();
		if (!replicas.isEmpty()) {
			Map<String, Object> details = new LinkedHashMap<>();
			for (ReplicaStatus replica : replicas) {
				Map<String, Object> detail = new LinkedHashMap<>();
				detail.put("url", replica.url().toString());
				detail.put("state", replica.state());
				replica.poolMetrics().ifPresent((metrics) -> detail.put("pool", figures(metrics)));
				details.put(replica.name(), detail);
			}
			builder.withDetail("replicas", details);
		}
		return builder;
	}

}

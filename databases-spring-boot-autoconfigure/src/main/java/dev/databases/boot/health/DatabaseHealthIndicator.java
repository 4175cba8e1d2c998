package dev.databases.boot.health;

import dev.databases.Database;
import dev.databases.boot.PoolFigure;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a {@link Database}: up when a validation query ({@code SELECT 1}) answers,
 * with the database kind, its URL (password masked) and the pool's figures as details
 * (named as the {@code databases.connections.*} gauges: see {@link PoolFigure});
 * down when it is not connected or the query fails. It checks the primary server: with
 * read replicas, each replica is a component of its own beside it (see
 * {@link DatabaseHealthContributorAutoConfiguration}).
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

	private Health.Builder withPool(Health.Builder builder) {
		// The names of the databases.connections.* gauges, so health and metrics agree.
		this.database.poolMetrics().ifPresent((metrics) -> builder.withDetail("pool", PoolDetails.of(metrics)));
		return builder;
	}

}

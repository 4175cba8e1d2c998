package dev.databases;

import java.util.Optional;

import io.r2dbc.pool.PoolMetrics;
import org.jspecify.annotations.Nullable;

/**
 * How one read replica of a {@link Database} is doing, for health checks and metrics: a
 * snapshot, except for the pool's figures, which stay live.
 *
 * @since 0.1.0
 */
public final class ReplicaStatus {

	private final String name;

	private final DatabaseURL url;

	private final boolean serving;

	private final String state;

	private final @Nullable PoolMetrics poolMetrics;

	ReplicaStatus(String name, DatabaseURL url, boolean serving, String state, @Nullable PoolMetrics poolMetrics) {
		this.name = name;
		this.url = url;
		this.serving = serving;
		this.state = state;
		this.poolMetrics = poolMetrics;
	}

	/**
	 * The replica's name: {@code replica-0}, {@code replica-1}, ... in the order the replicas were given.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The replica's URL, with its options; {@code toString()} masks the password.
	 * @return the URL
	 */
	public DatabaseURL url() {
		return this.url;
	}

	/**
	 * Whether reads may go to it now.
	 * @return {@code true} when it serves
	 */
	public boolean isServing() {
		return this.serving;
	}

	/**
	 * {@code serving}, {@code not connected}, or {@code out: } and why (unreachable, a lost
	 * read, or its lag); a replica out is tried again after {@code replica_retry_interval}.
	 * @return the state
	 */
	public String state() {
		return this.state;
	}

	/**
	 * The figures of its pool.
	 * @return the metrics, or empty while its pool is not open
	 */
	public Optional<PoolMetrics> poolMetrics() {
		return Optional.ofNullable(this.poolMetrics);
	}

	@Override
	public String toString() {
		return "ReplicaStatus[" + this.name + ", " + this.url + ", " + this.state + "]";
	}

}

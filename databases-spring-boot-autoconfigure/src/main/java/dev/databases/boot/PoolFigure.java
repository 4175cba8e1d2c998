package dev.databases.boot;

import java.util.function.ToIntFunction;

import io.r2dbc.pool.PoolMetrics;

/**
 * The figures of a {@link dev.databases.Database}'s pool that the health indicator shows
 * (under {@code pool}) and the metrics publish (as {@code databases.connections.<name>}).
 * Both read this one list, so a figure has the same name in {@code /actuator/health} and in
 * {@code /actuator/metrics}.
 *
 * @since 0.1.0
 */
public enum PoolFigure {

	/** Connections lent out. */
	ACTIVE("active", "Connections lent out", PoolMetrics::acquiredSize),

	/** Open connections not in use. */
	IDLE("idle", "Open connections not in use", PoolMetrics::idleSize),

	/** Callers waiting for a connection. */
	PENDING("pending", "Callers waiting for a connection", PoolMetrics::pendingAcquireSize),

	/** Open connections, in use or idle. */
	TOTAL("total", "Open connections", PoolMetrics::allocatedSize),

	/** The most connections the pool opens. */
	MAX("max", "Maximum number of connections", PoolMetrics::getMaxAllocatedSize);

	private final String figureName;

	private final String description;

	private final ToIntFunction<PoolMetrics> reader;

	PoolFigure(String figureName, String description, ToIntFunction<PoolMetrics> reader) {
		this.figureName = figureName;
		this.description = description;
		this.reader = reader;
	}

	/**
	 * The name, as the health detail's key and the meter's last segment.
	 * @return the name, such as {@code active}
	 */
	public String figureName() {
		return this.figureName;
	}

	/**
	 * What the figure counts, as the meter's description.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Read the figure from a pool.
	 * @param metrics the pool's metrics
	 * @return the current value
	 */
	public int read(PoolMetrics metrics) {
		return this.reader.applyAsInt(metrics);
	}

}

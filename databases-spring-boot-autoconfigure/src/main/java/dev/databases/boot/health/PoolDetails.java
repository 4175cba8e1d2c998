package dev.databases.boot.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.databases.boot.PoolFigure;
import io.r2dbc.pool.PoolMetrics;

/** A pool's figures as a health detail, named as the {@code databases.connections.*} gauges. */
final class PoolDetails {

	private PoolDetails() {
	}

	static Map<String, Object> of(PoolMetrics metrics) {
		Map<String, Object> pool = new LinkedHashMap<>();
		for (PoolFigure figure : PoolFigure.values()) {
			pool.put(figure.figureName(), figure.read(metrics));
		}
		return pool;
	}

}

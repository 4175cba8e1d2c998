package dev.databases.boot.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.databases.Database;
import dev.databases.ReplicaStatus;

import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;

/**
 * The health contributors of {@link Database} beans: one {@link DatabaseHealthIndicator} for
 * a database on one server; for one with read replicas, one component per server, named
 * {@code primary}, {@code replica-0}, ... like the {@code server} tag of the pool gauges.
 */
final class DatabaseHealthContributors {

	private DatabaseHealthContributors() {
	}

	/** One contributor for the beans: the only one's own, or one per bean, by bean name. */
	static ReactiveHealthContributor of(Map<String, Database> databases) {
		if (databases.size() == 1) {
			return of(databases.values().iterator().next());
		}
		return CompositeReactiveHealthContributor.fromMap(databases, DatabaseHealthContributors::of);
	}

	static ReactiveHealthContributor of(Database database) {
		List<ReplicaStatus> replicas = database.replicas();
		if (replicas.isEmpty()) {
			return new DatabaseHealthIndicator(database);
		}
		Map<String, ReactiveHealthContributor> servers = new LinkedHashMap<>();
		servers.put("primary", new DatabaseHealthIndicator(database));
		for (int i = 0; i < replicas.size(); i++) {
			servers.put(replicas.get(i).name(), new ReplicaHealthIndicator(database, i));
		}
		return CompositeReactiveHealthContributor.fromMap(servers);
	}

}

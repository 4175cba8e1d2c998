package dev.databases;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The pools of one {@link Database}'s servers: the primary's, and one per read replica,
 * opened by {@code connect()} and closed by {@code disconnect()}. The facade asks it for
 * the current pools; the {@link ScopeResolver} routes work between them.
 */
final class ServerPools {

	private final DatabaseRuntime runtime;

	private final boolean forceRollback;

	/** One per read replica, in the order given; none with force-rollback. */
	private final List<DatabaseRuntime> replicaRuntimes;

	private final AtomicReference<@Nullable Pool> primary = new AtomicReference<>();

	private final AtomicReference<@Nullable ReplicaSet> replicas = new AtomicReference<>();

	/**
	 * @param runtime the primary's
	 * @param forceRollback whether the primary lends one connection (then no replica is used)
	 * @param options the primary's options, URL and builder merged
	 * @param replicaUrls the replicas' URLs
	 */
	ServerPools(DatabaseRuntime runtime, boolean forceRollback, Map<String, Object> options,
			List<DatabaseURL> replicaUrls) {
		this.runtime = runtime;
		this.forceRollback = forceRollback;
		List<DatabaseRuntime> replicaRuntimes = new ArrayList<>();
		for (DatabaseURL replicaUrl : replicaUrls) {
			// A replica has the primary's options, but for those its own URL gives (its pool sizes).
			ConnectOptions replicaOptions = ConnectOptions.of(options, replicaUrl.options());
			Map<String, Object> replicaMerged = new LinkedHashMap<>(options);
			replicaMerged.putAll(replicaUrl.options());
			replicaRuntimes.add(runtime.replica(replicaUrl.withOptions(replicaMerged), replicaOptions));
		}
		this.replicaRuntimes = forceRollback ? List.of() : List.copyOf(replicaRuntimes);
	}

	/** The primary's pool while connected. */
	@Nullable Pool primary() {
		return this.primary.get();
	}

	/** The read replicas while connected, {@code null} when there are none. */
	@Nullable ReplicaSet replicas() {
		return this.replicas.get();
	}

	boolean isConnected() {
		return this.primary.get() != null;
	}

	/** Open the primary's pool (which must answer) and each replica's (which need not). */
	Mono<Void> connect() {
		return Mono.defer(() -> {
			Pool current = this.primary.get();
			if (current != null) {
				return current.ready();
			}
			Pool created;
			try {
				created = Pool.of(this.runtime, this.forceRollback);
			}
			catch (RuntimeException ex) {
				return Mono.error(ex);
			}
			if (!this.primary.compareAndSet(null, created)) {
				created.dispose();
				return Objects.requireNonNull(this.primary.get()).ready();
			}
			if (this.replicaRuntimes.isEmpty()) {
				return created.start().doOnError((error) -> this.primary.compareAndSet(created, null));
			}
			ConnectOptions options = this.runtime.options();
			ReplicaSet replicas = new ReplicaSet(this.replicaRuntimes, options.replicaRetryInterval(),
					options.maxReplicaLag());
			this.replicas.set(replicas);
			return Mono.when(created.start(), replicas.start()).onErrorResume((error) -> {
				this.primary.compareAndSet(created, null);
				this.replicas.compareAndSet(replicas, null);
				return replicas.stop().onErrorResume((ignored) -> Mono.empty()).then(Mono.error(error));
			});
		});
	}

	Mono<Void> disconnect() {
		return Mono.defer(() -> {
			Pool current = this.primary.getAndSet(null);
			ReplicaSet replicas = this.replicas.getAndSet(null);
			Mono<Void> stopReplicas = (replicas != null) ? replicas.stop() : Mono.empty();
			return (current != null) ? Mono.when(current.stop(), stopReplicas) : stopReplicas;
		});
	}

	/** How each replica is doing, in the order given. */
	List<ReplicaStatus> replicaStatuses() {
		ReplicaSet current = this.replicas.get();
		List<ReplicaStatus> statuses = new ArrayList<>(this.replicaRuntimes.size());
		for (int i = 0; i < this.replicaRuntimes.size(); i++) {
			if (current != null) {
				Replica replica = current.replicas().get(i);
				statuses.add(new ReplicaStatus(replica.name(), replica.url(), replica.isServing(), replica.state(),
						replica.metrics().orElse(null)));
			}
			else {
				statuses.add(new ReplicaStatus("replica-" + i, this.replicaRuntimes.get(i).url(), false, "not connected",
						null));
			}
		}
		return statuses;
	}

}

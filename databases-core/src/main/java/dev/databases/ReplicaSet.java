package dev.databases;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The read replicas of one connected {@link Database}, and where a read goes: to the next
 * replica that serves, round-robin, else to the primary. A read that loses its connection
 * on a replica takes that replica out and is answered by the primary instead, which is
 * safe because a read changes nothing; a stream only while it has emitted nothing.
 */
final class ReplicaSet {

	private final List<Replica> replicas;

	private final AtomicInteger next = new AtomicInteger();

	/**
	 * @param runtimes one per replica, in the order they were given
	 * @param interval how long a replica stays out, and how often its lag is measured
	 * @param maxLag how far behind a replica may be, or {@code null} to not measure
	 */
	ReplicaSet(List<DatabaseRuntime> runtimes, Duration interval, @Nullable Duration maxLag) {
		List<Replica> replicas = new ArrayList<>(runtimes.size());
		for (DatabaseRuntime runtime : runtimes) {
			replicas.add(new Replica("replica-" + replicas.size(), runtime, interval, maxLag));
		}
		this.replicas = List.copyOf(replicas);
	}

	List<Replica> replicas() {
		return this.replicas;
	}

	/** Start every replica's pool at once; never fails, a replica that cannot start is out. */
	Mono<Void> start() {
		return Flux.fromIterable(this.replicas).flatMap(Replica::start).then();
	}

	Mono<Void> stop() {
		return Flux.fromIterable(this.replicas).flatMap(Replica::stop).then();
	}

	/** Run a read on a replica, or on {@code primary} when none serves or the replica is lost. */
	<T> Mono<T> read(Pool primary, Function<Pool, Mono<T>> work) {
		Picked replica = pick();
		if (replica == null) {
			return work.apply(primary);
		}
		return work.apply(replica.pool())
			.onErrorResume(ReplicaSet::lostServer, (error) -> {
				replica.replica().failed(error);
				return work.apply(primary);
			});
	}

	/** {@link #read} for a stream: answered by the primary only while nothing was emitted. */
	<T> Flux<T> readMany(Pool primary, Function<Pool, Flux<T>> work) {
		Picked replica = pick();
		if (replica == null) {
			return work.apply(primary);
		}
		return Flux.defer(() -> {
			boolean[] emitted = new boolean[1];
			return work.apply(replica.pool()).doOnNext((value) -> emitted[0] = true).onErrorResume(ReplicaSet::lostServer,
					(error) -> {
						replica.replica().failed(error);
						return emitted[0] ? Flux.error(error) : work.apply(primary);
					});
		});
	}

	/** The next replica that serves, round-robin, or {@code null} when none does. */
	private @Nullable Picked pick() {
		int count = this.replicas.size();
		int first = Math.floorMod(this.next.getAndIncrement(), count);
		for (int i = 0; i < count; i++) {
			Replica replica = this.replicas.get((first + i) % count);
			Pool pool = replica.serving();
			if (pool != null) {
				return new Picked(replica, pool);
			}
		}
		return null;
	}

	/** Errors after which the replica is taken out: it cannot be reached, or no connection came. */
	private static boolean lostServer(Throwable error) {
		return error instanceof ConnectionException;
	}

	/** A replica that serves, with the pool it serves from. */
	private record Picked(Replica replica, Pool pool) {
	}

}

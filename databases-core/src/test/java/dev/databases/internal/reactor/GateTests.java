package dev.databases.internal.reactor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate alone: one unit at a time, in order, and no turn lost to a cancel or an error. */
class GateTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void unitsShouldRunOneAtATimeInTheOrderTheyCame() {
		Gate gate = new Gate();
		Sinks.Empty<Void> first = Sinks.empty();
		List<String> events = new CopyOnWriteArrayList<>();
		Mono<String> one = gate.run(first.asMono().then(Mono.fromSupplier(() -> {
			events.add("one");
			return "one";
		})));
		Mono<String> two = gate.run(Mono.fromSupplier(() -> {
			events.add("two");
			return "two";
		}));
		StepVerifier.create(Flux.merge(one, two)).then(() -> {
			assertThat(events).as("two waits for one's turn").isEmpty();
			first.tryEmitEmpty();
		}).expectNextCount(2).expectComplete().verify(TIMEOUT);
		assertThat(events).containsExactly("one", "two");
	}

	@Test
	void aWaiterThatCancelsShouldNotKeepTheTurn() {
		Gate gate = new Gate();
		Sinks.Empty<Void> holder = Sinks.empty();
		Disposable held = gate.run(holder.asMono()).subscribe();
		Disposable cancelled = gate.run(Mono.just("never")).subscribe();
		cancelled.dispose();
		held.dispose();
		StepVerifier.create(gate.run(Mono.just("next"))).expectNext("next").expectComplete().verify(TIMEOUT);
	}

	@Test
	void anErrorShouldGiveTheTurnOn() {
		Gate gate = new Gate();
		StepVerifier.create(gate.run(Mono.error(new IllegalStateException("boom"))))
			.expectError(IllegalStateException.class)
			.verify(TIMEOUT);
		StepVerifier.create(gate.run(Mono.just("after"))).expectNext("after").expectComplete().verify(TIMEOUT);
	}

	@Test
	void onWaitShouldBeToldOnlyWhenSomeoneHasToWait() {
		AtomicInteger waits = new AtomicInteger();
		Gate gate = new Gate(waits::incrementAndGet);
		StepVerifier.create(gate.run(Mono.just(1))).expectNext(1).expectComplete().verify(TIMEOUT);
		assertThat(waits).hasValue(0);
		Sinks.Empty<Void> holder = Sinks.empty();
		Disposable held = gate.run(holder.asMono()).subscribe();
		Disposable waiting = gate.run(Mono.just(2)).subscribe();
		assertThat(waits).hasValue(1);
		held.dispose();
		waiting.dispose();
	}

	@Test
	void closeShouldRefuseWaitersAndLaterUnitsButLetTheHolderFinish() {
		Gate gate = new Gate();
		Sinks.Empty<Void> holder = Sinks.empty();
		List<Throwable> errors = new CopyOnWriteArrayList<>();
		AtomicInteger holderDone = new AtomicInteger();
		gate.run(holder.asMono()).subscribe(null, errors::add, holderDone::incrementAndGet);
		gate.run(Mono.just("queued")).subscribe(null, errors::add);
		IllegalStateException closed = new IllegalStateException("disconnected");
		gate.close(closed);
		assertThat(errors).containsExactly(closed);
		holder.tryEmitEmpty();
		assertThat(holderDone).hasValue(1);
		StepVerifier.create(gate.run(Mono.just("later"))).expectErrorMatches((error) -> error == closed).verify(TIMEOUT);
	}

	@Test
	void aGrantEndedEarlyShouldLetTheNextUnitInBeforeItsPublisherEnds() {
		Gate gate = new Gate();
		Gate.Grant grant = gate.acquire().block(TIMEOUT);
		assertThat(grant).isNotNull();
		Mono<String> next = gate.run(Mono.just("next"));
		grant.end();
		StepVerifier.create(next).expectNext("next").expectComplete().verify(TIMEOUT);
		// A second release of the same grant must not hand out a turn that is not its own.
		Gate.Grant held = gate.acquire().block(TIMEOUT);
		grant.release().block(TIMEOUT);
		StepVerifier.create(gate.run(Mono.just("blocked"))).expectSubscription()
			.expectNoEvent(Duration.ofMillis(100))
			.then(() -> held.end())
			.expectNext("blocked")
			.expectComplete()
			.verify(TIMEOUT);
	}

}

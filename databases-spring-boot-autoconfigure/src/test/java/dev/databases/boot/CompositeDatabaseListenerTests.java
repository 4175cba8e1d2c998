package dev.databases.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.databases.DatabaseListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompositeDatabaseListener}.
 */
class CompositeDatabaseListenerTests {

	private final List<String> events = new ArrayList<>();

	@Test
	void noListenerShouldBeNullAndOneShouldBeItself() {
		DatabaseListener one = new Recording("one");
		assertThat(CompositeDatabaseListener.of(List.of())).isNull();
		assertThat(CompositeDatabaseListener.of(List.of(one))).isSameAs(one);
	}

	@Test
	void eachListenerShouldGetBackItsOwnContext() {
		DatabaseListener composite = CompositeDatabaseListener.of(List.of(new Recording("a"), new Recording("b")));
		Object context = composite.connectionAcquired(Duration.ofMillis(1));
		composite.connectionReleased(context, Duration.ofMillis(2));
		assertThat(this.events).containsExactly("a acquired", "b acquired", "a released a-context",
				"b released b-context");
	}

	@Test
	void failingListenerShouldNotKeepTheOthersFromBeingTold() {
		DatabaseListener failing = new DatabaseListener() {

			@Override
			public @Nullable Object connectionAcquired(Duration waited) {
				throw new IllegalStateException("boom");
			}

			@Override
			public void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
				throw new IllegalStateException("boom");
			}

		};
		DatabaseListener composite = CompositeDatabaseListener.of(List.of(failing, new Recording("b")));
		Object context = composite.connectionAcquired(Duration.ZERO);
		composite.queryCompleted("SELECT 1", Duration.ZERO, null);
		composite.connectionCreated(Duration.ZERO);
		composite.connectionAcquireFailed(Duration.ZERO, new IllegalStateException("exhausted"));
		composite.connectionReleased(context, Duration.ZERO);
		assertThat(this.events).containsExactly("b acquired", "b query SELECT 1", "b created", "b failed exhausted",
				"b released b-context");
	}

	@Test
	void releaseWithAForeignContextShouldGiveEachListenerNull() {
		DatabaseListener composite = CompositeDatabaseListener.of(List.of(new Recording("a"), new Recording("b")));
		composite.connectionReleased("unexpected", Duration.ZERO);
		assertThat(this.events).containsExactly("a released null", "b released null");
	}

	private final class Recording implements DatabaseListener {

		private final String name;

		Recording(String name) {
			this.name = name;
		}

		@Override
		public Object connectionAcquired(Duration waited) {
			CompositeDatabaseListenerTests.this.events.add(this.name + " acquired");
			return this.name + "-context";
		}

		@Override
		public void connectionAcquireFailed(Duration waited, Throwable error) {
			CompositeDatabaseListenerTests.this.events.add(this.name + " failed " + error.getMessage());
		}

		@Override
		public void connectionReleased(@Nullable Object context, Duration held) {
			CompositeDatabaseListenerTests.this.events.add(this.name + " released " + context);
		}

		@Override
		public void connectionCreated(Duration took) {
			CompositeDatabaseListenerTests.this.events.add(this.name + " created");
		}

		@Override
		public void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
			CompositeDatabaseListenerTests.this.events.add(this.name + " query " + sql);
		}

	}

}

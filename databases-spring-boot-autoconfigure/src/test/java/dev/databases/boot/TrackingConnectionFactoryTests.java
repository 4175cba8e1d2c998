package dev.databases.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.example.leaks.LeakyCaller;
import dev.databases.Database;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Wrapped;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TrackingConnectionFactory}: timings for listeners and the leak warning.
 */
class TrackingConnectionFactoryTests {

	private final Database database = new Database("h2:mem:///boot_tracking");

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final List<String> warnings = new ArrayList<>();

	private final List<Throwable> traces = new ArrayList<>();

	private final List<String> events = new ArrayList<>();

	private final ConnectionLeaseListener listener = new ConnectionLeaseListener() {

		@Override
		public void acquired(Duration waited) {
			TrackingConnectionFactoryTests.this.events.add("acquired");
		}

		@Override
		public void released(Duration held) {
			TrackingConnectionFactoryTests.this.events.add("released");
		}

	};

	private TrackingConnectionFactory connectionFactory;

	@BeforeEach
	void connect() {
		this.database.connect().block();
		ConnectionLeakDetector leakDetector = new ConnectionLeakDetector(Duration.ofSeconds(2), this.scheduler,
				(message, trace) -> {
					this.warnings.add(message);
					this.traces.add(trace);
				});
		this.connectionFactory = new TrackingConnectionFactory(this.database.connectionFactory(),
				List.of(this.listener), leakDetector);
	}

	@AfterEach
	void disconnect() {
		this.database.disconnect().block();
		this.scheduler.dispose();
	}

	@Test
	void connectionHeldPastThresholdShouldBeReportedNamingTheCaller() {
		Connection connection = LeakyCaller.borrowAndForget(this.connectionFactory);
		this.scheduler.advanceTimeBy(Duration.ofMillis(1999));
		assertThat(this.warnings).isEmpty();
		this.scheduler.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.warnings).singleElement()
			.asString()
			.contains("com.example.leaks.LeakyCaller.borrowAndForget")
			.contains("PT2S")
			.contains("databases.pool.leak-detection-threshold");
		assertThat(this.traces.get(0).getStackTrace()).anySatisfy(
				(frame) -> assertThat(frame.getClassName()).isEqualTo(LeakyCaller.class.getName()));
		Mono.from(connection.close()).block();
	}

	@Test
	void connectionReleasedInTimeShouldNotBeReported() {
		Connection connection = LeakyCaller.borrowAndForget(this.connectionFactory);
		Mono.from(connection.close()).block();
		this.scheduler.advanceTimeBy(Duration.ofSeconds(10));
		assertThat(this.warnings).isEmpty();
	}

	@Test
	void releaseShouldBeReportedOnceAndReachTheDelegate() {
		Connection connection = LeakyCaller.borrowAndForget(this.connectionFactory);
		assertThat(((Wrapped<?>) connection).unwrap()).isNotInstanceOf(TrackingConnectionFactory.TrackedConnection.class);
		Mono.from(connection.close()).block();
		Mono.from(connection.close()).onErrorResume((error) -> Mono.empty()).block();
		assertThat(this.events).containsExactly("acquired", "released");
		assertThat(this.database.poolMetrics().orElseThrow().acquiredSize()).isZero();
	}

	@Test
	void shouldUnwrapToTheDatabaseConnectionFactory() {
		assertThat(this.connectionFactory.unwrap()).isSameAs(this.database.connectionFactory());
		assertThat(this.connectionFactory.getWrappedObject()).isSameAs(this.database.connectionFactory());
	}

}

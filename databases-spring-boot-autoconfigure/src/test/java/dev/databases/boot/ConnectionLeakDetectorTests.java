package dev.databases.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.example.leaks.LeakyCaller;
import dev.databases.Database;
import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectionLeakDetector}: on its own with virtual time, as the listener
 * of a Database that lends connections through its {@code ConnectionFactory}, and as the
 * auto-configured Database's listener, logging through Logback.
 */
class ConnectionLeakDetectorTests {

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final List<String> warnings = new ArrayList<>();

	private final ConnectionLeakDetector detector = new ConnectionLeakDetector(Duration.ofMillis(50), this.scheduler,
			(message, trace) -> this.warnings.add(message));

	private final CapturingAppender appender = new CapturingAppender();

	private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionLeakDetector.class);

	@BeforeEach
	void captureLog() {
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	@AfterEach
	void stopCapturing() {
		this.logger.detachAppender(this.appender);
		this.scheduler.dispose();
	}

	@Test
	void connectionHeldPastThresholdShouldBeReported() {
		Object lease = this.detector.connectionAcquired(Duration.ZERO);
		this.scheduler.advanceTimeBy(Duration.ofMillis(49));
		assertThat(this.warnings).isEmpty();
		this.scheduler.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.warnings).singleElement().asString().contains("held for more than PT0.05S");
		this.detector.connectionReleased(lease, Duration.ofMillis(80));
		assertThat(this.warnings).hasSize(1);
	}

	@Test
	void connectionReleasedInTimeShouldNotBeReported() {
		Object lease = this.detector.connectionAcquired(Duration.ZERO);
		this.detector.connectionReleased(lease, Duration.ofMillis(10));
		this.scheduler.advanceTimeBy(Duration.ofSeconds(10));
		assertThat(this.warnings).isEmpty();
	}

	@Test
	void disabledDetectorShouldNeitherCaptureNorReport() {
		Object lease = this.detector.connectionAcquired(Duration.ZERO);
		this.detector.disable();
		assertThat(this.detector.connectionAcquired(Duration.ZERO)).isNull();
		this.scheduler.advanceTimeBy(Duration.ofSeconds(10));
		assertThat(this.warnings).isEmpty();
		assertThat(lease).isNotNull();
	}

	@Test
	void zeroOrMissingThresholdShouldSwitchTheDetectorOff() {
		assertThat(new ConnectionLeakDetector(Duration.ZERO).isEnabled()).isFalse();
		assertThat(new ConnectionLeakDetector(null).isEnabled()).isFalse();
		assertThat(new ConnectionLeakDetector(Duration.ofMillis(-1)).connectionAcquired(Duration.ZERO)).isNull();
		assertThat(new ConnectionLeakDetector(Duration.ofMillis(1)).isEnabled()).isTrue();
	}

	@Test
	void databaseConnectionHeldPastThresholdShouldBeLoggedNamingTheCaller() {
		contextRunner().withPropertyValues("databases.pool.leak-detection-threshold=50ms").run((context) -> {
			Database database = context.getBean(Database.class);
			// Hold the connection until the warning is out (or give up after 10 s), releasing it
			// on another thread: Logback drops what the appending thread logs from inside append.
			LeakyCaller.holdConnection(database,
					Mono.firstWithSignal(this.appender.warned.asMono().publishOn(Schedulers.parallel()),
							Mono.delay(Duration.ofSeconds(10)).then()));
			assertThat(this.appender.events).filteredOn((event) -> event.getLevel() == Level.WARN)
				.singleElement()
				.satisfies((event) -> {
					assertThat(event.getFormattedMessage())
						.startsWith("Possible connection leak: a connection acquired by "
								+ LeakyCaller.class.getName() + ".holdConnection")
						.contains("held for more than PT0.05S (databases.pool.leak-detection-threshold)");
					assertThat(event.getThrowableProxy().getStackTraceElementProxyArray())
						.anySatisfy((frame) -> assertThat(frame.getStackTraceElement().getClassName())
							.isEqualTo(LeakyCaller.class.getName()));
				});
			assertThat(this.appender.events).filteredOn((event) -> event.getLevel() == Level.INFO)
				.singleElement()
				.extracting(ILoggingEvent::getFormattedMessage)
				.asString()
				.startsWith("The connection reported as a possible leak was released after");
		});
	}

	@Test
	void connectionLentThroughTheConnectionFactoryHeldPastThresholdShouldBeReportedNamingTheCaller() {
		List<Throwable> traces = new ArrayList<>();
		ConnectionLeakDetector detector = new ConnectionLeakDetector(Duration.ofSeconds(2), this.scheduler,
				(message, trace) -> {
					this.warnings.add(message);
					traces.add(trace);
				});
		withDatabase(detector, (database) -> {
			Connection connection = LeakyCaller.borrowAndForget(database.connectionFactory());
			this.scheduler.advanceTimeBy(Duration.ofMillis(1999));
			assertThat(this.warnings).isEmpty();
			this.scheduler.advanceTimeBy(Duration.ofMillis(1));
			assertThat(this.warnings).singleElement()
				.asString()
				.contains("com.example.leaks.LeakyCaller.borrowAndForget")
				.contains("PT2S")
				.contains("databases.pool.leak-detection-threshold");
			assertThat(traces.get(0).getStackTrace()).anySatisfy(
					(frame) -> assertThat(frame.getClassName()).isEqualTo(LeakyCaller.class.getName()));
			Mono.from(connection.close()).block();
		});
	}

	@Test
	void connectionLentThroughTheConnectionFactoryReleasedInTimeShouldNotBeReported() {
		withDatabase(this.detector, (database) -> {
			Connection connection = LeakyCaller.borrowAndForget(database.connectionFactory());
			Mono.from(connection.close()).block();
			this.scheduler.advanceTimeBy(Duration.ofSeconds(10));
			assertThat(this.warnings).isEmpty();
		});
	}

	@Test
	void forceRollbackConnectionShouldNotBeReported() {
		contextRunner()
			.withPropertyValues("databases.pool.leak-detection-threshold=50ms", "databases.force-rollback=true")
			.run((context) -> {
				Database database = context.getBean(Database.class);
				// The one connection was taken when the context started: hold it past the threshold.
				LeakyCaller.holdConnection(database, Mono.delay(Duration.ofMillis(300)));
				assertThat(database.isForceRollback()).isTrue();
				assertThat(this.appender.events).isEmpty();
			});
	}

	/** Run {@code test} on a connected H2 Database whose listener is {@code detector}. */
	private static void withDatabase(ConnectionLeakDetector detector, Consumer<Database> test) {
		Database database = Database.builder("h2:mem:///boot_leak_" + UUID.randomUUID().toString().replace("-", ""))
			.listener(detector)
			.build();
		database.connect().block();
		try {
			test.accept(database);
		}
		finally {
			database.disconnect().block();
		}
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DatabaseAutoConfiguration.class))
			.withPropertyValues("databases.url=h2:mem:///boot_leak_" + UUID.randomUUID().toString().replace("-", ""));
	}

	/** Keeps the detector's log events, and says when the first warning is out. */
	static final class CapturingAppender extends AppenderBase<ILoggingEvent> {

		final List<ILoggingEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

		final Sinks.Empty<Void> warned = Sinks.empty();

		@Override
		protected void append(ILoggingEvent event) {
			this.events.add(event);
			if (event.getLevel() == Level.WARN) {
				this.warned.tryEmitEmpty();
			}
		}

	}

}

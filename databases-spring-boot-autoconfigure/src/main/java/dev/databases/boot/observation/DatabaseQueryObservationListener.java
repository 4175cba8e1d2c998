package dev.databases.boot.observation;

import java.time.Duration;

import dev.databases.DatabaseListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DatabaseListener} that makes an {@link Observation} of every statement a
 * {@link dev.databases.Database} runs, named and keyed by a
 * {@link DatabaseQueryObservationConvention} ({@link DefaultDatabaseQueryObservationConvention}
 * unless one is given or registered globally).
 * <p>
 * The Database reports a statement when it has finished, on the thread that finished it, so
 * the observation is started and stopped then; its parent is whatever observation is
 * current on that thread. The statement's real duration travels in the
 * {@link DatabaseQueryObservationContext}: {@link DatabaseQueryMeterObservationHandler},
 * which the auto-configuration registers ahead of Micrometer's default meter handler,
 * records it. A tracing span of the observation marks when the statement ended, not how
 * long it ran.
 *
 * @since 0.1.0
 */
public final class DatabaseQueryObservationListener implements DatabaseListener {

	private static final DatabaseQueryObservationConvention DEFAULT_CONVENTION =
			new DefaultDatabaseQueryObservationConvention();

	private final ObservationRegistry registry;

	private final String databaseName;

	private final @Nullable DatabaseQueryObservationConvention convention;

	/**
	 * Create a listener.
	 * @param registry where to report the observations
	 * @param databaseName the Database bean's name
	 * @param convention a convention to use instead of the default, or {@code null}
	 */
	public DatabaseQueryObservationListener(ObservationRegistry registry, String databaseName,
			@Nullable DatabaseQueryObservationConvention convention) {
		this.registry = registry;
		this.databaseName = databaseName;
		this.convention = convention;
	}

	@Override
	public void queryCompleted(String sql, Duration duration, @Nullable Throwable error) {
		if (this.registry.isNoop()) {
			return;
		}
		Observation observation = Observation.createNotStarted(this.convention, DEFAULT_CONVENTION,
				() -> new DatabaseQueryObservationContext(this.databaseName, sql, duration), this.registry);
		observation.start();
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	@Override
	public String toString() {
		return "DatabaseQueryObservationListener[" + this.databaseName + "]";
	}

}

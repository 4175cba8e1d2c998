package dev.databases.boot.observation;

import java.util.Objects;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

import org.springframework.core.Ordered;

/**
 * Times each {@link DatabaseQueryObservationContext statement observation} by the duration
 * the Database measured, into a {@link Timer} named after the observation
 * ({@code databases.query}) and tagged with its low-cardinality key values and
 * {@code error} (the exception's simple class name, or {@code none}), as Micrometer's
 * {@code DefaultMeterObservationHandler} tags its timers. That handler cannot be used for
 * these observations: it times from start to stop, and a statement's observation is started
 * only once the statement has finished. Ordered first, so that it wins the group of meter
 * handlers Spring Boot asks in order.
 *
 * @since 0.1.0
 */
public class DatabaseQueryMeterObservationHandler
		implements MeterObservationHandler<DatabaseQueryObservationContext>, Ordered {

	private final MeterRegistry registry;

	/**
	 * Create a handler.
	 * @param registry where to register the timers
	 */
	public DatabaseQueryMeterObservationHandler(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof DatabaseQueryObservationContext;
	}

	@Override
	public void onStop(DatabaseQueryObservationContext context) {
		Tags tags = Tags.empty();
		for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
			tags = tags.and(keyValue.getKey(), keyValue.getValue());
		}
		Throwable error = context.getError();
		tags = tags.and("error", (error != null) ? error.getClass().getSimpleName() : KeyValue.NONE_VALUE);
		Timer.builder(Objects.requireNonNullElse(context.getName(), DefaultDatabaseQueryObservationConvention.NAME))
			.description("Statements run by the Database")
			.tags(tags)
			.register(this.registry)
			.record(context.getDuration());
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}

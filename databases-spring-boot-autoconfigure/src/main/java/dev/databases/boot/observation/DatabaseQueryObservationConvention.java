package dev.databases.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for the statements a {@link dev.databases.Database} runs.
 * Define a bean of this type to replace {@link DefaultDatabaseQueryObservationConvention}.
 *
 * @since 0.1.0
 */
public interface DatabaseQueryObservationConvention extends ObservationConvention<DatabaseQueryObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof DatabaseQueryObservationContext;
	}

}

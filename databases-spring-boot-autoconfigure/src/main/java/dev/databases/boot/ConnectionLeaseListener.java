package dev.databases.boot;

import java.time.Duration;

/**
 * Told about every connection lent out through the auto-configured
 * {@link io.r2dbc.spi.ConnectionFactory} bean, which Spring's {@code DatabaseClient},
 * {@code R2dbcEntityTemplate} and reactive transaction manager use. Beans of this type are
 * picked up by the auto-configuration; the metrics auto-configuration defines one.
 * <p>
 * Queries made through {@link dev.databases.Database} itself borrow their connections
 * inside the library and are not reported here, but to the Database's
 * {@link dev.databases.DatabaseListener}, which a bean of that type becomes: implement both
 * to hear of every connection once.
 *
 * @since 0.1.0
 */
public interface ConnectionLeaseListener {

	/**
	 * A connection was handed out.
	 * @param waited how long the caller waited for it
	 */
	default void acquired(Duration waited) {
	}

	/**
	 * No connection could be handed out.
	 * @param waited how long the caller waited
	 * @param error why, e.g. an {@link dev.databases.AcquireTimeoutException}
	 */
	default void acquireFailed(Duration waited, Throwable error) {
	}

	/**
	 * A connection was given back.
	 * @param held how long it was held
	 */
	default void released(Duration held) {
	}

}

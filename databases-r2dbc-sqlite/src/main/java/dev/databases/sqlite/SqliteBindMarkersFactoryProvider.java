package dev.databases.sqlite;

import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;
import org.springframework.r2dbc.core.binding.BindMarkersFactoryResolver.BindMarkerFactoryProvider;

/**
 * Tells Spring's {@code DatabaseClient} that SQLite takes {@code ?} bind markers, bound
 * by index; registered in {@code META-INF/spring.factories} and only loaded where
 * spring-r2dbc is present. Without it Spring cannot rewrite named parameters for this
 * driver.
 *
 * @author databases
 * @since 0.1.0
 */
public final class SqliteBindMarkersFactoryProvider implements BindMarkerFactoryProvider {

	/**
	 * Return anonymous {@code ?} markers for a SQLite connection factory.
	 * @param connectionFactory the connection factory
	 * @return the markers, or {@code null} for another database
	 */
	@Override
	public @Nullable BindMarkersFactory getBindMarkers(ConnectionFactory connectionFactory) {
		if ("SQLite".equals(connectionFactory.getMetadata().getName())) {
			return BindMarkersFactory.anonymous("?");
		}
		return null;
	}

}

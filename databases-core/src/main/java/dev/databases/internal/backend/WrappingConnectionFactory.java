package dev.databases.internal.backend;

import java.util.function.Function;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A driver's connection factory whose connections a backend wraps before the pool holds
 * them ({@link Backend#decorate}); the driver stays reachable through {@link #unwrap()}.
 */
final class WrappingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

	private final ConnectionFactory driver;

	private final Function<Connection, Connection> wrap;

	/**
	 * @param driver the driver's factory
	 * @param wrap what each of its connections is lent as
	 */
	WrappingConnectionFactory(ConnectionFactory driver, Function<Connection, Connection> wrap) {
		this.driver = driver;
		this.wrap = wrap;
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Mono.from(this.driver.create()).map(this.wrap);
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.driver.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.driver;
	}

}

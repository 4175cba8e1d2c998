package dev.databases;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.connection.ConnectionHolder;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionContext;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Finds the connection of a Spring reactive transaction (R2dbcTransactionManager with
 * TransactionalOperator or {@code @Transactional}) begun on a {@link Database}'s
 * connection factory, so that the Database joins it instead of opening its own, as
 * Spring's {@code ConnectionFactoryUtils} does. Only loaded when spring-r2dbc is present.
 */
final class SpringTransactions {

	private SpringTransactions() {
	}

	static boolean inTransaction(ContextView context) {
		// A cheap test first: most calls run outside any Spring transaction.
		return context.hasKey(TransactionContext.class);
	}

	/**
	 * The connection of the current Spring transaction on {@code factory}, or empty. Spring
	 * keys a transaction's connection by the factory its transaction manager was given, so
	 * that manager must be given {@link Database#connectionFactory()}.
	 */
	static Mono<io.r2dbc.spi.Connection> connection(ConnectionFactory factory) {
		return TransactionSynchronizationManager.forCurrentTransaction()
			.<io.r2dbc.spi.Connection>handle((synchronization, sink) -> {
				if (synchronization.isActualTransactionActive()
						&& synchronization.getResource(factory) instanceof ConnectionHolder holder) {
					sink.next(holder.getConnection());
				}
			})
			.onErrorResume(NoTransactionException.class, (error) -> Mono.empty());
	}

}

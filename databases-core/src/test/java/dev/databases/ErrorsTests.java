package dev.databases;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Driver errors that mean the connection is gone translate to {@link ConnectionException},
 * which the pool, the replicas and the retries decide on.
 */
class ErrorsTests {

	@Test
	void aResourceErrorCausedByAChannelClosedBeforeSendingIsAConnectionFailure() {
		// What r2dbc-mysql reports when a pooled connection's server was stopped: no message, no SQLSTATE.
		R2dbcNonTransientResourceException driver = new R2dbcNonTransientResourceException((String) null,
				new AbortedException("Connection has been closed BEFORE send operation"));
		assertThat(Errors.translate(driver, "SELECT 1")).isInstanceOf(ConnectionException.class)
			.hasMessageContaining("SELECT 1");
	}

	@Test
	void aResourceErrorWithASqlStateOfItsOwnIsNotAConnectionFailure() {
		R2dbcNonTransientResourceException raised = new R2dbcNonTransientResourceException("raised", "P0001");
		assertThat(Errors.translate(raised, "DO $$ ... $$")).isExactlyInstanceOf(DatabaseException.class);
	}

}

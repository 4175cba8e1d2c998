package dev.databases;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The options of read replicas: read, checked, and never passed to a driver. */
class ReplicaOptionsTests {

	@Test
	void withoutThemLagIsNotMeasuredReadYourWritesIsOffAndAReplicaStaysOutFiveSeconds() {
		ConnectOptions options = ConnectOptions.of(Map.of(), Map.of());
		assertThat(options.maxReplicaLag()).isNull();
		assertThat(options.readYourWrites()).isNull();
		assertThat(options.replicaRetryInterval()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void fromTheUrlTheyAreDurationsAndNoDriverSeesThem() {
		DatabaseURL url = DatabaseURL
			.parse("postgresql://localhost/db?max_replica_lag=2s&replica_retry_interval=500ms&read_your_writes=PT3S");
		ConnectOptions options = ConnectOptions.of(url.options(), Map.of());
		assertThat(options.maxReplicaLag()).isEqualTo(Duration.ofSeconds(2));
		assertThat(options.replicaRetryInterval()).isEqualTo(Duration.ofMillis(500));
		assertThat(options.readYourWrites()).isEqualTo(Duration.ofSeconds(3));
		assertThat(options.driverOptions()).isEmpty();
		assertThat(url.toR2dbcUrl()).doesNotContain("replica").doesNotContain("read_your_writes");
	}

	@Test
	void zeroReadYourWritesIsOffButZeroLagIsNoLagAtAll() {
		ConnectOptions options = ConnectOptions.of(Map.of(), Map.of("read_your_writes", 0, "max_replica_lag", "0s"));
		assertThat(options.readYourWrites()).isNull();
		assertThat(options.maxReplicaLag()).isEqualTo(Duration.ZERO);
	}

	@Test
	void aBadValueIsNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Database.builder("h2:mem:///x").option("max_replica_lag", "soon").build())
			.withMessageContaining("Invalid value 'soon' for option max_replica_lag");
	}

}

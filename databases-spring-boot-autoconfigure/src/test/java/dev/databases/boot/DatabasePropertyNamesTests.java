package dev.databases.boot;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabasePropertyNames}.
 */
class DatabasePropertyNamesTests {

	private final DatabasePropertyNames names = DatabasePropertyNames.databases();

	@Test
	void suggestionsShouldNameTheNearestProperty() {
		assertThat(suggest(this.names, "databases.pool.max-sise")).containsExactly("databases.pool.max-size");
		assertThat(suggest(this.names, "databases.migrations.tabel")).containsExactly("databases.migrations.table");
		assertThat(suggest(this.names, "databases.migrations.baseline-on-migrat"))
			.containsExactly("databases.migrations.baseline-on-migrate");
	}

	@Test
	void suggestionsShouldFollowListsOfGroupsKeepingTheIndex() {
		// The shape a databases.replicas list will have: found from the record alone.
		DatabasePropertyNames withReplicas = DatabasePropertyNames.of("databases", WithReplicas.class);
		assertThat(suggest(withReplicas, "databases.replicas[1].pool.max-sise"))
			.containsExactly("databases.replicas[1].pool.max-size");
		assertThat(suggest(withReplicas, "databases.replica[0].url")).containsExactly("databases.replicas[0].url");
	}

	@Test
	void mapKeysShouldNeverBeSuggestedAgainst() {
		// As a property source adapts it: '_' is not valid in a canonical name.
		assertThat(this.names.suggestions(ConfigurationPropertyName.adapt("databases.options.max_sise", '.')))
			.isEmpty();
	}

	@Test
	void distanceShouldCountEdits() {
		assertThat(DatabasePropertyNames.distance("maxsise", "maxsize")).isEqualTo(1);
		assertThat(DatabasePropertyNames.distance("", "url")).isEqualTo(3);
		assertThat(DatabasePropertyNames.distance("pool", "pool")).isZero();
	}

	private static List<String> suggest(DatabasePropertyNames names, String name) {
		return names.suggestions(ConfigurationPropertyName.of(name));
	}

	record WithReplicas(String url, List<Replica> replicas, Map<String, String> options) {

	}

	record Replica(String url, DatabaseProperties.Pool pool) {

	}

}

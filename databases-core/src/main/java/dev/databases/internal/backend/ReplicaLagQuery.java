package dev.databases.internal.backend;

import java.util.List;

/**
 * A query a replica answers with how far it is behind its primary, in seconds, in the first
 * of {@code columns} its first row has. A NULL lag means the replica cannot say (it stopped
 * replaying): it counts as too far behind. No row at all means the server is no replica (a
 * promoted one, or a primary given as a replica): it is not behind anything.
 *
 * @param sql the query
 * @param columns the names the lag column may have, the first present one is read
 */
public record ReplicaLagQuery(String sql, List<String> columns) {

	/**
	 * @param sql the query
	 * @param columns the names the lag column may have
	 */
	public ReplicaLagQuery {
		columns = List.copyOf(columns);
	}

}

package dev.databases.internal.url;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names of the options the library reads itself, spelled once: the URL leaves them out
 * of what it hands a driver, and the API reads their values.
 */
public final class OptionNames {

	/** TLS, as an {@link SslMode}. */
	public static final String SSL = "ssl";

	/** The pool's smallest size. */
	public static final String MIN_SIZE = "min_size";

	/** The pool's largest size. */
	public static final String MAX_SIZE = "max_size";

	/** How long a connection may stay idle in the pool. */
	public static final String MAX_IDLE_TIME = "max_idle_time";

	/** How long a connection may live. */
	public static final String MAX_LIFE_TIME = "max_life_time";

	/** How long a caller waits for a connection from the pool. */
	public static final String ACQUIRE_TIMEOUT = "acquire_timeout";

	/** How long connecting may take. */
	public static final String CONNECT_TIMEOUT = "connect_timeout";

	/** How long a statement may run. */
	public static final String STATEMENT_TIMEOUT = "statement_timeout";

	/** How long a disconnect waits for work in flight. */
	public static final String DISCONNECT_TIMEOUT = "disconnect_timeout";

	/** How far behind its primary a read replica may be and still serve reads. */
	public static final String MAX_REPLICA_LAG = "max_replica_lag";

	/** How long a read replica that failed or lagged stays out, and how often its lag is measured. */
	public static final String REPLICA_RETRY_INTERVAL = "replica_retry_interval";

	/** How long reads go to the primary after a write in a read-your-writes context. */
	public static final String READ_YOUR_WRITES = "read_your_writes";

	/** Which of several servers to connect to, as a {@link TargetServerType}; spelled by the backend that has it. */
	public static final String TARGET_SERVER_TYPE = "target_server_type";

	/** Every name above, in that order; none of them is passed on to a driver as it is. */
	public static final Set<String> ALL = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(SSL, MIN_SIZE,
			MAX_SIZE, MAX_IDLE_TIME, MAX_LIFE_TIME, ACQUIRE_TIMEOUT, CONNECT_TIMEOUT, STATEMENT_TIMEOUT,
			DISCONNECT_TIMEOUT, MAX_REPLICA_LAG, REPLICA_RETRY_INTERVAL, READ_YOUR_WRITES, TARGET_SERVER_TYPE)));

	private OptionNames() {
	}

}

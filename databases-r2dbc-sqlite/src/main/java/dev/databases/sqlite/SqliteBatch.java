package dev.databases.sqlite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.r2dbc.spi.Batch;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * SQL statements without parameters, run one after the other on the connection thread.
 *
 * @author databases
 */
final class SqliteBatch implements Batch {

	private final SqliteConnection connection;

	private final List<SqlScript> scripts = new ArrayList<>();

	SqliteBatch(SqliteConnection connection) {
		this.connection = connection;
	}

	@Override
	public Batch add(@Nullable String sql) {
		if (sql == null) {
			throw new IllegalArgumentException("'sql' must not be null");
		}
		this.scripts.add(SqlScript.parse(sql));
		return this;
	}

	@Override
	public Flux<SqliteResult> execute() {
		List<SqlScript> scripts = new ArrayList<>(this.scripts);
		this.scripts.clear();
		return Flux.fromIterable(scripts).concatMap((script) -> {
			Object[] values = new Object[script.parameterCount()];
			Arrays.fill(values, Codecs.UNSET);
			return this.connection.execute(script, List.<Object[]>of(values), null, 0);
		});
	}

}

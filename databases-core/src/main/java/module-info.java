/**
 * Simple reactive access to PostgreSQL, MySQL/MariaDB, SQLite and H2. Exports the public
 * API ({@code dev.databases}) and the query builder adapters; the pool, the backends,
 * the parser and the Reactor operators live in {@code dev.databases.internal.*}, which
 * no other module sees.
 */
module dev.databases {

	requires transitive r2dbc.spi;
	requires transitive reactor.core;
	requires transitive org.reactivestreams;
	requires transitive org.jspecify;
	requires r2dbc.pool;
	requires reactor.pool;

	// Optional integrations, each used only when its jar is present.
	requires static spring.core;
	requires static spring.r2dbc;
	requires static spring.tx;
	requires static spring.data.relational;
	requires static spring.data.commons;
	requires static org.jooq;
	requires static tools.jackson.databind;
	requires static tools.jackson.core;
	requires static com.fasterxml.jackson.databind;
	requires static com.fasterxml.jackson.core;

	exports dev.databases;
	exports dev.databases.jooq;
	exports dev.databases.relational;

}

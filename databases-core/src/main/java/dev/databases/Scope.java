package dev.databases;

import dev.databases.internal.reactor.Gate;

import org.jspecify.annotations.Nullable;

/**
 * What the Reactor Context carries for one unit of work: its connection, the transaction
 * it runs in, and the gate that orders transactions begun inside it. Python's databases
 * keeps the same in a per-task map and a ContextVar.
 */
record Scope(Connection connection, @Nullable Transaction transaction, Gate gate) {

	static Scope of(Connection connection, @Nullable Transaction transaction) {
		return new Scope(connection, transaction, new Gate());
	}

}

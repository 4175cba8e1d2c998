package dev.databases.internal.r2dbc;

/**
 * A backend's wrapper that stands for the driver's connection itself: closing it ends the
 * session, in the way that driver needs (a close bounded against a stalled driver, say).
 * Code that looks through the pool's wrappers for the connection to close stops here
 * instead of unwrapping further.
 */
public interface PhysicalConnection extends io.r2dbc.spi.Connection {

}

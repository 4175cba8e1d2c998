package dev.databases;

import java.time.Duration;

/**
 * A read-your-writes window: the mutable holder {@link Database#readYourWrites} puts in the
 * Reactor Context, since a write deep inside the work cannot change the Context its later
 * reads see (a Context write is visible only upstream). A write inside opens the window;
 * while it is open, reads in that Context go to the primary.
 */
final class WriteWindow {

	private final long lengthNanos;

	private volatile boolean written;

	/** {@link System#nanoTime()} at which the window closes. */
	private volatile long closesAt;

	WriteWindow(Duration length) {
		this.lengthNanos = length.toNanos();
	}

	/** A write ended (or may have run, when it failed or was cancelled): open the window from now. */
	void wrote() {
		this.closesAt = System.nanoTime() + this.lengthNanos;
		this.written = true;
	}

	boolean isOpen() {
		return this.written && this.closesAt - System.nanoTime() > 0;
	}

}

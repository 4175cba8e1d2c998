/**
 * Small Reactor operators the library is built from: turn-taking on one connection
 * ({@link dev.databases.internal.reactor.Gate}), a stream that reads ahead when its
 * connection is needed ({@link dev.databases.internal.reactor.OpenStreamSlot}), timeouts
 * that arm one timer each, the hand-over of an acquired connection, and the registry of
 * running work that {@code disconnect()} ends. Internal: not exported by the module, and
 * nothing here knows the library's public types.
 */
@NullMarked
package dev.databases.internal.reactor;

import org.jspecify.annotations.NullMarked;

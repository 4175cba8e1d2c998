/**
 * One class per database behind {@link dev.databases.internal.backend.Backend}, picked by
 * the URL's dialect: what each does differently (its URL spelling, transaction SQL,
 * generated keys, limits, streaming beside other statements, pool hooks) and the driver
 * workarounds it needs.
 * Internal: not exported by the module; outside this package no code asks which database
 * it is talking to.
 */
@NullMarked
package dev.databases.internal.backend;

import org.jspecify.annotations.NullMarked;

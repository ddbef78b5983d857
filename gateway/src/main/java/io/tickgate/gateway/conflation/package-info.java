/**
 * Owns the last-value cache and the subscription table (sid to subscribers), both written only on
 * tickgate-conflator. Sessions read the cache from their IO threads through its seqlock, and change their
 * subscriptions through {@link io.tickgate.gateway.conflation.ConflatorProxy}; the conflator reaches a session only
 * by marking its pending set and, on the idle-to-pending transition, waking its IO thread once per duty cycle.
 */
package io.tickgate.gateway.conflation;

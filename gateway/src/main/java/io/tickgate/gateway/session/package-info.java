/**
 * WebSocket sessions and their fan-out. Owns each session's subscription table, frame buffer and send state,
 * all touched only by the session's XNIO IO thread; the one exception is the {@link
 * io.tickgate.gateway.session.PendingSet}, which the conflator's thread marks and the IO thread takes. A
 * {@link io.tickgate.gateway.session.SessionDispatcher} per IO thread receives the conflator's wake-ups, flushes
 * the sessions that became pending, and runs heartbeats and the slow-consumer check.
 */
package io.tickgate.gateway.session;

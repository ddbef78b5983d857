/**
 * The Java client of the v1 client protocol (docs/protocol.md section 1). {@link io.tickgate.client.TickgateClient}
 * is the public face; behind it one conductor owns one WebSocket at a time and the per-symbol latest values
 * ({@link io.tickgate.client.MarketData}), with a class per role (wanted symbols, requests in flight, replies,
 * frames, timers); all of it is guarded by the conductor's one monitor, taken by the JDK WebSocket's callback thread
 * while it decodes a message and by {@code tickgate-client-timer} for the watchdog, reconnects and retries.
 * {@link io.tickgate.client.FrameAdapter} decodes binary frames with the protocol flyweight and allocates nothing
 * per entry. Applications reach the client through its public methods (any thread) and hear from it through a
 * {@link io.tickgate.client.TickgateListener}.
 */
package io.tickgate.client;

/**
 * The load generator behind {@code tickgate loadtest}: many RFC 6455 client connections on one NIO selector, every
 * binary frame decoded with the protocol flyweights and its entries' latency recorded into HdrHistogram.
 * <p>
 * Everything here runs on the one thread that owns the selector ({@link io.tickgate.perf.LoadGenerator#run()});
 * nothing is shared between threads, so nothing is synchronized. Per-frame work allocates nothing: the read buffer,
 * the WebSocket parser and the flyweight are reused for every frame of every connection.
 */
package io.tickgate.perf;

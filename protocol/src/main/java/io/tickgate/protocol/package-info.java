/**
 * The v1 wire contract as flyweight codecs over Agrona buffers: feed datagrams (TKF1 header and
 * D/Q/T messages) and client frames (24-byte header, 80-byte entries).
 * <p>
 * Codecs own no thread: each instance is reused by one thread at a time, wraps a caller's buffer with
 * {@code wrap(buffer, offset)} and allocates nothing per message. All integers are little-endian.
 */
package io.tickgate.protocol;

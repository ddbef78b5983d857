package io.tickgate.gateway.session;

import java.util.concurrent.TimeUnit;

/**
 * The per-session limits and timings, fixed at start.
 */
public final class SessionSettings
{
    /**
     * Whether sessions of this JVM can write with send(2) (the native library loaded); when false,
     * {@link #nativeWritesUnavailableReason()} says why.
     */
    public static boolean nativeWritesAvailable()
    {
        return NativeSocketWriter.isAvailable();
    }

    /**
     * Why {@link #nativeWritesAvailable()} is false; null when it is true.
     */
    public static String nativeWritesUnavailableReason()
    {
        return NativeSocketWriter.unavailableReason();
    }

    final long heartbeatNs;
    final long slowConsumerTimeoutNs;
    final long closeGraceMs;
    final int maxSubscriptions;
    final int maxTextMessageBytes;
    final int maxQueuedReplies;
    /** SO_SNDBUF of each session's socket, in bytes. */
    final int sendBufferBytes;
    /** Frames go out with send(2) where {@link NativeSocketWriter} is available; else through the JDK's channel. */
    final boolean nativeWrites;
    /**
     * Least a session that answers pings may have put out and unconfirmed by a pong before its market data waits:
     * twice the send buffer, what the kernel itself lets a session have queued (Linux doubles SO_SNDBUF).
     */
    final int minPaceWindowBytes;
    /** A ping goes out at most once a heartbeat interval, and only once this much was sent since the last. */
    final long pingIntervalNs;
    final int minPingBytes;
    /**
     * How long the first ping waits for its pong before the client is taken to answer none and is no longer paced:
     * three heartbeat intervals, as PROTOCOL.md 1.5 gives a client to answer a ping.
     */
    final long pongProbeNs;

    public SessionSettings(
        final long heartbeatNs,
        final long slowConsumerTimeoutNs,
        final long closeGraceMs,
        final int maxSubscriptions,
        final int maxTextMessageBytes,
        final int maxQueuedReplies,
        final int sendBufferBytes,
        final boolean nativeWrites)
    {
        this.heartbeatNs = heartbeatNs;
        this.slowConsumerTimeoutNs = slowConsumerTimeoutNs;
        this.closeGraceMs = closeGraceMs;
        this.maxSubscriptions = maxSubscriptions;
        this.maxTextMessageBytes = maxTextMessageBytes;
        this.maxQueuedReplies = maxQueuedReplies;
        this.sendBufferBytes = sendBufferBytes;
        this.nativeWrites = nativeWrites;
        this.minPaceWindowBytes = 2 * sendBufferBytes;
        this.pingIntervalNs = heartbeatNs;
        this.minPingBytes = sendBufferBytes / 4;
        this.pongProbeNs = 3 * heartbeatNs;
    }

    /**
     * How long bytes written to a session may wait for the client's TCP to take them before the kernel drops the
     * connection: the slow-consumer timeout plus the close grace, so that a slow consumer the gateway can still
     * reach gets its 1008 first.
     */
    int unacknowledgedTimeoutMs()
    {
        return (int)Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(slowConsumerTimeoutNs) + closeGraceMs);
    }
}

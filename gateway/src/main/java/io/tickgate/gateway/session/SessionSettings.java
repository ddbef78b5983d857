package io.tickgate.gateway.session;

/**
 * The per-session limits and timings, fixed at start.
 */
public final class SessionSettings
{
    final long heartbeatNs;
    final long slowConsumerTimeoutNs;
    final long closeGraceMs;
    final int maxSubscriptions;
    final int maxTextMessageBytes;
    final int maxQueuedReplies;

    public SessionSettings(
        final long heartbeatNs,
        final long slowConsumerTimeoutNs,
        final long closeGraceMs,
        final int maxSubscriptions,
        final int maxTextMessageBytes,
        final int maxQueuedReplies)
    {
        this.heartbeatNs = heartbeatNs;
        this.slowConsumerTimeoutNs = slowConsumerTimeoutNs;
        this.closeGraceMs = closeGraceMs;
        this.maxSubscriptions = maxSubscriptions;
        this.maxTextMessageBytes = maxTextMessageBytes;
        this.maxQueuedReplies = maxQueuedReplies;
    }
}

package io.tickgate.gateway.session;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * Fan-out counters shared by every IO thread (atomic increments; one per frame, never per tick), read by the
 * metrics scrape.
 */
public final class SessionCounters
{
    public final AtomicCounter sessionsOpen;
    public final AtomicCounter sessionsOpened;
    public final AtomicCounter sessionsRejected;
    public final AtomicCounter sessionsForbidden;
    public final AtomicCounter framesSent;
    public final AtomicCounter entriesSent;
    public final AtomicCounter entriesConflated;
    public final AtomicCounter bytesSent;
    public final AtomicCounter heartbeatsSent;
    public final AtomicCounter slowConsumerCloses;
    public final AtomicCounter badRequests;
    public final AtomicCounter tooLargeRequests;
    public final AtomicCounter sessionsThrottled;
    public final AtomicCounter protocolErrors;
    public final AtomicCounter drainsDeferred;

    public SessionCounters(
        final AtomicCounter sessionsOpen,
        final AtomicCounter sessionsOpened,
        final AtomicCounter sessionsRejected,
        final AtomicCounter sessionsForbidden,
        final AtomicCounter framesSent,
        final AtomicCounter entriesSent,
        final AtomicCounter entriesConflated,
        final AtomicCounter bytesSent,
        final AtomicCounter heartbeatsSent,
        final AtomicCounter slowConsumerCloses,
        final AtomicCounter badRequests,
        final AtomicCounter tooLargeRequests,
        final AtomicCounter sessionsThrottled,
        final AtomicCounter protocolErrors,
        final AtomicCounter drainsDeferred)
    {
        this.sessionsOpen = sessionsOpen;
        this.sessionsOpened = sessionsOpened;
        this.sessionsRejected = sessionsRejected;
        this.sessionsForbidden = sessionsForbidden;
        this.framesSent = framesSent;
        this.entriesSent = entriesSent;
        this.entriesConflated = entriesConflated;
        this.bytesSent = bytesSent;
        this.heartbeatsSent = heartbeatsSent;
        this.slowConsumerCloses = slowConsumerCloses;
        this.badRequests = badRequests;
        this.tooLargeRequests = tooLargeRequests;
        this.sessionsThrottled = sessionsThrottled;
        this.protocolErrors = protocolErrors;
        this.drainsDeferred = drainsDeferred;
    }
}

package io.tickgate.gateway.feed;

import io.tickgate.protocol.FeedDecodeResult;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The counters of one UDP feed source. Written only by the feed handler's thread (release-ordered increments),
 * read by the metrics scrape.
 */
public final class FeedCounters
{
    public final AtomicCounter datagrams;
    public final AtomicCounter ticks;
    public final AtomicCounter definitions;
    public final AtomicCounter unknownInstruments;
    public final AtomicCounter unknownMessageTypes;
    public final AtomicCounter gaps;
    public final AtomicCounter missingMessages;
    public final AtomicCounter duplicates;
    public final AtomicCounter outOfOrder;
    public final AtomicCounter restarts;
    public final AtomicCounter otherSenders;
    public final AtomicCounter symbolTableFull;
    public final AtomicCounter definitionsRefused;
    /** Indexed by {@link FeedDecodeResult} code; index 0 (ok) is unused. */
    public final AtomicCounter[] malformed;

    public FeedCounters(
        final AtomicCounter datagrams,
        final AtomicCounter ticks,
        final AtomicCounter definitions,
        final AtomicCounter unknownInstruments,
        final AtomicCounter unknownMessageTypes,
        final AtomicCounter gaps,
        final AtomicCounter missingMessages,
        final AtomicCounter duplicates,
        final AtomicCounter outOfOrder,
        final AtomicCounter restarts,
        final AtomicCounter otherSenders,
        final AtomicCounter symbolTableFull,
        final AtomicCounter definitionsRefused,
        final AtomicCounter[] malformed)
    {
        this.datagrams = datagrams;
        this.ticks = ticks;
        this.definitions = definitions;
        this.unknownInstruments = unknownInstruments;
        this.unknownMessageTypes = unknownMessageTypes;
        this.gaps = gaps;
        this.missingMessages = missingMessages;
        this.duplicates = duplicates;
        this.outOfOrder = outOfOrder;
        this.restarts = restarts;
        this.otherSenders = otherSenders;
        this.symbolTableFull = symbolTableFull;
        this.definitionsRefused = definitionsRefused;
        this.malformed = malformed;
    }
}

package io.tickgate.client;

import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;

/**
 * The latest value the client holds for one symbol: the fields of the newest entry (docs/protocol.md 1.3) plus
 * the symbol's scales from the {@code subscribed} reply. Prices and sizes are mantissas; divide by
 * {@code 10^priceScale} / {@code 10^sizeScale}.
 * <p>
 * Not thread-safe. The client's instances are written with the client's monitor held and handed to listeners;
 * another thread reads a consistent copy through {@link TickgateClient#read(String, MarketData)}.
 */
public final class MarketData
{
    private String symbol;
    private int sid = -1;
    private int priceScale;
    private int sizeScale;
    private boolean hasValue;
    private int flags;
    private int conflated;
    private long seq;
    private long bidPrice;
    private long bidSize;
    private long askPrice;
    private long askSize;
    private long lastPrice;
    private long lastSize;
    private long exchangeTimeNs;
    private long ingestTimeNs;
    private long entries;
    private String rejectReason;

    /** Connection generation in which the gateway last accepted the symbol; written with the client's monitor. */
    long acceptedGeneration = -1;
    /** Number of the last snapshot that carried this symbol; lets a snapshot find the symbols it left out. */
    long snapshotMark;

    /**
     * An empty value to copy into, with {@link TickgateClient#read} or {@link #copyFrom}.
     */
    public MarketData()
    {
    }

    MarketData(final String symbol)
    {
        this.symbol = symbol;
    }

    /**
     * Copies every field of {@code other} into this one, so a listener can keep a value past its callback (the
     * client's own instances are reused); {@link #entries()} and {@link #rejectReason()} included.
     *
     * @return this.
     */
    public MarketData copyFrom(final MarketData other)
    {
        symbol = other.symbol;
        sid = other.sid;
        priceScale = other.priceScale;
        sizeScale = other.sizeScale;
        hasValue = other.hasValue;
        flags = other.flags;
        conflated = other.conflated;
        seq = other.seq;
        bidPrice = other.bidPrice;
        bidSize = other.bidSize;
        askPrice = other.askPrice;
        askSize = other.askSize;
        lastPrice = other.lastPrice;
        lastSize = other.lastSize;
        exchangeTimeNs = other.exchangeTimeNs;
        ingestTimeNs = other.ingestTimeNs;
        entries = other.entries;
        rejectReason = other.rejectReason;
        return this;
    }

    void accepted(final int sid, final int priceScale, final int sizeScale, final long generation)
    {
        this.sid = sid;
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
        this.acceptedGeneration = generation;
        this.rejectReason = null;
    }

    void rejected(final String reason)
    {
        sid = -1;
        rejectReason = reason;
        acceptedGeneration = -1;
    }

    /**
     * A new session starts its own {@code seq} history: the next snapshot is the truth, whatever its seq.
     */
    void forgetSeq()
    {
        seq = 0;
    }

    void clearValue()
    {
        hasValue = false;
        flags = 0;
        conflated = 0;
        seq = 0;
        bidPrice = 0;
        bidSize = 0;
        askPrice = 0;
        askSize = 0;
        lastPrice = 0;
        lastSize = 0;
        exchangeTimeNs = 0;
        ingestTimeNs = 0;
    }

    void apply(final FrameFlyweight frame, final int index)
    {
        hasValue = true;
        flags = frame.flags(index);
        conflated = frame.conflated(index);
        seq = frame.seq(index);
        bidPrice = frame.bidPrice(index);
        bidSize = frame.bidSize(index);
        askPrice = frame.askPrice(index);
        askSize = frame.askSize(index);
        lastPrice = frame.lastPrice(index);
        lastSize = frame.lastSize(index);
        exchangeTimeNs = frame.exchangeTime(index);
        ingestTimeNs = frame.ingestTime(index);
        entries++;
    }

    public String symbol()
    {
        return symbol;
    }

    /**
     * The symbol's id in the current session, or -1 while not subscribed; it may change across reconnects.
     */
    public int sid()
    {
        return sid;
    }

    public int priceScale()
    {
        return priceScale;
    }

    public int sizeScale()
    {
        return sizeScale;
    }

    /**
     * False until the first entry arrives, and after a snapshot that had no value for the symbol.
     */
    public boolean hasValue()
    {
        return hasValue;
    }

    /**
     * The entry's raw {@code flags} (docs/protocol.md 1.3): bit 0 quote present, bit 1 trade present, bit 2 stale,
     * as {@code FrameDescriptor.FLAG_QUOTE}, {@code FLAG_TRADE}, {@code FLAG_STALE}; {@link #hasQuote()},
     * {@link #hasTrade()} and {@link #isStale()} read them one by one. 0 without a value.
     */
    public int flags()
    {
        return flags;
    }

    public boolean hasQuote()
    {
        return 0 != (flags & FrameDescriptor.FLAG_QUOTE);
    }

    public boolean hasTrade()
    {
        return 0 != (flags & FrameDescriptor.FLAG_TRADE);
    }

    /**
     * The gateway's feed for this symbol is down; the values are the last ones it had.
     */
    public boolean isStale()
    {
        return 0 != (flags & FrameDescriptor.FLAG_STALE);
    }

    public int conflated()
    {
        return conflated;
    }

    public long seq()
    {
        return seq;
    }

    public long bidPrice()
    {
        return bidPrice;
    }

    public long bidSize()
    {
        return bidSize;
    }

    public long askPrice()
    {
        return askPrice;
    }

    public long askSize()
    {
        return askSize;
    }

    public long lastPrice()
    {
        return lastPrice;
    }

    public long lastSize()
    {
        return lastSize;
    }

    public long exchangeTimeNs()
    {
        return exchangeTimeNs;
    }

    public long ingestTimeNs()
    {
        return ingestTimeNs;
    }

    /**
     * Entries applied to this symbol since it was subscribed, counted across every connection and gateway session
     * since: reconnects and gateway restarts do not reset it, an unsubscribe does (a later subscribe starts from 0).
     * Entries dropped as seq regressions do not count; snapshot entries do.
     */
    public long entries()
    {
        return entries;
    }

    /**
     * Why the gateway last rejected the symbol ({@code UNKNOWN_SYMBOL}, {@code NOT_ENTITLED}, {@code LIMIT_EXCEEDED},
     * ...), or null when it is accepted or not yet answered. {@code UNKNOWN_SYMBOL} is asked for again and cleared
     * once accepted; {@code LIMIT_EXCEEDED} drops the symbol from the client, so {@link TickgateClient#read} no
     * longer finds it (if it had a value, the {@code onUpdate} that clears it still shows the reason).
     */
    public String rejectReason()
    {
        return rejectReason;
    }

    @Override
    public String toString()
    {
        return "MarketData{" + symbol + " sid=" + sid + " hasValue=" + hasValue + " seq=" + seq + " bid=" + bidPrice +
            "x" + bidSize + " ask=" + askPrice + "x" + askSize + " last=" + lastPrice + "x" + lastSize + " flags=" +
            flags + " conflated=" + conflated + (null == rejectReason ? "" : " rejected=" + rejectReason) + "}";
    }
}

package io.tickgate.simulator;

import java.util.Locale;

/**
 * A synthetic equity market: per instrument a best bid and offer that follows a random walk in one-cent ticks,
 * with occasional trades at the bid or the offer. The same {@code symbolCount} and {@code seed} always give the
 * same sequence of messages, so a failing test or a benchmark can be replayed exactly.
 * <p>
 * Activity is skewed the way a real market is: instrument {@code i} is picked with weight {@code i^-0.9}, so the
 * first (the most liquid real tickers) are much busier than the tail, and now and then one instrument gets a run
 * of 10 to 200 consecutive ticks (a burst, as on news) with a wider spread, larger moves and more trades. A
 * benchmark that needs every symbol equally busy (so each subscriber is offered the same rate) asks for uniform
 * activity; bursts remain.
 * <p>
 * All state lives in primitive arrays indexed by instrument id (1..N) and every symbol String is built at
 * construction, so {@link #nextTick} allocates nothing.
 * <p>
 * Not thread-safe: touched only by the thread that drives it (tickgate-simulator).
 */
public final class MarketSimulator
{
    public static final int MAX_SYMBOL_COUNT = 100_000;
    public static final int PRICE_SCALE = 4;
    public static final int SIZE_SCALE = 0;
    /** One cent at price scale 4. */
    public static final long TICK_SIZE = 100;
    /** A round lot; displayed sizes are whole lots. */
    public static final long LOT_SIZE = 100;
    public static final int MIN_BURST_TICKS = 10;
    public static final int MAX_BURST_TICKS = 200;

    /** Roughly in order of real-world activity, since the first instruments get the most ticks. */
    private static final String[] TICKERS =
        {
            "AAPL", "MSFT", "AMZN", "GOOG", "NVDA", "META", "TSLA", "AMD", "NFLX", "INTC",
            "JPM", "BAC", "WFC", "GS", "MS", "C", "V", "MA", "PYPL", "ADBE",
            "CRM", "ORCL", "CSCO", "IBM", "QCOM", "TXN", "AVGO", "MU", "KO", "PEP",
            "WMT", "COST", "HD", "LOW", "NKE", "MCD", "SBUX", "DIS", "T", "VZ",
            "XOM", "CVX", "COP", "PFE", "MRK", "JNJ", "ABBV", "LLY", "UNH", "CVS",
            "BA", "CAT", "GE", "F", "GM", "UBER", "ABNB", "SHOP", "SPY", "QQQ",
        };

    private static final double ACTIVITY_EXPONENT = 0.9;
    private static final int MIN_START_PRICE_TICKS = 10 * 100;
    private static final int MAX_START_PRICE_TICKS = 500 * 100;
    private static final int MAX_SPREAD_TICKS = 5;
    private static final int MAX_LOTS = 50;
    /** A new burst starts on about one tick in this many; at ~105 ticks a burst that is ~7 % of all ticks. */
    private static final int BURST_START_ONE_IN = 1_500;
    private static final int TRADE_PERMILLE = 95;
    private static final int BURST_TRADE_PERMILLE = 200;

    private final int symbolCount;
    private final String[] symbols;
    /** Cumulative activity weight of instruments 1..i at index i - 1, searched with one uniform draw per tick. */
    private final double[] cumulativeActivity;

    // Market state, index = instrument id; written only by the driving thread.
    private final long[] bidTicks;
    /** Where each price started: the walk leans back towards it so prices stay plausible over long runs. */
    private final long[] anchorTicks;
    /** The spread a calm market shows, wider for dearer stocks. */
    private final int[] baseSpreadTicks;
    private final int[] spreadTicks;
    private final long[] bidSize;
    private final long[] askSize;

    // Written only by the driving thread.
    private long randomState;
    private int burstInstrumentId;
    private int burstTicksLeft;
    private boolean inBurst;

    public MarketSimulator(final int symbolCount, final long seed)
    {
        this(symbolCount, seed, false);
    }

    /**
     * @param uniformActivity every instrument picked with the same weight, instead of {@code i^-0.9}.
     */
    public MarketSimulator(final int symbolCount, final long seed, final boolean uniformActivity)
    {
        if (symbolCount < 1 || symbolCount > MAX_SYMBOL_COUNT)
        {
            throw new IllegalArgumentException(
                "symbolCount must be 1.." + MAX_SYMBOL_COUNT + ": " + symbolCount);
        }
        this.symbolCount = symbolCount;
        this.randomState = seed;

        final int length = symbolCount + 1;
        symbols = new String[length];
        bidTicks = new long[length];
        anchorTicks = new long[length];
        baseSpreadTicks = new int[length];
        spreadTicks = new int[length];
        bidSize = new long[length];
        askSize = new long[length];
        cumulativeActivity = new double[symbolCount];

        double totalActivity = 0;
        for (int id = 1; id <= symbolCount; id++)
        {
            symbols[id] = id <= TICKERS.length ? TICKERS[id - 1] : String.format(Locale.ROOT, "SYM%05d", id);

            final long startTicks = MIN_START_PRICE_TICKS + nextInt(MAX_START_PRICE_TICKS - MIN_START_PRICE_TICKS + 1);
            bidTicks[id] = startTicks;
            anchorTicks[id] = startTicks;
            // About a cent per $125 of price: 1 tick at $10..$124, 5 ticks at $500.
            baseSpreadTicks[id] = (int)Math.min(MAX_SPREAD_TICKS, 1 + startTicks / (125 * 100));
            spreadTicks[id] = baseSpreadTicks[id];
            bidSize[id] = nextDisplayedSize();
            askSize[id] = nextDisplayedSize();

            totalActivity += uniformActivity ? 1 : Math.pow(id, -ACTIVITY_EXPONENT);
            cumulativeActivity[id - 1] = totalActivity;
        }
    }

    public int symbolCount()
    {
        return symbolCount;
    }

    /**
     * @param instrumentId 1..{@link #symbolCount()}.
     */
    public String symbol(final int instrumentId)
    {
        return symbols[instrumentId];
    }

    /**
     * Emits the definition of every instrument, in id order; a source repeats them every few seconds so a
     * gateway that starts late learns them.
     */
    public void definitions(final TickSink sink)
    {
        for (int id = 1; id <= symbolCount; id++)
        {
            sink.onDefinition(id, symbols[id], PRICE_SCALE, SIZE_SCALE);
        }
    }

    /**
     * Moves the market by one event and emits it: a quote, or (about one time in ten) a trade.
     */
    public void nextTick(final TickSink sink, final long exchangeTimeNs)
    {
        final int id = nextInstrumentId();
        final int tradePermille = inBurst ? BURST_TRADE_PERMILLE : TRADE_PERMILLE;
        if (nextInt(1000) < tradePermille)
        {
            trade(sink, id, exchangeTimeNs);
        }
        else
        {
            quote(sink, id, exchangeTimeNs);
        }
    }

    private int nextInstrumentId()
    {
        if (burstTicksLeft > 0)
        {
            burstTicksLeft--;
            inBurst = true;
            return burstInstrumentId;
        }

        final int id = nextSkewedInstrumentId();
        inBurst = nextInt(BURST_START_ONE_IN) == 0;
        if (inBurst)
        {
            burstInstrumentId = id;
            // This tick is the burst's first.
            burstTicksLeft = MIN_BURST_TICKS - 1 + nextInt(MAX_BURST_TICKS - MIN_BURST_TICKS + 1);
        }
        return id;
    }

    private int nextSkewedInstrumentId()
    {
        final double target = nextDouble() * cumulativeActivity[symbolCount - 1];
        int low = 0;
        int high = symbolCount - 1;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (cumulativeActivity[mid] > target)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        return low + 1;
    }

    private void quote(final TickSink sink, final int id, final long exchangeTimeNs)
    {
        final long bid = Math.max(1, bidTicks[id] + nextStepTicks(id));
        final int spread = nextSpreadTicks(id);
        bidTicks[id] = bid;
        spreadTicks[id] = spread;
        bidSize[id] = nextDisplayedSize();
        askSize[id] = nextDisplayedSize();

        sink.onQuote(
            id, bid * TICK_SIZE, bidSize[id], (bid + spread) * TICK_SIZE, askSize[id], exchangeTimeNs);
    }

    private void trade(final TickSink sink, final int id, final long exchangeTimeNs)
    {
        final boolean buyerLifts = nextInt(2) == 0;
        final long displayed = buyerLifts ? askSize[id] : bidSize[id];
        final long size = Math.min(displayed, nextTradeSize());
        final long priceTicks = buyerLifts ? bidTicks[id] + spreadTicks[id] : bidTicks[id];

        sink.onTrade(id, priceTicks * TICK_SIZE, size, exchangeTimeNs);

        // A trade that takes the whole level moves the market a tick its way; the next quote shows it.
        final long remaining = displayed - size;
        if (buyerLifts)
        {
            askSize[id] = remaining > 0 ? remaining : nextDisplayedSize();
            if (remaining <= 0)
            {
                bidTicks[id]++;
            }
        }
        else
        {
            bidSize[id] = remaining > 0 ? remaining : nextDisplayedSize();
            if (remaining <= 0 && bidTicks[id] > 1)
            {
                bidTicks[id]--;
            }
        }
    }

    /**
     * Half the time no move, else mostly one tick, rarely a jump of 2..4; during a burst up to 3 ticks each time.
     * The direction leans back towards the anchor in proportion to how far the price strayed (20 % away gives
     * 30:70 odds), a weak pull near the anchor that keeps a long run from wandering to zero or to thousands.
     */
    private long nextStepTicks(final int id)
    {
        final int magnitude;
        if (inBurst)
        {
            magnitude = nextInt(4);
        }
        else
        {
            final int draw = nextInt(1000);
            magnitude = draw < 500 ? 0 : draw < 990 ? 1 : 2 + nextInt(3);
        }
        if (0 == magnitude)
        {
            return 0;
        }

        final long anchor = anchorTicks[id];
        final long strayPermille = (bidTicks[id] - anchor) * 1000 / anchor;
        final long upPermille = Math.max(300, Math.min(700, 500 - strayPermille));
        return nextInt(1000) < upPermille ? magnitude : -magnitude;
    }

    private int nextSpreadTicks(final int id)
    {
        final int draw = nextInt(10);
        int spread = baseSpreadTicks[id];
        if (draw >= 7)
        {
            spread += draw == 9 ? -1 : 1;
        }
        if (inBurst)
        {
            spread++;
        }
        return Math.max(1, Math.min(MAX_SPREAD_TICKS, spread));
    }

    /**
     * 100..5,000 in round lots, small sizes more likely (product of two uniforms).
     */
    private long nextDisplayedSize()
    {
        final int lots = 1 + (nextInt(MAX_LOTS) * nextInt(MAX_LOTS)) / (MAX_LOTS - 1);
        return lots * LOT_SIZE;
    }

    /**
     * One trade in five an odd lot (1..99), else 1..10 round lots, mostly one.
     */
    private long nextTradeSize()
    {
        if (nextInt(5) == 0)
        {
            return 1 + nextInt((int)LOT_SIZE - 1);
        }
        final int lots = 1 + (nextInt(10) * nextInt(10)) / 9;
        return lots * LOT_SIZE;
    }

    /**
     * SplitMix64: tiny state, passes BigCrush, and unlike {@link java.util.SplittableRandom} its output is fixed
     * by this code alone, so a seed means the same market on every JDK.
     */
    private long nextLong()
    {
        long z = (randomState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Uniform in 0..bound-1 by multiply-shift; the bias, under 2^-32 per value, does not matter here.
     */
    private int nextInt(final int bound)
    {
        return (int)(((nextLong() >>> 32) * bound) >>> 32);
    }

    private double nextDouble()
    {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}

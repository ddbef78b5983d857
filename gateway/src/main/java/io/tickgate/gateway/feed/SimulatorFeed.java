package io.tickgate.gateway.feed;

import io.tickgate.gateway.symbols.Symbol;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.simulator.TickSink;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Arrays;

/**
 * Puts the embedded simulator's ticks straight into the ingress ring, as a second producer beside the UDP feed:
 * no socket, no datagram, the same records.
 * <p>
 * Not thread-safe: touched only by tickgate-simulator.
 */
public final class SimulatorFeed implements TickSink
{
    private static final int NO_SID = -1;
    private static final int DENSE_INSTRUMENT_IDS = 1 << 16;

    private final SymbolRegistry registry;
    private final IngressPublisher publisher;
    private final EpochNanoClock clock;
    private final AtomicCounter symbolTableFull;
    private final AtomicCounter definitionsRefused;
    /**
     * The simulator's and importers' instrument ids are dense from 1, so an array maps them to sids (-1 until
     * defined); a recording may hold any u32, so ids past the array's bound go to a map rather than growing it.
     */
    private int[] sidByInstrumentId = new int[0];
    private final Int2IntHashMap sidBySparseInstrumentId = new Int2IntHashMap(NO_SID);
    private long feedSeq;

    public SimulatorFeed(
        final SymbolRegistry registry,
        final IngressPublisher publisher,
        final EpochNanoClock clock,
        final AtomicCounter symbolTableFull,
        final AtomicCounter definitionsRefused)
    {
        this.registry = registry;
        this.publisher = publisher;
        this.clock = clock;
        this.symbolTableFull = symbolTableFull;
        this.definitionsRefused = definitionsRefused;
    }

    @Override
    public void onDefinition(final int instrumentId, final String symbol, final int priceScale, final int sizeScale)
    {
        final Symbol registered = registry.register(symbol, priceScale, sizeScale, publisher.sourceId());
        final boolean refused = null == registered || !registered.hasScales(priceScale, sizeScale);
        if (null == registered)
        {
            // No place for it: the id's ticks must not go on to a symbol it named before.
            symbolTableFull.incrementRelease();
        }
        else if (refused)
        {
            definitionsRefused.incrementRelease();
        }
        final int sid = refused ? NO_SID : registered.sid();
        if (instrumentId < 0 || instrumentId >= DENSE_INSTRUMENT_IDS)
        {
            if (refused)
            {
                sidBySparseInstrumentId.remove(instrumentId);
            }
            else
            {
                sidBySparseInstrumentId.put(instrumentId, sid);
            }
            return;
        }
        if (instrumentId >= sidByInstrumentId.length)
        {
            final int oldLength = sidByInstrumentId.length;
            sidByInstrumentId = Arrays.copyOf(sidByInstrumentId,
                Math.min(DENSE_INSTRUMENT_IDS, Math.max(instrumentId + 1, oldLength * 2)));
            Arrays.fill(sidByInstrumentId, oldLength, sidByInstrumentId.length, NO_SID);
        }
        sidByInstrumentId[instrumentId] = sid;
    }

    @Override
    public void onQuote(
        final int instrumentId,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long exchangeTimeNs)
    {
        final int sid = sid(instrumentId);
        if (sid >= 0)
        {
            publisher.quote(sid, ++feedSeq, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs, clock.nanoTime());
        }
    }

    @Override
    public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
    {
        final int sid = sid(instrumentId);
        if (sid >= 0)
        {
            publisher.trade(sid, ++feedSeq, price, size, exchangeTimeNs, clock.nanoTime());
        }
    }

    private int sid(final int instrumentId)
    {
        if (instrumentId >= 0 && instrumentId < DENSE_INSTRUMENT_IDS)
        {
            return instrumentId < sidByInstrumentId.length ? sidByInstrumentId[instrumentId] : NO_SID;
        }
        return sidBySparseInstrumentId.get(instrumentId);
    }
}

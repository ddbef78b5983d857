package io.tickgate.gateway.feed;

import io.tickgate.gateway.symbols.Symbol;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.simulator.TickSink;
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
    private final SymbolRegistry registry;
    private final IngressPublisher publisher;
    private final EpochNanoClock clock;
    private final AtomicCounter symbolTableFull;
    private final AtomicCounter definitionsRefused;
    /** Simulator instrument ids are dense from 1, so an array maps them to sids; -1 until defined. */
    private int[] sidByInstrumentId = new int[0];
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
        if (null == registered)
        {
            symbolTableFull.incrementRelease();
            return;
        }
        if (instrumentId >= sidByInstrumentId.length)
        {
            final int oldLength = sidByInstrumentId.length;
            sidByInstrumentId = Arrays.copyOf(sidByInstrumentId, Math.max(instrumentId + 1, oldLength * 2));
            Arrays.fill(sidByInstrumentId, oldLength, sidByInstrumentId.length, -1);
        }
        if (!registered.hasScales(priceScale, sizeScale))
        {
            definitionsRefused.incrementRelease();
            sidByInstrumentId[instrumentId] = -1;
            return;
        }
        sidByInstrumentId[instrumentId] = registered.sid();
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
        return instrumentId >= 0 && instrumentId < sidByInstrumentId.length ? sidByInstrumentId[instrumentId] : -1;
    }
}

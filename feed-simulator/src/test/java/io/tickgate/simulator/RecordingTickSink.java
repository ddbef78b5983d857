package io.tickgate.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every message and flush a sink receives, for tests; allocates freely.
 */
final class RecordingTickSink implements TickSink
{
    record Message(
        char type,
        int instrumentId,
        String symbol,
        long price,
        long size,
        long askPrice,
        long askSize,
        long exchangeTimeNs)
    {
        static Message definition(final int instrumentId, final String symbol, final int priceScale,
            final int sizeScale)
        {
            return new Message('D', instrumentId, symbol, priceScale, sizeScale, 0, 0, 0);
        }

        static Message quote(final int instrumentId, final long bidPrice, final long bidSize, final long askPrice,
            final long askSize, final long exchangeTimeNs)
        {
            return new Message('Q', instrumentId, null, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs);
        }

        static Message trade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
            return new Message('T', instrumentId, null, price, size, 0, 0, exchangeTimeNs);
        }
    }

    final List<Message> messages = new ArrayList<>();
    int definitions;
    int quotes;
    int trades;
    int flushes;
    /** Messages received before each flush, so tests can tell empty flushes from batches. */
    final List<Integer> messagesAtFlush = new ArrayList<>();

    @Override
    public void onDefinition(final int instrumentId, final String symbol, final int priceScale, final int sizeScale)
    {
        definitions++;
        messages.add(Message.definition(instrumentId, symbol, priceScale, sizeScale));
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
        quotes++;
        messages.add(Message.quote(instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs));
    }

    @Override
    public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
    {
        trades++;
        messages.add(Message.trade(instrumentId, price, size, exchangeTimeNs));
    }

    @Override
    public void flush()
    {
        flushes++;
        messagesAtFlush.add(messages.size());
    }

    int ticks()
    {
        return quotes + trades;
    }
}

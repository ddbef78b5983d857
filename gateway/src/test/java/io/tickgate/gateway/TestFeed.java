package io.tickgate.gateway;

import io.tickgate.protocol.FeedDatagramEncoder;
import io.tickgate.protocol.FeedHeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A feed source for tests: real TKF1 datagrams over a real UDP socket, one message per datagram unless batched,
 * with consecutive feed sequence numbers.
 */
public final class TestFeed implements AutoCloseable
{
    private final DatagramChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(FeedHeaderFlyweight.MAX_DATAGRAM_LENGTH);
    private final FeedDatagramEncoder encoder = new FeedDatagramEncoder().wrap(new UnsafeBuffer(buffer), 0);
    private long nextSeq = 1;
    private boolean open;

    public TestFeed(final InetSocketAddress gatewayFeed)
    {
        try
        {
            channel = DatagramChannel.open();
            channel.connect(new InetSocketAddress("127.0.0.1", gatewayFeed.getPort()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public TestFeed define(final int instrumentId, final String symbol, final int priceScale, final int sizeScale)
    {
        begin();
        encoder.addDefinition(instrumentId, priceScale, sizeScale, symbol);
        return flush();
    }

    /**
     * Definitions in one datagram, at one price and size scale: {@code idsAndSymbols} alternates ids and names.
     */
    public TestFeed defineInOneDatagram(final int priceScale, final int sizeScale, final Object... idsAndSymbols)
    {
        begin();
        for (int i = 0; i < idsAndSymbols.length; i += 2)
        {
            encoder.addDefinition((Integer)idsAndSymbols[i], priceScale, sizeScale, (String)idsAndSymbols[i + 1]);
        }
        return flush();
    }

    public TestFeed quote(
        final int instrumentId, final long bid, final long bidSize, final long ask, final long askSize)
    {
        begin();
        if (!encoder.addQuote(instrumentId, bid, bidSize, ask, askSize, System.currentTimeMillis() * 1_000_000L))
        {
            flush();
            begin();
            encoder.addQuote(instrumentId, bid, bidSize, ask, askSize, System.currentTimeMillis() * 1_000_000L);
        }
        return this;
    }

    public TestFeed trade(final int instrumentId, final long price, final long size)
    {
        begin();
        if (!encoder.addTrade(instrumentId, price, size, System.currentTimeMillis() * 1_000_000L))
        {
            flush();
            begin();
            encoder.addTrade(instrumentId, price, size, System.currentTimeMillis() * 1_000_000L);
        }
        return this;
    }

    /**
     * Sends the datagram being built, if any.
     */
    public TestFeed flush()
    {
        if (open && !encoder.isEmpty())
        {
            nextSeq += encoder.count();
            buffer.clear().limit(encoder.length());
            send(buffer);
        }
        open = false;
        return this;
    }

    /**
     * Sends arbitrary bytes as one datagram, outside the sequence.
     */
    public TestFeed sendRaw(final byte[] bytes)
    {
        flush();
        send(ByteBuffer.wrap(bytes));
        return this;
    }

    public long nextSeq()
    {
        return nextSeq;
    }

    private void begin()
    {
        if (!open)
        {
            encoder.begin(nextSeq, System.currentTimeMillis() * 1_000_000L);
            open = true;
        }
    }

    private void send(final ByteBuffer datagram)
    {
        try
        {
            channel.write(datagram);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}

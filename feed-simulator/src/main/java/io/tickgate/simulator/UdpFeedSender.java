package io.tickgate.simulator;

import io.tickgate.protocol.FeedDatagramEncoder;
import io.tickgate.protocol.FeedHeaderFlyweight;
import org.agrona.CloseHelper;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import static io.tickgate.protocol.FeedHeaderFlyweight.MAX_DATAGRAM_LENGTH;

/**
 * Packs ticks into TKF1 datagrams (PROTOCOL.md §2) and sends them over a connected UDP socket: a datagram goes
 * out when the next message would not fit in 1,472 bytes and on {@link #flush()}. Messages are numbered from 1
 * across datagrams; a datagram's header carries the number of its first message and, as {@code sendTime}, the
 * epoch nanoseconds just before it is handed to the kernel.
 * <p>
 * The channel is non-blocking: a send never stalls the simulator's duty cycle and an interrupt cannot close the
 * channel under it. A datagram the kernel will not take (send buffer full, {@code PortUnreachableException}
 * after an ICMP from a receiver that is not there yet) is lost, as UDP would lose it: counted, its sequence
 * numbers left as a gap for the gateway to count, and sending goes on.
 * <p>
 * Not thread-safe: called only by the thread that drives the simulator (tickgate-simulator). The counters may
 * be read from any thread.
 */
public final class UdpFeedSender implements TickSink, AutoCloseable
{
    /** Room for a second or so of bursts at high rates before the kernel refuses datagrams. */
    private static final int SEND_BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final ByteBuffer byteBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM_LENGTH);
    private final UnsafeBuffer buffer = new UnsafeBuffer(byteBuffer);
    private final FeedDatagramEncoder encoder = new FeedDatagramEncoder();
    private final FeedHeaderFlyweight header = new FeedHeaderFlyweight();
    private final EpochNanoClock epochClock;

    // Written only by tickgate-simulator.
    private long nextMessageSeq = 1;
    private boolean datagramOpen;
    /** Quotes and trades in the open datagram. */
    private int datagramTicks;

    // Written only by tickgate-simulator, once per datagram; volatile so a reporting thread sees current values.
    private volatile long datagramsSent;
    private volatile long messagesSent;
    private volatile long ticksSent;
    private volatile long sendErrors;
    private volatile long datagramsRefused;

    public UdpFeedSender(final InetSocketAddress to)
    {
        this(to, new CalibratedEpochNanoClock());
    }

    /**
     * @param epochClock source of the header's {@code sendTime}.
     */
    public UdpFeedSender(final InetSocketAddress to, final EpochNanoClock epochClock)
    {
        this.epochClock = epochClock;
        encoder.wrap(buffer, 0);
        header.wrap(buffer, 0);
        DatagramChannel channel = null;
        try
        {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
            channel.connect(to);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new UncheckedIOException("cannot open a UDP socket to " + to, ex);
        }
        this.channel = channel;
    }

    @Override
    public void onDefinition(final int instrumentId, final String symbol, final int priceScale, final int sizeScale)
    {
        openDatagram();
        if (!encoder.addDefinition(instrumentId, priceScale, sizeScale, symbol))
        {
            sendDatagram();
            openDatagram();
            encoder.addDefinition(instrumentId, priceScale, sizeScale, symbol);
        }
        nextMessageSeq++;
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
        openDatagram();
        if (!encoder.addQuote(instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs))
        {
            sendDatagram();
            openDatagram();
            encoder.addQuote(instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs);
        }
        datagramTicks++;
        nextMessageSeq++;
    }

    @Override
    public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
    {
        openDatagram();
        if (!encoder.addTrade(instrumentId, price, size, exchangeTimeNs))
        {
            sendDatagram();
            openDatagram();
            encoder.addTrade(instrumentId, price, size, exchangeTimeNs);
        }
        datagramTicks++;
        nextMessageSeq++;
    }

    /**
     * Sends the partly filled datagram, if any.
     */
    @Override
    public void flush()
    {
        if (datagramOpen)
        {
            sendDatagram();
        }
    }

    /**
     * Sends what is pending, then closes the socket.
     */
    @Override
    public void close()
    {
        if (channel.isOpen())
        {
            flush();
            CloseHelper.quietClose(channel);
        }
    }

    /**
     * Datagrams the kernel accepted.
     */
    public long datagramsSent()
    {
        return datagramsSent;
    }

    /**
     * Messages in the datagrams the kernel accepted.
     */
    public long messagesSent()
    {
        return messagesSent;
    }

    /**
     * Quotes and trades in the datagrams the kernel accepted.
     */
    public long ticksSent()
    {
        return ticksSent;
    }

    /**
     * Datagrams lost to a send that threw, e.g. {@code PortUnreachableException} while no one listens.
     */
    public long sendErrors()
    {
        return sendErrors;
    }

    /**
     * Datagrams lost because the socket's send buffer was full: the simulator outran the network.
     */
    public long datagramsRefused()
    {
        return datagramsRefused;
    }

    /**
     * The sequence number the next message will carry.
     */
    public long nextMessageSeq()
    {
        return nextMessageSeq;
    }

    private void openDatagram()
    {
        if (!datagramOpen)
        {
            // sendTime is written again just before the send; 0 (unknown) until then.
            encoder.begin(nextMessageSeq, 0);
            datagramOpen = true;
        }
    }

    private void sendDatagram()
    {
        final int messageCount = encoder.count();
        final int ticks = datagramTicks;
        header.sendTime(epochClock.nanoTime());
        byteBuffer.limit(encoder.length()).position(0);
        datagramOpen = false;
        datagramTicks = 0;
        try
        {
            if (channel.write(byteBuffer) > 0)
            {
                datagramsSent++;
                messagesSent += messageCount;
                ticksSent += ticks;
            }
            else
            {
                datagramsRefused++;
            }
        }
        catch (final IOException ex)
        {
            // The exception is the only allocation, and only on this already lossy path.
            sendErrors++;
        }
    }
}

package io.tickgate.gateway.feed;

import io.tickgate.gateway.symbols.Symbol;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.protocol.FeedDatagramDecoder;
import io.tickgate.protocol.FeedDecodeResult;
import io.tickgate.protocol.FeedHeaderFlyweight;
import io.tickgate.protocol.FeedMessageDescriptor;
import io.tickgate.protocol.FeedMessageHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads TKF1 datagrams from a non-blocking UDP socket, validates them, tracks the feed sequence, maps instrument
 * ids to sids through the definitions it has seen, stamps the ingest time and publishes one ring record per tick.
 * <p>
 * Bad input is a counter, never an exception or a log line: a malformed datagram is dropped whole and counted by
 * reason; a tick for an instrument not yet defined is counted and dropped (definitions are repeated by sources,
 * so the instrument starts flowing once its definition arrives).
 * <p>
 * Not thread-safe: runs only on one thread (an IO thread, tickgate-ingest or tickgate-feed-handler, by layout).
 * Allocates nothing per datagram or tick; a definition that changes a symbol allocates its name once.
 */
public final class FeedHandler implements Agent, FeedMessageHandler
{
    /** Larger than a v1 datagram so an oversized one is seen whole and rejected rather than silently cut. */
    private static final int RECEIVE_BUFFER_LENGTH = 64 * 1024;
    private static final long NO_INSTRUMENT = -1;
    /** How long the current sender must be quiet before another one that starts no feed session is taken. */
    static final long SENDER_QUIET_NS = 1_000_000_000L;

    private final DatagramReceiver socket;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER_LENGTH);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receiveBuffer);
    private final FeedDatagramDecoder decoder = new FeedDatagramDecoder();
    private final FeedSequenceTracker sequenceTracker = new FeedSequenceTracker();
    private final Int2ObjectHashMap<Symbol> symbolByInstrumentId = new Int2ObjectHashMap<>();
    /**
     * The instrument id each symbol is mapped from, by sid (unsigned, or {@link #NO_INSTRUMENT}): a symbol has one
     * id at a time, so a source that renumbers its instruments moves them rather than adding ids for ever.
     */
    private final long[] instrumentIdBySid;
    /** Symbols the current datagram's definitions left without an id, published once it is applied. */
    private final int[] lostSids;
    private int lostCount;
    private final byte[] symbolBytes = new byte[FeedMessageDescriptor.SYMBOL_LENGTH];
    private final SymbolRegistry registry;
    private final IngressPublisher publisher;
    private final FeedCounters counters;
    private final EpochNanoClock clock;
    private final int datagramsPerDutyCycle;
    private long ingestTimeNs;
    /** The address the feed session's datagrams come from; null before the first. */
    private SocketAddress sender;
    private long senderLastNs;
    /** A new sender has sent only definitions so far: the symbols it left unmapped are not yet published as such. */
    private boolean newSenderDefining;
    private boolean datagramHasTicks;

    public FeedHandler(
        final DatagramChannel channel,
        final SymbolRegistry registry,
        final IngressPublisher publisher,
        final FeedCounters counters,
        final EpochNanoClock clock,
        final int datagramsPerDutyCycle)
    {
        this(receiver(channel), registry, publisher, counters, clock, datagramsPerDutyCycle);
    }

    public FeedHandler(
        final DatagramReceiver socket,
        final SymbolRegistry registry,
        final IngressPublisher publisher,
        final FeedCounters counters,
        final EpochNanoClock clock,
        final int datagramsPerDutyCycle)
    {
        this.socket = socket;
        this.registry = registry;
        this.publisher = publisher;
        this.counters = counters;
        this.clock = clock;
        this.datagramsPerDutyCycle = datagramsPerDutyCycle;
        instrumentIdBySid = new long[registry.capacity()];
        // Room for every symbol: a new sender's first datagram may unmap them all and define most of them again.
        lostSids = new int[registry.capacity()];
        Arrays.fill(instrumentIdBySid, NO_INSTRUMENT);
    }

    /**
     * Opens a non-blocking UDP socket for a feed.
     */
    public static DatagramChannel openChannel(final InetSocketAddress bindAddress, final int receiveBufferBytes)
        throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, false); // a feed port has one reader
            channel.bind(bindAddress);
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw ex;
        }
    }

    /**
     * A plain non-blocking channel as the feed handler's socket.
     */
    public static DatagramReceiver receiver(final DatagramChannel channel)
    {
        return new DatagramReceiver()
        {
            @Override
            public SocketAddress receive(final ByteBuffer buffer) throws IOException
            {
                return channel.receive(buffer);
            }

            @Override
            public void close()
            {
                CloseHelper.quietClose(channel);
            }
        };
    }

    @Override
    public String roleName()
    {
        return "tickgate-feed-handler";
    }

    @Override
    public int doWork() throws IOException
    {
        int workCount = 0;
        while (workCount < datagramsPerDutyCycle)
        {
            receiveBuffer.clear();
            final SocketAddress from = socket.receive(receiveBuffer);
            if (null == from)
            {
                break;
            }
            workCount++;
            onDatagram(receiveBuffer.position(), from);
        }
        return workCount;
    }

    @Override
    public void onClose()
    {
        socket.close();
    }

    /**
     * Handles one datagram already in the receive buffer, its sender unknown; public for tests that drive the
     * handler without a socket.
     */
    public void onDatagram(final int length)
    {
        onDatagram(length, null);
    }

    /**
     * Handles one datagram already in the receive buffer, sent from {@code from} (null: unknown, taken as the
     * current sender).
     */
    void onDatagram(final int length, final SocketAddress from)
    {
        counters.datagrams.incrementRelease();
        ingestTimeNs = clock.nanoTime();
        final int valid = FeedDatagramDecoder.validate(receiveView, 0, length);
        if (FeedDecodeResult.OK != valid)
        {
            counters.malformed[valid].incrementRelease();
            return;
        }

        final int count = FeedHeaderFlyweight.count(receiveView, 0);
        final long firstSeq = FeedHeaderFlyweight.seq(receiveView, 0);
        if (null != from && from != sender && !isFromNewSender(from, firstSeq, count))
        {
            counters.otherSenders.incrementRelease();
            return;
        }
        senderLastNs = ingestTimeNs;
        switch (sequenceTracker.onDatagram(firstSeq, count, ingestTimeNs))
        {
            case FeedSequenceTracker.DUPLICATE:
                counters.duplicates.incrementRelease();
                return;

            case FeedSequenceTracker.OUT_OF_ORDER:
                counters.outOfOrder.incrementRelease();
                return;

            case FeedSequenceTracker.GAP:
                counters.gaps.incrementRelease();
                addUnsignedSaturating(counters.missingMessages, sequenceTracker.missingInLastGap());
                break;

            case FeedSequenceTracker.RESTART:
                counters.restarts.incrementRelease();
                break;

            default:
                break;
        }

        datagramHasTicks = false;
        decoder.dispatchValidated(receiveView, 0, this);
        if (!newSenderDefining || datagramHasTicks)
        {
            // A new sender's first datagrams hold its definitions, as many as it has: the previous sender's
            // symbols it names again there never show as stale. Its first tick ends that.
            newSenderDefining = false;
            publishLost();
        }
        if (decoder.unknownTypes() > 0)
        {
            counters.unknownMessageTypes.getAndAddRelease(decoder.unknownTypes());
        }
    }

    /**
     * A datagram from another address than the current sender's: taken, and its sender made the current one, when
     * it starts a feed session (numbered from seq 1, with definitions: a source restarted, from a new port) or the
     * current sender has been quiet for {@link #SENDER_QUIET_NS}; otherwise dropped. An empty datagram starts
     * nothing and takes nothing. The new sender's numbering starts afresh (counted as a restart).
     * Instrument ids belong to one feed session, so a second source sending to the port at the same time (two
     * replays of recordings that both number from 1) would otherwise have its prices applied to the other's
     * symbols at their scales. A new sender starts with no instruments: the previous sender's symbols go stale
     * unless the new one defines them in the datagrams before its first tick (a restarted source defines its
     * instruments first), and its ticks count as undefined until its definitions come.
     */
    private boolean isFromNewSender(final SocketAddress from, final long firstSeq, final int count)
    {
        if (from.equals(sender))
        {
            sender = from;  // the same address in a new object: compared by reference from here
            return true;
        }
        if (null != sender && (0 == count ||
            (!startsFeedSession(firstSeq, count) && ingestTimeNs - senderLastNs < SENDER_QUIET_NS)))
        {
            return false;
        }
        if (null != sender)
        {
            forgetInstruments();
            newSenderDefining = true;
            // Its numbering is its own: judged against the last sender's, a standby numbering lower was dropped as
            // late for good, and one numbering higher counted the difference as missing messages.
            sequenceTracker.newSession();
            counters.restarts.incrementRelease();
        }
        sender = from;
        return true;
    }

    /**
     * Whether the datagram in the receive buffer starts a feed session: numbered from seq 1 and holding definitions
     * (a source defines its instruments before it ticks them). A stray quote numbered 1 does not. The datagram has
     * been validated: every message length is within it.
     */
    private boolean startsFeedSession(final long firstSeq, final int count)
    {
        if (1 != firstSeq)
        {
            return false;
        }
        for (int i = 0, offset = FeedHeaderFlyweight.HEADER_LENGTH; i < count; i++)
        {
            final byte type = receiveView.getByte(offset + FeedMessageDescriptor.TYPE_OFFSET);
            if (FeedMessageDescriptor.TYPE_DEFINITION == type)
            {
                return true;
            }
            offset += receiveView.getShort(offset + FeedMessageDescriptor.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN)
                & 0xFFFF;
        }
        return false;
    }

    /**
     * Every instrument id of the previous sender goes; its symbols keep their values, stale until defined again.
     */
    private void forgetInstruments()
    {
        final int[] ids = new int[symbolByInstrumentId.size()];
        int n = 0;
        for (final Int2ObjectHashMap<Symbol>.KeyIterator it = symbolByInstrumentId.keySet().iterator(); it.hasNext();)
        {
            ids[n++] = it.nextInt();
        }
        for (final int id : ids)
        {
            unmap(id);
        }
    }

    /**
     * Adds an unsigned amount, stopping at {@code Long.MAX_VALUE}: a stray seq far ahead must not wrap the counter
     * negative, which the metrics exposition cannot export. Only this handler's thread writes the counter.
     */
    static void addUnsignedSaturating(final AtomicCounter counter, final long unsignedAmount)
    {
        final long current = counter.get();
        final boolean fits = unsignedAmount >= 0 && unsignedAmount <= Long.MAX_VALUE - current;
        counter.setRelease(fits ? current + unsignedAmount : Long.MAX_VALUE);
    }

    public ByteBuffer receiveBuffer()
    {
        return receiveBuffer;
    }

    @Override
    public void onDefinition(
        final long seq,
        final int instrumentId,
        final int priceScale,
        final int sizeScale,
        final DirectBuffer symbolBuffer,
        final int symbolOffset)
    {
        counters.definitions.incrementRelease();
        final Symbol known = symbolByInstrumentId.get(instrumentId);
        if (null != known && known.priceScale() == priceScale && known.sizeScale() == sizeScale &&
            sameName(known.name(), symbolBuffer, symbolOffset))
        {
            return;
        }

        symbolBuffer.getBytes(symbolOffset, symbolBytes);
        int length = 0;
        while (length < symbolBytes.length && 0 != symbolBytes[length])
        {
            length++;
        }
        final String name = new String(symbolBytes, 0, length, StandardCharsets.US_ASCII);
        final Symbol symbol = registry.register(name, priceScale, sizeScale, publisher.sourceId());
        if (null == symbol)
        {
            // The id names a symbol that has no place: its ticks must not go on to the symbol it named before.
            counters.symbolTableFull.incrementRelease();
            unmap(instrumentId);
            return;
        }
        if (!symbol.hasScales(priceScale, sizeScale))
        {
            // Its ticks would be read at the scales clients hold: dropped (unknown instrument) instead.
            counters.definitionsRefused.incrementRelease();
            unmap(instrumentId);
            return;
        }
        final long previousId = instrumentIdBySid[symbol.sid()];
        if (NO_INSTRUMENT != previousId && (int)previousId != instrumentId)
        {
            // Renumbered: the old id names nothing now, so the map holds at most one id per symbol. The symbol
            // itself stays mapped (from the new id), so it does not go stale.
            symbolByInstrumentId.remove((int)previousId);
        }
        final Symbol previous = symbolByInstrumentId.put(instrumentId, symbol);
        if (null != previous && previous != symbol)
        {
            lost(previous);
        }
        instrumentIdBySid[symbol.sid()] = Integer.toUnsignedLong(instrumentId);
        if (NO_INSTRUMENT == previousId)
        {
            publisher.mapping(symbol.sid(), true);
        }
    }

    private void unmap(final int instrumentId)
    {
        final Symbol symbol = symbolByInstrumentId.remove(instrumentId);
        if (null != symbol)
        {
            lost(symbol);
        }
    }

    /**
     * No id of this source names the symbol any more: its value is frozen, so clients see it stale until it is
     * defined again and ticks (docs/protocol.md, Definitions).
     */
    private void lost(final Symbol symbol)
    {
        instrumentIdBySid[symbol.sid()] = NO_INSTRUMENT;
        if (lostCount < lostSids.length)
        {
            lostSids[lostCount++] = symbol.sid();
        }
        else
        {
            publisher.mapping(symbol.sid(), false);
        }
    }

    /**
     * After a datagram's definitions: the symbols they left without an id. One a later definition of the same
     * datagram named again (a source renumbering its instruments in any order) was only moved.
     */
    private void publishLost()
    {
        for (int i = 0; i < lostCount; i++)
        {
            final int sid = lostSids[i];
            if (NO_INSTRUMENT == instrumentIdBySid[sid])
            {
                publisher.mapping(sid, false);
            }
        }
        lostCount = 0;
    }

    @Override
    public void onQuote(
        final long seq,
        final int instrumentId,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long exchangeTimeNs)
    {
        datagramHasTicks = true;
        final Symbol symbol = symbolByInstrumentId.get(instrumentId);
        if (null == symbol)
        {
            counters.unknownInstruments.incrementRelease();
            return;
        }
        publisher.quote(symbol.sid(), seq, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs, ingestTimeNs);
    }

    @Override
    public void onTrade(
        final long seq, final int instrumentId, final long price, final long size, final long exchangeTimeNs)
    {
        datagramHasTicks = true;
        final Symbol symbol = symbolByInstrumentId.get(instrumentId);
        if (null == symbol)
        {
            counters.unknownInstruments.incrementRelease();
            return;
        }
        publisher.trade(symbol.sid(), seq, price, size, exchangeTimeNs, ingestTimeNs);
    }

    private static boolean sameName(final String name, final DirectBuffer buffer, final int offset)
    {
        final int nameLength = name.length();
        for (int i = 0; i < FeedMessageDescriptor.SYMBOL_LENGTH; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (i < nameLength ? b != name.charAt(i) : b != 0)
            {
                return false;
            }
        }
        return true;
    }
}

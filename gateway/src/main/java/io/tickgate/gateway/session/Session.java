package io.tickgate.gateway.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgate.gateway.conflation.SubscriberWaker;
import io.tickgate.gateway.conflation.Subscriber;
import io.tickgate.gateway.symbols.Symbol;
import io.tickgate.protocol.FrameDescriptor;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import io.undertow.websockets.core.WebSockets;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket client: its subscriptions, what it was last sent, and the one frame it may have in flight.
 * <p>
 * Output is a single sequence per session, one frame at a time: queued text replies first, then an owed
 * snapshot, then an update frame with the newest value of every pending symbol. A frame stays in flight until
 * Undertow has it in the socket; meanwhile new ticks only set pending bits, so a slow client costs memory bounded
 * by its subscriptions and gets fewer, fresher entries. Undertow's own outbound queue never holds more than that
 * frame, a close frame, and pongs.
 * <p>
 * Not thread-safe: everything but {@link #markPending} runs on the session's IO thread; {@link #markPending} runs
 * on tickgate-conflator and touches only the {@link PendingSet} and the scheduled flag.
 */
final class Session implements Subscriber, ControlListener, InboundMessageReader.Handler
{
    private final WebSocketChannel channel;
    private final SessionDispatcher dispatcher;
    private final SessionSettings settings;
    private final PendingSet pending;
    /** 1 while the session sits in its dispatcher's wake queue; set by the conflator, cleared by the IO thread. */
    private final AtomicInteger scheduled = new AtomicInteger();
    private final SubscriptionTable table;
    private final InboundMessageReader reader;
    private final ArrayDeque<ByteBuffer> replies = new ArrayDeque<>();
    private final ChannelListener<StreamSinkFrameChannel> writeListener = this::onWritable;
    private final Runnable throttleTask = this::onThrottleDue;

    private ByteBuffer frameBuffer = ByteBuffer.allocateDirect(FrameDescriptor.frameLength(4));
    private final UnsafeBuffer frameView = new UnsafeBuffer(frameBuffer);
    private SessionBuffer framePooled = new SessionBuffer(frameBuffer);

    private StreamSinkFrameChannel inFlight;
    private long inFlightSinceNs;
    private long frameSeq;
    private long lastBinaryNs;
    private long minIntervalNs;
    private long throttleDueNs = Long.MAX_VALUE;
    private boolean snapshotOwed;
    private boolean receivesSuspended;
    private boolean closing;
    private boolean closed;

    Session(final WebSocketChannel channel, final SessionDispatcher dispatcher, final SessionSettings settings)
    {
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.pending = new PendingSet(settings.maxSubscriptions);
        this.table = new SubscriptionTable(settings.maxSubscriptions);
        this.reader = new InboundMessageReader(settings.maxTextMessageBytes);
        this.lastBinaryNs = System.nanoTime();
    }

    void start()
    {
        channel.getReceiveSetter().set(new Receiver());
        channel.addCloseTask(ignore -> onClosed());
        channel.resumeReceives();
    }

    // ---------------------------------------------------------------- tickgate-conflator

    @Override
    public SubscriberWaker markPending(final int slot)
    {
        pending.mark(slot);
        if (0 == scheduled.get() && scheduled.compareAndSet(0, 1))
        {
            dispatcher.enqueue(this);
            return dispatcher;
        }
        return null;
    }

    // ---------------------------------------------------------------- IO thread

    /**
     * Called by the dispatcher after the conflator woke it for this session.
     */
    void onWake()
    {
        // Cleared before the pending bits are taken, so a mark that comes after the take schedules us again.
        scheduled.set(0);
        pump();
    }

    private void pump()
    {
        if (closed)
        {
            return;
        }
        try
        {
            while (null == inFlight && !closed)
            {
                final ByteBuffer reply = replies.poll();
                if (null != reply)
                {
                    send(WebSocketFrameType.TEXT, new SessionBuffer(reply));
                    resumeReceivesIfDrained();
                    continue;
                }
                if (closing)
                {
                    return;
                }

                final long nowNs = System.nanoTime();
                if (snapshotOwed)
                {
                    snapshotOwed = false;
                    ensureFrameCapacity();
                    final int length = dispatcher.assembler().encodeSnapshot(
                        table, frameView, frameSeq + 1, nowNs, dispatcher.epochNanoTime());
                    sendFrame(length, nowNs);
                    continue;
                }

                pending.takeInto(table.dirty);
                if (SubscriptionTable.isEmpty(table.dirty))
                {
                    return;
                }
                ensureFrameCapacity();
                final FrameAssembler assembler = dispatcher.assembler();
                final int length = assembler.encodeUpdates(
                    table, frameView, frameSeq + 1, nowNs, dispatcher.epochNanoTime(), minIntervalNs);
                scheduleThrottle(assembler.nextDueNs(), nowNs);
                if (0 == length)
                {
                    return;
                }
                if (assembler.conflated() > 0)
                {
                    dispatcher.counters().entriesConflated.getAndAdd(assembler.conflated());
                }
                sendFrame(length, nowNs);
            }
        }
        catch (final IOException ex)
        {
            abort();
        }
    }

    /**
     * Heartbeat and slow-consumer check, run by the dispatcher every few milliseconds.
     */
    void onHousekeeping(final long nowNs)
    {
        if (closed)
        {
            return;
        }
        if (null != inFlight)
        {
            if (!closing && nowNs - inFlightSinceNs > settings.slowConsumerTimeoutNs)
            {
                dispatcher.counters().slowConsumerCloses.increment();
                closeWith(CloseMessage.MSG_VIOLATES_POLICY, "slow consumer");
            }
            return;
        }
        if (!closing && nowNs - lastBinaryNs >= settings.heartbeatNs)
        {
            try
            {
                final int length = dispatcher.assembler().encodeHeartbeat(
                    frameView, frameSeq + 1, dispatcher.epochNanoTime());
                dispatcher.counters().heartbeatsSent.increment();
                sendFrame(length, nowNs);
            }
            catch (final IOException ex)
            {
                abort();
            }
        }
    }

    private void sendFrame(final int length, final long nowNs) throws IOException
    {
        frameSeq++;
        lastBinaryNs = nowNs;
        frameBuffer.clear().limit(length);
        final SessionCounters counters = dispatcher.counters();
        counters.framesSent.increment();
        counters.entriesSent.getAndAdd((length - FrameDescriptor.HEADER_LENGTH) / FrameDescriptor.ENTRY_LENGTH);
        counters.bytesSent.getAndAdd(length);
        send(WebSocketFrameType.BINARY, framePooled);
    }

    private void send(final WebSocketFrameType type, final SessionBuffer buffer) throws IOException
    {
        final StreamSinkFrameChannel sink = channel.send(type);
        if (!sink.send(buffer))
        {
            throw new IOException("a new frame sink refused its body");
        }
        sink.shutdownWrites();
        if (!sink.flush())
        {
            inFlight = sink;
            inFlightSinceNs = System.nanoTime();
            sink.getWriteSetter().set(writeListener);
            sink.resumeWrites();
        }
    }

    private void onWritable(final StreamSinkFrameChannel sink)
    {
        try
        {
            if (sink.flush())
            {
                sink.suspendWrites();
                sink.getWriteSetter().set(null);
                inFlight = null;
                pump();
            }
        }
        catch (final IOException ex)
        {
            abort();
        }
    }

    private void ensureFrameCapacity()
    {
        final int needed = FrameDescriptor.frameLength(Math.max(table.count(), 1));
        if (frameBuffer.capacity() < needed)
        {
            frameBuffer = ByteBuffer.allocateDirect(Math.max(needed, frameBuffer.capacity() * 2));
            frameView.wrap(frameBuffer);
            framePooled = new SessionBuffer(frameBuffer);
        }
    }

    private void scheduleThrottle(final long dueNs, final long nowNs)
    {
        if (Long.MAX_VALUE == dueNs || dueNs >= throttleDueNs)
        {
            return;
        }
        throttleDueNs = dueNs;
        final long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueNs - nowNs + 999_999));
        channel.getIoThread().executeAfter(throttleTask, delayMs, TimeUnit.MILLISECONDS);
    }

    private void onThrottleDue()
    {
        throttleDueNs = Long.MAX_VALUE;
        pump();
    }

    // ---------------------------------------------------------------- control requests, IO thread

    @Override
    public void onMessage(final byte[] bytes, final int length)
    {
        dispatcher.adapter().onMessage(bytes, length, this);
    }

    @Override
    public void onTooLarge()
    {
        dispatcher.counters().tooLargeRequests.increment();
        reply(error(null, ControlMessageAdapter.TOO_LARGE,
            "a text message may have at most " + settings.maxTextMessageBytes + " bytes"));
        pump();
    }

    @Override
    public void onReadError(final IOException ex)
    {
        abort();
    }

    @Override
    public void onSubscribe(final Long id, final List<String> symbols)
    {
        final ObjectNode reply = reply("subscribed", id);
        final ArrayNode accepted = reply.putArray("symbols");
        final ArrayNode rejected = reply.putArray("rejected");
        final int[] newSids = new int[symbols.size()];
        final int[] newSlots = new int[symbols.size()];
        int added = 0;
        for (final String name : new LinkedHashSet<>(symbols))
        {
            final Symbol symbol = dispatcher.registry().byName(name);
            if (null == symbol)
            {
                rejected.addObject().put("symbol", name).put("reason", "UNKNOWN_SYMBOL");
                continue;
            }
            int slot = table.slotOf(symbol.sid());
            if (SubscriptionTable.NO_SID == slot)
            {
                slot = table.add(symbol.sid());
                if (slot < 0)
                {
                    rejected.addObject().put("symbol", name).put("reason", "LIMIT_EXCEEDED");
                    continue;
                }
                newSids[added] = symbol.sid();
                newSlots[added++] = slot;
            }
            SubscriptionTable.set(table.snapshot, slot);
            accepted.addObject()
                .put("symbol", symbol.name())
                .put("sid", symbol.sid())
                .put("priceScale", symbol.priceScale())
                .put("sizeScale", symbol.sizeScale());
        }

        // Owed before the reply is queued: no update frame may come between "subscribed" and the snapshot.
        snapshotOwed = true;
        reply(reply);
        if (added > 0)
        {
            dispatcher.proxy().subscribe(this, Arrays.copyOf(newSids, added), Arrays.copyOf(newSlots, added));
        }
        pump();
    }

    @Override
    public void onUnsubscribe(final Long id, final List<String> symbols)
    {
        final ObjectNode reply = reply("unsubscribed", id);
        final ArrayNode removed = reply.putArray("symbols");
        final int[] sids = new int[symbols.size()];
        final int[] slots = new int[symbols.size()];
        int count = 0;
        for (final String name : new LinkedHashSet<>(symbols))
        {
            final Symbol symbol = dispatcher.registry().byName(name);
            if (null == symbol)
            {
                continue;
            }
            final int slot = table.remove(symbol.sid());
            if (slot >= 0)
            {
                sids[count] = symbol.sid();
                slots[count++] = slot;
                removed.add(symbol.name());
            }
        }
        if (count > 0)
        {
            dispatcher.proxy().unsubscribe(this, Arrays.copyOf(sids, count), Arrays.copyOf(slots, count));
        }
        reply(reply);
        pump();
    }

    @Override
    public void onThrottle(final Long id, final int maxRateHz)
    {
        final long newIntervalNs = 0 == maxRateHz ? 0 : 1_000_000_000L / maxRateHz;
        if ((0 == minIntervalNs) != (0 == newIntervalNs))
        {
            if (0 == newIntervalNs)
            {
                dispatcher.counters().sessionsThrottled.decrement();
            }
            else
            {
                dispatcher.counters().sessionsThrottled.increment();
            }
        }
        minIntervalNs = newIntervalNs;
        reply(reply("throttled", id).put("maxRateHz", maxRateHz));
        pump();
    }

    @Override
    public void onPing(final Long id)
    {
        reply(reply("pong", id).put("serverTime", dispatcher.epochNanoTime()));
        pump();
    }

    @Override
    public void onBadRequest(final Long id, final String code, final String message)
    {
        dispatcher.counters().badRequests.increment();
        reply(error(id, code, message));
        pump();
    }

    private ObjectNode error(final Long id, final String code, final String message)
    {
        return reply("error", id).put("code", code).put("message", message);
    }

    private ObjectNode reply(final String op, final Long id)
    {
        final ObjectNode node = dispatcher.mapper().createObjectNode().put("op", op);
        if (null != id)
        {
            node.put("id", id.longValue());
        }
        return node;
    }

    private void reply(final ObjectNode reply)
    {
        try
        {
            replies.add(ByteBuffer.wrap(dispatcher.mapper().writeValueAsBytes(reply)));
        }
        catch (final IOException ex)
        {
            dispatcher.onError(ex);
            return;
        }
        // A client that sends faster than it reads its replies is paused, not buffered without bound.
        if (replies.size() >= settings.maxQueuedReplies && !receivesSuspended)
        {
            receivesSuspended = true;
            channel.suspendReceives();
        }
    }

    private void resumeReceivesIfDrained()
    {
        if (receivesSuspended && replies.size() < settings.maxQueuedReplies / 2)
        {
            receivesSuspended = false;
            channel.resumeReceives();
        }
    }

    // ---------------------------------------------------------------- closing, IO thread

    /**
     * Sends a close frame after whatever is in flight and drops the connection if the client has not completed
     * the close handshake within the grace period.
     */
    void closeWith(final int code, final String reason)
    {
        if (closing || closed)
        {
            return;
        }
        closing = true;
        replies.clear();
        WebSockets.sendClose(new CloseMessage(code, reason), channel, null);
        channel.getIoThread().executeAfter(this::abort, settings.closeGraceMs, TimeUnit.MILLISECONDS);
    }

    boolean isClosed()
    {
        return closed;
    }

    /**
     * True while a frame waits for the socket to take it (the client is not reading fast enough).
     */
    boolean isUnwritable()
    {
        return null != inFlight;
    }

    int pendingSize()
    {
        return pending.size();
    }

    int subscriptionCount()
    {
        return table.count();
    }

    private void abort()
    {
        IoUtils.safeClose(channel);
    }

    private void onClosed()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (0 != minIntervalNs)
        {
            minIntervalNs = 0;
            dispatcher.counters().sessionsThrottled.decrement();
        }
        final int[] sids = table.subscribedSids();
        if (sids.length > 0)
        {
            final int[] slots = new int[sids.length];
            for (int i = 0; i < sids.length; i++)
            {
                slots[i] = table.remove(sids[i]);
            }
            dispatcher.proxy().unsubscribe(this, sids, slots);
        }
        dispatcher.onSessionClosed(this);
    }

    /**
     * Undertow's receive side: text requests through the bounded reader; binary from a client is not part of the
     * protocol and is answered with an error; ping, pong and close keep Undertow's handling.
     */
    private final class Receiver extends AbstractReceiveListener
    {
        @Override
        protected void onText(final WebSocketChannel webSocketChannel, final StreamSourceFrameChannel message)
        {
            reader.begin(message, Session.this);
        }

        @Override
        protected void onBinary(final WebSocketChannel webSocketChannel, final StreamSourceFrameChannel message)
        {
            reader.begin(message, new InboundMessageReader.Handler()
            {
                @Override
                public void onMessage(final byte[] bytes, final int length)
                {
                    onBadRequest(null, ControlMessageAdapter.BAD_REQUEST, "requests are JSON text messages");
                }

                @Override
                public void onTooLarge()
                {
                    onBadRequest(null, ControlMessageAdapter.BAD_REQUEST, "requests are JSON text messages");
                }

                @Override
                public void onReadError(final IOException ex)
                {
                    abort();
                }
            });
        }

        /**
         * Completes the close handshake and releases the session at once: echo the client's close if the gateway
         * has not sent one, then drop the TCP connection (the server closes first, RFC 6455 7.1.1).
         */
        @Override
        protected void onFullCloseMessage(final WebSocketChannel webSocketChannel, final BufferedBinaryMessage message)
        {
            final CloseMessage close;
            try
            {
                close = new CloseMessage(message.getData().getResource());
            }
            finally
            {
                message.getData().close();
            }
            if (webSocketChannel.isCloseFrameSent())
            {
                abort();
                return;
            }
            closing = true;
            WebSockets.sendClose(close, webSocketChannel, new WebSocketCallback<Void>()
            {
                @Override
                public void complete(final WebSocketChannel channel, final Void context)
                {
                    abort();
                }

                @Override
                public void onError(final WebSocketChannel channel, final Void context, final Throwable throwable)
                {
                    abort();
                }
            });
        }

        @Override
        protected void onError(final WebSocketChannel webSocketChannel, final Throwable error)
        {
            abort();
        }
    }
}

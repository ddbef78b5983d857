package io.tickgate.gateway.session;

import io.tickgate.gateway.conflation.SubscriberWaker;
import io.tickgate.gateway.conflation.Subscriber;
import io.tickgate.protocol.FrameDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tickgate.protocol.WebSocketFrameDescriptor.*;

/**
 * One WebSocket client on an upgraded connection: its subscriptions, what it was last sent, and the bytes it may
 * have in flight.
 * <p>
 * The session writes RFC 6455 frames itself: queued replies and control frames first, then an owed snapshot, then
 * an update frame with the newest value of every pending symbol, all gathered into one write. Nothing new is
 * encoded until the socket has taken the last write; meanwhile new ticks only set pending bits, so a slow client
 * costs memory bounded by its subscriptions and gets fewer, fresher entries. The binary frame is encoded into the
 * IO thread's frame buffer, shared by its sessions, behind room for the longest frame header, which is filled in
 * once the length is known; it is written from there, and only bytes the socket did not take are copied, into
 * the session's own buffer.
 * <p>
 * Control requests (subscribe, unsubscribe, throttle, ping), which allocate, are carried out by its
 * {@link SessionRequests}; what is here allocates nothing per frame.
 * <p>
 * Not thread-safe: everything but {@link #markPending} runs on the session's IO thread; {@link #markPending} runs
 * on the conflator's thread and touches only the {@link PendingSet} and the scheduled flag.
 */
final class Session implements Subscriber, ClientFrameDecoder.Handler
{
    /** Room for the longest server frame header in front of a binary frame's payload. */
    static final int HEADROOM = MAX_SERVER_HEADER_LENGTH;
    /** Most replies gathered into one write, plus one slot for the binary frame behind them. */
    private static final int MAX_GATHER = 16;
    /** Reads stop for a turn of the IO thread after this many bytes (see {@link #onReadable}). */
    static final int MAX_READ_BYTES_PER_TURN = 64 * 1024;
    /** Reads pause while replies of this many bytes wait to be written; they resume below half of it. */
    static final int MAX_QUEUED_REPLY_BYTES = 256 * 1024;
    /** A ping's payload: the session's ping count, big-endian. */
    private static final int PING_PAYLOAD_LENGTH = 8;
    /** Whether the client answers pings: not known yet (paced meanwhile, for at most the probe time), yes, no. */
    private static final byte PONGS_UNKNOWN = 0;
    private static final byte PONGS_ANSWERED = 1;
    private static final byte PONGS_NONE = 2;
    /** Longest requested name a rejection repeats whole. */
    static final int MAX_ECHOED_NAME = 64;
    private static final VarHandle SCHEDULED;

    static
    {
        try
        {
            SCHEDULED = MethodHandles.lookup().findVarHandle(Session.class, "scheduled", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final StreamConnection connection;
    private final ConduitStreamSinkChannel sink;
    /**
     * The conduit under {@link #sink}, written to directly: the channel only forwards to it, and skipping it is one
     * object fewer to bring into cache per write. Taken once: nothing replaces it on an upgraded connection.
     */
    private final StreamSinkConduit out;
    /**
     * The socket under {@link #out} when frames go out with send(2) on {@link #descriptor}
     * ({@link NativeSocketWriter}); null when they go through {@link #out}.
     */
    private final SocketChannel channel;
    private final int descriptor;
    private final ConduitStreamSourceChannel source;
    private final SessionDispatcher dispatcher;
    private final SessionSettings settings;
    private final PendingSet pending;
    /**
     * 1 while the session sits in its dispatcher's wake queue; set by the conflator, cleared by the IO thread,
     * through {@link #SCHEDULED}. A field of the session rather than an AtomicInteger: one object less to bring
     * into cache per frame.
     */
    @SuppressWarnings("unused")
    private volatile int scheduled;
    private final SubscriptionTable table;
    private final ClientFrameDecoder decoder;
    /** The control requests' side: JSON in, replies queued here. */
    private final SessionRequests requests;
    /** Whole frames (header and payload) waiting to go, in order: replies, pongs, the close frame. */
    private final ArrayDeque<ByteBuffer> replies = new ArrayDeque<>();
    /** {@code replies.size()}, kept here so a frame with no replies owed does not touch the queue. */
    private int replyCount;
    /** Bytes of the replies queued or gathered and not yet written. */
    private long queuedReplyBytes;
    /** On the dispatcher's list of sessions to read after the next select. */
    private boolean readContinuationQueued;
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private final ChannelListener<ConduitStreamSinkChannel> writeListener = ignore ->
    {
        try
        {
            onWritable();
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            onInternalError(ex);
        }
    };
    private final ChannelListener<ConduitStreamSourceChannel> readListener = ignore ->
    {
        try
        {
            onReadable();
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            // Out of memory here is this session's request or reply not fitting: it goes (1011), the others stay.
            onInternalError(ex);
        }
    };
    private final Runnable throttleTask = () ->
    {
        try
        {
            onThrottleDue();
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            onInternalError(ex);
        }
    };
    private final Runnable abortTask = this::abort;

    /**
     * Where the queued binary frame is, header and payload between position and limit: the dispatcher's frame buffer
     * while the pump that encoded it writes it, else (what the socket did not take) {@link #ownFrame}. A flag rather
     * than a reference to the buffer: a reference stored into every session per frame dirties a card per session
     * for G1. (Most of the refinement work measured at 10,000 sessions came from the JDK's socket write lock
     * instead, which this cannot avoid; see the launcher's {@code -XX:G1ConcRefinementThreads=0}.)
     */
    private boolean frameInOwnBuffer;
    /**
     * What the socket did not take of a frame, kept until it is writable again; allocated the first time that
     * happens. Encoding into the IO thread's one buffer keeps the bytes written hot in cache: with a buffer per
     * session, each frame was encoded into and copied by the kernel from memory cold since that session's last one.
     */
    private ByteBuffer ownFrame;

    /** The unwritten replies are gather[gatherIndex, gatherCount); the frame buffer follows them when queued. */
    private int gatherIndex;
    private int gatherCount;
    /**
     * The binary frame is queued behind the replies. Kept apart from the gather array so the common write, a frame
     * alone, stores no reference: a reference store into a session's array per frame dirties a card per session
     * for G1 to refine, which cost a tenth of the CPU with 10,000 sessions.
     */
    private boolean frameQueued;
    private long inFlightSinceNs;
    /** When the socket last took all it had refused, or when the session began: see FrameAssembler.encodeUpdates. */
    private long socketFreeSinceNs = System.nanoTime();
    private long frameSeq;
    private long lastBinaryNs;
    private long minIntervalNs;
    private long throttleDueNs = Long.MAX_VALUE;
    private boolean snapshotOwed;
    private boolean heartbeatOwed;
    private boolean readsSuspended;
    /** A close frame is queued or sent: nothing more is queued after it. */
    private boolean closing;
    /** The client's close frame arrived or the connection failed: drop the connection once the writes are out. */
    private boolean dropAfterWrite;
    private boolean closeSent;
    private boolean closed;
    /**
     * Pacing by the client's pongs. Bytes of frames put on this session's stream, in order. A ping goes out at most
     * once a {@link SessionSettings#pingIntervalNs} while data flows, and its pong says the client has read
     * everything before it. No update or snapshot is put out while {@link #holdBytes} are unconfirmed: twice what
     * the client confirmed per interval at its last pong, at least {@link SessionSettings#minPaceWindowBytes}. The
     * values wait here meanwhile, conflated, instead of queueing, stale, in buffers the gateway cannot see (the
     * client's own, a proxy's); a client that keeps up is never held. A client that answers no ping is not paced.
     */
    private long streamBytes;
    /** Stream position just past the ping awaiting its pong, or of the last one answered. */
    private long pingEnd;
    private long confirmedBytes;
    private long holdBytes;
    private long lastPingNs;
    private long lastPongNs;
    private long pingCount;
    private boolean pingOutstanding;
    /** When the first ping went out; a client that has not answered it a probe's time later is not paced. */
    private long firstPingNs;
    /** {@link #PONGS_UNKNOWN} until the first ping is answered or its probe time runs out. */
    private byte answersPings = PONGS_UNKNOWN;
    /** When a binary frame was first held back for want of a pong; 0 while none is. */
    private long pacedSinceNs;

    Session(final StreamConnection connection, final SessionDispatcher dispatcher, final SessionSettings settings)
    {
        this.connection = connection;
        this.sink = connection.getSinkChannel();
        this.out = sink.getConduit();
        final SocketChannel socket = settings.nativeWrites ? NativeSocketWriter.channelOf(out) : null;
        final int fd = null == socket ? -1 : NativeSocketWriter.descriptorOf(socket);
        this.channel = fd < 0 ? null : socket;
        this.descriptor = fd;
        this.source = connection.getSourceChannel();
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.pending = new PendingSet(settings.maxSubscriptions);
        this.table = new SubscriptionTable(settings.maxSubscriptions);
        this.decoder = new ClientFrameDecoder(settings.maxTextMessageBytes);
        this.requests = new SessionRequests(this, dispatcher);
        this.lastBinaryNs = System.nanoTime();
        this.lastPingNs = lastBinaryNs;
        this.lastPongNs = lastBinaryNs;
        this.holdBytes = settings.minPaceWindowBytes;
    }

    void start()
    {
        sink.getWriteSetter().set(writeListener);
        source.getReadSetter().set(readListener);
        source.resumeReads();
    }

    // ---------------------------------------------------------------- the conflator's thread

    @Override
    public SubscriberWaker markPending(final int slot)
    {
        // A slot still marked is already due to be taken: the session is scheduled, or its pump will run when its
        // write completes or its throttle timer fires.
        if (pending.mark(slot) && 0 == scheduled && SCHEDULED.compareAndSet(this, 0, 1))
        {
            dispatcher.enqueue(this);
            return dispatcher;
        }
        return null;
    }

    // ---------------------------------------------------------------- IO thread: output

    /**
     * Reads ahead what the next frames of these sessions will read: each session, its pending marks, its table and
     * the per-slot state of the slots about to be sent. After a round over a thousand sessions that state is out of
     * cache; read here, one session after another with nothing in between, the misses of many sessions are
     * outstanding at once, where each frame's encoding would meet them one at a time. Returns a sum of what it read,
     * for the caller to keep so the reads are not optimised away.
     */
    static long readAhead(final Session[] sessions, final int count)
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            final Session session = sessions[i];
            sum += session.frameSeq + session.pending.peekFirstWord() + session.table.readAheadArrays()
                + (null != session.channel ? (session.channel.isOpen() ? 1 : 0) :
                null == session.out.getWriteThread() ? 1 : 0);
        }
        for (int i = 0; i < count; i++)
        {
            final Session session = sessions[i];
            sum += session.table.readAheadSlots(session.pending.peekFirstWord());
        }
        return sum;
    }

    /**
     * Called by the dispatcher after the conflator woke it for this session.
     */
    void onWake()
    {
        // Cleared before the pending bits are taken, so a mark that comes after the take schedules us again.
        scheduled = 0;
        try
        {
            pump();
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            // Caught here, not in the drain: the drain goes on to the sessions after this one. Out of memory is
            // this session's frame buffer not fitting in direct memory: this session goes, the others stay.
            onInternalError(ex);
        }
    }

    void pump()
    {
        try
        {
            while (!closed && !isUnwritable() && gatherOutput())
            {
                if (!writeGathered())
                {
                    return;
                }
                if (closeSent && dropAfterWrite)
                {
                    abort();
                    return;
                }
                if (0 != scheduled)
                {
                    // Marked again while it wrote (a conflator on another thread) and so queued again: it goes on
                    // after the sessions queued before it, so that one fast reader of fast symbols cannot keep
                    // its IO thread to itself.
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            abort();
        }
    }

    /**
     * Fills the gather array with what is owed, in order; returns false when nothing is.
     */
    private boolean gatherOutput()
    {
        gatherIndex = 0;
        gatherCount = 0;
        final long nowNs = System.nanoTime();
        if (!pingOutstanding && !closing && pingDue(nowNs))
        {
            queuePing(nowNs);
        }
        if (0 != replyCount)
        {
            gatherReplies();
        }
        // A binary frame never overtakes a reply (the snapshot must follow "subscribed") nor follows a close.
        if (!closing && 0 == replyCount)
        {
            final int length = encodeBinaryFrame(nowNs, heldForPong(nowNs));
            if (length > 0)
            {
                final int headerLength = serverHeaderLength(length);
                final ByteBuffer frame = dispatcher.frameBuffer();
                putServerHeader(frame, HEADROOM - headerLength, OPCODE_BINARY, length);
                frame.limit(HEADROOM + length).position(HEADROOM - headerLength);
                frameInOwnBuffer = false;
                frameQueued = true;
                streamBytes += headerLength + length;
            }
        }
        return gatherCount > 0 || frameQueued;
    }

    private void gatherReplies()
    {
        while (gatherCount < MAX_GATHER - 1 && 0 != replyCount)
        {
            final ByteBuffer reply = replies.poll();
            replyCount--;
            final int opcode = reply.get(0) & OPCODE_MASK;
            if (OPCODE_CLOSE == opcode)
            {
                closeSent = true;
            }
            streamBytes += reply.remaining();
            if (OPCODE_PING == opcode)
            {
                pingEnd = streamBytes;
            }
            gather[gatherCount++] = reply;
        }
        resumeReadsIfDrained();
    }

    /**
     * Encodes the snapshot, an update or a heartbeat, whichever is owed first; returns its length, 0 for none.
     * While market data waits for a pong only a heartbeat can go.
     */
    private int encodeBinaryFrame(final long nowNs, final boolean heldForPong)
    {
        final FrameAssembler assembler = dispatcher.assembler();
        final UnsafeBuffer frameView = dispatcher.frameView(Math.max(table.maxEntries(), 1));
        final long nowEpochNs = dispatcher.epochNanoTime(nowNs);
        int length = 0;
        // Held, the pending marks stay for the pong's pump to take.
        if (snapshotOwed && !heldForPong)
        {
            snapshotOwed = false;
            length = assembler.encodeSnapshot(table, frameView, frameSeq + 1, nowNs, nowEpochNs);
        }
        else if (!heldForPong)
        {
            pending.takeInto(table.dirty);
            if (table.hasDirty())
            {
                length = assembler.encodeUpdates(
                    table, frameView, frameSeq + 1, nowNs, nowEpochNs, minIntervalNs, socketFreeSinceNs);
                scheduleThrottle(assembler.nextDueNs(), nowNs);
                if (length > 0)
                {
                    dispatcher.countConflated(assembler.conflated());
                }
            }
        }
        if (0 == length && heartbeatOwed)
        {
            length = assembler.encodeHeartbeat(frameView, frameSeq + 1, nowEpochNs);
            dispatcher.counters().heartbeatsSent.increment();
        }
        if (length > 0)
        {
            heartbeatOwed = false;
            frameSeq++;
            lastBinaryNs = nowNs;
            dispatcher.countFrame((length - FrameDescriptor.HEADER_LENGTH) / FrameDescriptor.ENTRY_LENGTH, length);
        }
        return length;
    }

    /**
     * Writes what is gathered; returns true when the socket took all of it, else waits for it to be writable.
     */
    private boolean writeGathered() throws IOException
    {
        final int gatheredReplies = gatherCount - gatherIndex;
        if (0 == gatheredReplies)
        {
            if (frameQueued)
            {
                writeFrame(queuedFrame());
            }
        }
        else if (!frameQueued)
        {
            out.write(gather, gatherIndex, gatheredReplies);
        }
        else
        {
            gather[gatherCount] = queuedFrame();
            out.write(gather, gatherIndex, gatheredReplies + 1);
            gather[gatherCount] = null;
        }
        while (gatherIndex < gatherCount && !gather[gatherIndex].hasRemaining())
        {
            queuedReplyBytes -= gather[gatherIndex].limit();
            gather[gatherIndex++] = null;
        }
        if (frameQueued && gatherIndex == gatherCount && !queuedFrame().hasRemaining())
        {
            frameQueued = false;
        }
        if (frameQueued)
        {
            keepFrame();
        }
        if (isUnwritable() || (null == channel && !out.flush()))
        {
            inFlightSinceNs = System.nanoTime();
            sink.resumeWrites();
            return false;
        }
        gatherIndex = 0;
        gatherCount = 0;
        resumeReadsIfDrained();
        return true;
    }

    /**
     * Writes a lone binary frame, the common write: with send(2) when the session can, else through the conduit.
     * The open check makes the descriptor safe to use (see {@link NativeSocketWriter}): the connection is closed only
     * on this thread ({@link #abort()}, XNIO's own closes), so a channel open here keeps its descriptor until this
     * thread closes it.
     */
    private void writeFrame(final ByteBuffer frame) throws IOException
    {
        if (null != channel)
        {
            if (!channel.isOpen())
            {
                throw new ClosedChannelException();
            }
            NativeSocketWriter.write(descriptor, frame);
        }
        else
        {
            out.write(frame);
        }
    }

    private void onWritable()
    {
        try
        {
            if (writeGathered())
            {
                socketFreeSinceNs = System.nanoTime();
                sink.suspendWrites();
                if (closeSent && dropAfterWrite)
                {
                    abort();
                    return;
                }
                pump();
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
        try
        {
            housekeep(nowNs);
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            onInternalError(ex);
        }
    }

    private void housekeep(final long nowNs)
    {
        if (closed)
        {
            return;
        }
        if (isUnwritable())
        {
            if (!closing && nowNs - inFlightSinceNs > settings.slowConsumerTimeoutNs)
            {
                closeAsSlowConsumer();
            }
            return;
        }
        if (0 != pacedSinceNs && !closing)
        {
            if (PONGS_ANSWERED == answersPings && nowNs - pacedSinceNs > settings.slowConsumerTimeoutNs)
            {
                // It has not read what it was sent: it takes nothing new, as if its socket were unwritable.
                closeAsSlowConsumer();
                return;
            }
            if (PONGS_UNKNOWN == answersPings && nowNs - firstPingNs > settings.pongProbeNs)
            {
                // No pong to its first ping: a client that answers none is sent what its socket takes.
                answersPings = PONGS_NONE;
                releasePace();
            }
        }
        if (!closing && nowNs - lastBinaryNs >= settings.heartbeatNs)
        {
            heartbeatOwed = true;
            pump();
        }
    }

    /**
     * Moves the unwritten rest of a frame out of the dispatcher's buffer, which the next session encodes into.
     */
    private void keepFrame()
    {
        if (frameInOwnBuffer)
        {
            return;
        }
        final ByteBuffer frame = dispatcher.frameBuffer();
        final int remaining = frame.remaining();
        if (null == ownFrame || ownFrame.capacity() < remaining)
        {
            ownFrame = ByteBuffer.allocateDirect(
                Math.max(remaining, HEADROOM + FrameDescriptor.frameLength(Math.max(table.count(), 4))));
        }
        ownFrame.clear();
        ownFrame.put(frame).flip();
        frameInOwnBuffer = true;
    }

    private ByteBuffer queuedFrame()
    {
        return frameInOwnBuffer ? ownFrame : dispatcher.frameBuffer();
    }

    private void closeAsSlowConsumer()
    {
        dispatcher.counters().slowConsumerCloses.increment();
        closeWith(CLOSE_POLICY_VIOLATION, "slow consumer");
    }

    private void scheduleThrottle(final long dueNs, final long nowNs)
    {
        if (Long.MAX_VALUE == dueNs || dueNs >= throttleDueNs)
        {
            return;
        }
        throttleDueNs = dueNs;
        final long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueNs - nowNs + 999_999));
        connection.getIoThread().executeAfter(throttleTask, delayMs, TimeUnit.MILLISECONDS);
    }

    private void onThrottleDue()
    {
        throttleDueNs = Long.MAX_VALUE;
        pump();
    }

    // ---------------------------------------------------------------- IO thread: input

    /**
     * Runs the read listener again, for a session whose last turn ended at {@link #MAX_READ_BYTES_PER_TURN}.
     */
    void continueReading()
    {
        readContinuationQueued = false;
        if (closed)
        {
            return;
        }
        if (!readsSuspended)
        {
            source.resumeReads();
        }
        readListener.handleEvent(source);
    }

    /**
     * Stops reading this connection until the IO thread's next select has been served, then reads on: the rest of
     * what it sent waits in the socket, and the selector does not report it meanwhile.
     */
    private void readAfterNextSelect()
    {
        if (!readContinuationQueued)
        {
            readContinuationQueued = true;
            source.suspendReads();
            dispatcher.readAfterNextSelect(this);
        }
    }

    private void onReadable()
    {
        final long startNs = System.nanoTime();
        if (!dispatcher.mayRead(startNs))
        {
            // Many connections sending costly requests at once: the thread's share for reading is spent. Not read
            // again until after the next select (reporting it at every select meanwhile would spin the thread).
            readAfterNextSelect();
            return;
        }
        try
        {
            readTurn();
        }
        finally
        {
            dispatcher.spentReading(System.nanoTime() - startNs);
        }
    }

    private void readTurn()
    {
        final ByteBuffer buffer = dispatcher.readBuffer();
        int budget = MAX_READ_BYTES_PER_TURN;
        try
        {
            while (!readsSuspended && !closed)
            {
                if (budget <= 0)
                {
                    // A client that sends without pause (requests costly to parse, an endless oversized message)
                    // must not keep its IO thread, and so every other session's frames, from the others: the rest
                    // is read after the thread's next select.
                    readAfterNextSelect();
                    return;
                }
                buffer.clear();
                final int read = source.read(buffer);
                if (-1 == read)
                {
                    // The client went away without (or after) the close handshake.
                    abort();
                    return;
                }
                if (0 == read)
                {
                    return;
                }
                budget -= read;
                buffer.flip();
                if (!decoder.onBytes(buffer, this))
                {
                    // After the client's close or a protocol error nothing it sends matters; EOF still closes.
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            abort();
        }
    }

    @Override
    public void onText(final byte[] bytes, final int length)
    {
        if (!closing)
        {
            dispatcher.adapter().onMessage(bytes, length, requests);
        }
    }

    @Override
    public void onTextTooLarge()
    {
        dispatcher.counters().tooLargeRequests.increment();
        requests.reply(requests.error(null, ControlMessageAdapter.TOO_LARGE,
            "a text message may have at most " + settings.maxTextMessageBytes + " bytes"));
        pump();
    }

    @Override
    public void onBinary()
    {
        requests.onBadRequest(null, ControlMessageAdapter.BAD_REQUEST, "requests are JSON text messages");
    }

    @Override
    public void onPing(final byte[] payload, final int length)
    {
        queueFrame(serverFrame(OPCODE_PONG, payload, length));
        pump();
    }

    /**
     * The client has read everything up to the ping this pong answers: frames held back for it may go. A pong
     * that answers no ping of this session's (RFC 6455 allows unsolicited ones) changes nothing.
     */
    @Override
    public void onPong(final byte[] payload, final int length)
    {
        if (!pingOutstanding || PING_PAYLOAD_LENGTH != length ||
            pingCount != ByteBuffer.wrap(payload, 0, PING_PAYLOAD_LENGTH).getLong() ||
            PONGS_NONE == answersPings)
        {
            // Taken to answer none, it was sent what its socket took since: a late pong cannot tell how far behind
            // it is, so it stays unpaced (and is sent no more pings).
            return;
        }
        final long nowNs = System.nanoTime();
        // Twice what it read per interval since the last pong: a client that keeps up is never held, one that
        // falls behind holds about two intervals of its own reading.
        final double readPerInterval = (double)(pingEnd - confirmedBytes) * settings.pingIntervalNs /
            Math.max(1, nowNs - lastPongNs);
        holdBytes = Math.max(settings.minPaceWindowBytes, (long)Math.min(2 * readPerInterval, Long.MAX_VALUE / 2));
        lastPongNs = nowNs;
        pingOutstanding = false;
        answersPings = PONGS_ANSWERED;
        confirmedBytes = pingEnd;
        if (0 != pacedSinceNs && !heldForPong(nowNs))
        {
            releasePace();
        }
    }

    /**
     * A ping is due once an interval has passed with data flowing (idle sessions' heartbeats alone earn none for
     * a long while), or at once when frames are held for want of one. The first goes as soon as data flows, so
     * that even a slow reader reaches it within the probe time.
     */
    private boolean pingDue(final long nowNs)
    {
        final long unpinged = streamBytes - pingEnd;
        return unpinged >= settings.minPingBytes && (0 == pingCount ||
            nowNs - lastPingNs >= settings.pingIntervalNs || streamBytes - confirmedBytes >= holdBytes);
    }

    private void releasePace()
    {
        pacedSinceNs = 0;
        // What waited was the client's, not the gateway's (FrameAssembler.encodeUpdates).
        socketFreeSinceNs = System.nanoTime();
        pump();
    }

    private void queuePing(final long nowNs)
    {
        pingOutstanding = true;
        lastPingNs = nowNs;
        if (0 == pingCount)
        {
            firstPingNs = nowNs;
        }
        pingCount++;
        final byte[] payload = ByteBuffer.allocate(PING_PAYLOAD_LENGTH).putLong(pingCount).array();
        queueFrame(serverFrame(OPCODE_PING, payload, PING_PAYLOAD_LENGTH));
    }

    /**
     * Whether updates and snapshots wait for a pong: the client answers pings, or may (its first ping not answered
     * yet, within the probe time), and has not confirmed {@link #holdBytes} of what was put out. Notes when the
     * wait began, for the slow-consumer check. Pacing from the start keeps a client's first seconds within the
     * window too: unpaced until its first pong, a slow client could be sent megabytes before it.
     */
    private boolean heldForPong(final long nowNs)
    {
        if (PONGS_NONE == answersPings || streamBytes - confirmedBytes < holdBytes)
        {
            return false;
        }
        if (0 == pacedSinceNs)
        {
            pacedSinceNs = nowNs;
        }
        return true;
    }

    /**
     * The client's close: answer it with the same code unless the gateway's own close is already queued, then drop
     * the connection once that close is written (the server closes TCP first, RFC 6455 7.1.1).
     */
    @Override
    public void onClose(final int code, final String reason)
    {
        dropAfterWrite = true;
        if (!closing)
        {
            closing = true;
            replaceRepliesWith(-1 == code ? serverFrame(OPCODE_CLOSE, new byte[0], 0) : closeFrame(code, ""));
            final boolean timed = scheduleAbortAfterGrace();
            releaseSubscriptions();
            if (!timed)
            {
                // The IO thread is stopping: the answer goes now if the socket takes it, and the connection at once.
                pump();
                abort();
                return;
            }
        }
        if (closeSent && !isUnwritable())
        {
            abort();
            return;
        }
        pump();
    }

    /**
     * The client broke RFC 6455: send a close with the reason and drop the connection once it is written.
     */
    @Override
    public void onProtocolError(final int closeCode, final String reason)
    {
        dispatcher.counters().protocolErrors.increment();
        if (closing)
        {
            abort();
            return;
        }
        dropAfterWrite = true;
        closeWith(closeCode, reason);
    }

    // ---------------------------------------------------------------- for SessionRequests, IO thread

    SubscriptionTable table()
    {
        return table;
    }

    /** The next write sends a snapshot of every subscribed symbol before any update. */
    void owesSnapshot()
    {
        snapshotOwed = true;
    }

    long minIntervalNs()
    {
        return minIntervalNs;
    }

    void minIntervalNs(final long minIntervalNs)
    {
        this.minIntervalNs = minIntervalNs;
    }

    void queueFrame(final ByteBuffer frame)
    {
        if (closing)
        {
            return;
        }
        replies.add(frame);
        replyCount++;
        queuedReplyBytes += frame.remaining();
        // A client that sends faster than it reads its replies is paused, not buffered without bound: by count,
        // and by bytes, since a short request can have a long reply (4,096 unknown names in 24 KiB, ~200 KiB).
        if ((replyCount >= settings.maxQueuedReplies || queuedReplyBytes >= MAX_QUEUED_REPLY_BYTES) &&
            !readsSuspended)
        {
            readsSuspended = true;
            source.suspendReads();
        }
    }

    private void resumeReadsIfDrained()
    {
        if (readsSuspended && replyCount < settings.maxQueuedReplies / 2 &&
            queuedReplyBytes < MAX_QUEUED_REPLY_BYTES / 2 && !closed)
        {
            readsSuspended = false;
            source.resumeReads();
            // Bytes may already wait in the socket; the selector reports them again once reads resume.
        }
    }

    /**
     * Drops the replies not yet gathered for one that must go next (the close frame).
     */
    private void replaceRepliesWith(final ByteBuffer frame)
    {
        replies.clear();
        replies.add(frame);
        replyCount = 1;
        queuedReplyBytes = frame.remaining();
        for (int i = gatherIndex; i < gatherCount; i++)
        {
            queuedReplyBytes += gather[i].limit();
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
        replaceRepliesWith(closeFrame(code, reason));
        final boolean timed = scheduleAbortAfterGrace();
        releaseSubscriptions();
        if (!timed)
        {
            // The IO thread is stopping and times nothing more (a session upgraded as the gateway stops): the close
            // goes now if the socket takes it, and the connection is dropped right after, or at once if it cannot.
            dropAfterWrite = true;
            pump();
            abort();
            return;
        }
        pump();
    }

    /**
     * A bug met while serving this session (PROTOCOL.md 1.5, 1011): the gateway's error handler logs it and counts it
     * in {@code tickgate_errors_total}; the session is closed with 1011 "internal error" and its connection dropped
     * once that close is written, or after the close grace. Nothing it owed is trusted any more; the IO thread's
     * other sessions go on.
     */
    private void onInternalError(final Throwable ex)
    {
        dispatcher.onError(ex);
        if (closed)
        {
            return;
        }
        if (closing || (frameQueued && !frameInOwnBuffer))
        {
            // A frame still in the IO thread's buffer may be partly on the wire (its copy failed): no close frame
            // can follow it, and the next session encodes over its rest.
            abort();
            return;
        }
        dropAfterWrite = true;
        try
        {
            closeWith(CLOSE_INTERNAL_ERROR, "internal error");
            if (!closed && isUnwritable() && !sink.isWriteResumed())
            {
                // Replies gathered before the failure (the "subscribed" before a snapshot's encoding) wait for a
                // write no one asked for: the write listener sends them, then the close.
                inFlightSinceNs = System.nanoTime();
                sink.resumeWrites();
            }
        }
        catch (final RuntimeException again)
        {
            dispatcher.onError(again);
            abort();
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    /**
     * True once either side began the close: the session sends no more market data.
     */
    boolean isClosing()
    {
        return closing;
    }

    /**
     * True while written bytes wait for the socket to take them (the client is not reading fast enough).
     */
    boolean isUnwritable()
    {
        return gatherIndex < gatherCount || frameQueued;
    }

    /**
     * True while binary frames wait for the client's pong (see {@link #heldForPong(long)}).
     */
    boolean isPaced()
    {
        return 0 != pacedSinceNs;
    }

    long queuedReplyBytes()
    {
        return queuedReplyBytes;
    }

    /**
     * Symbols updated and not written yet: marked by the conflator, or taken and held back by the throttle.
     */
    int pendingSize()
    {
        return pending.sizeWith(table.dirty);
    }

    int subscriptionCount()
    {
        return table.count();
    }

    /**
     * Drops the connection after the close grace unless the handshake completes first. False when the IO thread is
     * already stopping and takes no more timers: the caller drops it once its close is written, and the thread
     * closes whatever is left as it ends.
     */
    private boolean scheduleAbortAfterGrace()
    {
        try
        {
            connection.getIoThread().executeAfter(abortTask, settings.closeGraceMs, TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            return false;
        }
    }

    private void abort()
    {
        // On any other thread, the close could free the descriptor between a send's open check and the send, and
        // a new connection given the same number would receive this session's bytes (NativeSocketWriter).
        assert connection.getIoThread() == Thread.currentThread() : "session closed off its IO thread";
        IoUtils.safeClose(connection);
    }

    /**
     * Called once the connection is closed, whoever closed it.
     */
    void onClosed()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        // The connection may close in the middle of a read (a write failing under it): the rest of what was read
        // must not subscribe or throttle a session that has released everything.
        closing = true;
        releaseSubscriptions();
        dispatcher.onSessionClosed(this);
    }

    /**
     * Gives up the session's subscriptions and throttle: once it is closing it sends no more market data, so they
     * go at once rather than when the connection closes, which for a client that stopped reading is the close
     * grace later. Does nothing the second time.
     */
    private void releaseSubscriptions()
    {
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
    }
}

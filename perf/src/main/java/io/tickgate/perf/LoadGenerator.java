package io.tickgate.perf;

import io.tickgate.protocol.WebSocketFrameDescriptor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickgate.simulator.CalibratedEpochNanoClock;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs one load test on the calling thread: opens the planned connections in batches on one {@link Selector},
 * upgrades each to a WebSocket, subscribes it, lets the warm-up pass, measures for the duration, then closes every
 * connection with a close handshake.
 * <p>
 * Receive time is taken once per socket read, not per entry: the entries of one read arrived together, and a clock
 * read per entry would only add the client's own decode time to the figures. Nothing else runs on this thread between
 * reads for long: each second's histograms are written by {@link IntervalLog} on its own thread.
 * <p>
 * Not thread-safe: one thread runs {@link #run()}; every field is owned by it.
 */
final class LoadGenerator
{
    /** Connections still connecting or upgrading at once; more would only queue in the server's accept backlog. */
    static final int MAX_IN_FLIGHT_CONNECTS = 256;
    static final int CONNECT_BATCH = 64;
    static final long CONNECT_PHASE_LIMIT_NS = 120_000_000_000L;
    static final long CLOSE_PHASE_LIMIT_NS = 5_000_000_000L;
    static final long INTERVAL_NS = 1_000_000_000L;
    private static final int READ_BUFFER_BYTES = 256 * 1024;

    /**
     * Descriptors held from the start and given back when a connection first fails for want of one: what the run
     * still opens after that (a class loaded from a directory of the class path, as in the tests; the summary, the
     * log) would otherwise fail with the connections holding every descriptor. Few, since each is a connection
     * the run cannot open: a class is read through one at a time, and the outputs are written once the connections
     * are closed.
     */
    static final int RESERVED_DESCRIPTORS = 4;

    private final LoadTestSettings settings;
    private final SubscriptionPlan plan;
    private final FrameRecorder recorder;
    private final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock();
    private final Connection[] connections;
    private final byte[][] subscribeRequests;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final ByteBuffer controlPayload = ByteBuffer.allocate(WebSocketFrameDescriptor.MAX_CONTROL_PAYLOAD);
    private final PrintWriter log;
    /**
     * Taken before any socket is opened: the first use loads a native library, which needs a file descriptor that a
     * run of many connections may have used up by the time it measures.
     */
    private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final long maxFileDescriptors = maxFileDescriptors(os);

    private Selector selector;
    /** Open on /dev/null until the connections run out of descriptors; see {@link #RESERVED_DESCRIPTORS}. */
    private final List<FileChannel> reserve = new ArrayList<>();
    private ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private UnsafeBuffer readView = new UnsafeBuffer(readBuffer);
    private long receiveEpochNs;
    private int started;
    private int inFlight;
    private int open;
    private int closed;

    long connectFailures;
    /** Of {@link #connectFailures}, those for want of a file descriptor (EMFILE): the limit, not the server. */
    long descriptorFailures;
    long upgradeFailures;
    long protocolErrors;
    long serverCloses;
    long abnormalCloses;
    long forcedCloses;
    long textMessages;
    long errorReplies;
    long subscribedReplies;
    long rejectedSymbols;
    long pingsAnswered;
    long connectNs;
    long measuredNs;
    /** -1 until the window is measured, and where the JVM cannot say; so is each of the next two. */
    long threadCpuNs = -1;
    long processCpuNs = -1;
    long allocatedBytes = -1;
    int peakOpen;
    int openAtMeasureEnd;
    long slowestSessionEntries;

    LoadGenerator(final LoadTestSettings settings, final SubscriptionPlan plan, final PrintWriter log)
    {
        this.settings = settings;
        this.plan = plan;
        this.log = log;
        this.recorder = new FrameRecorder(plan.symbolIndexBySid());
        this.connections = new Connection[plan.connections()];
        this.subscribeRequests = new byte[plan.connections()][];
        for (int i = 0; i < connections.length; i++)
        {
            connections[i] = new Connection(this, i, new SessionTally(
                plan.firstSymbolIndex(i), plan.symbolsPerConnection(), plan.symbolCount()));
            subscribeRequests[i] = plan.subscribeRequest(i).getBytes(StandardCharsets.UTF_8);
        }
    }

    FrameRecorder recorder()
    {
        return recorder;
    }

    Connection[] connections()
    {
        return connections;
    }

    int openConnections()
    {
        return open;
    }

    /**
     * Connects, warms up, measures and closes; returns when every connection is closed, at once when none opened.
     */
    void run(final HistogramLogWriter hlog) throws IOException
    {
        selector = Selector.open();
        final IntervalLog intervals = new IntervalLog(recorder, hlog);
        try
        {
            reserveDescriptors();
            connectAll();
            // With nothing open there is nothing to warm up or measure: waiting out both would only delay the failure.
            if (open > 0)
            {
                intervals.start();
                warmUp(intervals);
                measure(intervals);
            }
            closeAll();
        }
        finally
        {
            intervals.close();
            for (final Connection connection : connections)
            {
                if (Connection.State.CLOSED != connection.state && null != connection.channel)
                {
                    forcedCloses++;
                    close(connection);
                }
            }
            selector.close();
            releaseReserve();
        }
    }

    private void connectAll() throws IOException
    {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + CONNECT_PHASE_LIMIT_NS;
        long nextReportNs = startNs + 5 * INTERVAL_NS;
        while (open + closed < connections.length && System.nanoTime() < deadlineNs)
        {
            int batch = 0;
            while (started < connections.length && inFlight < MAX_IN_FLIGHT_CONNECTS && batch++ < CONNECT_BATCH)
            {
                startConnect(connections[started++]);
            }
            selector.select(onSelected, 10);
            if (System.nanoTime() > nextReportNs)
            {
                log.printf("tickgate loadtest: %d of %d connections open%n", open, connections.length);
                log.flush();
                nextReportNs += 5 * INTERVAL_NS;
            }
        }
        connectNs = System.nanoTime() - startNs;
        log.printf("tickgate loadtest: %d connections open in %.1f s (%d failed to connect, %d to upgrade)%n",
            open, connectNs / 1e9, connectFailures, upgradeFailures);
        if (descriptorFailures > 0)
        {
            log.printf("tickgate loadtest: %d connections failed: too many open files (the limit is %s; raise " +
                "ulimit -n)%n", descriptorFailures, maxFileDescriptors < 0 ? "unknown" : maxFileDescriptors);
        }
        log.flush();
    }

    /**
     * Reads through the warm-up, ending an interval each second as the measured window will (not counted), so that
     * ending one costs the measured window what it will cost from then on.
     */
    private void warmUp(final IntervalLog intervals) throws IOException
    {
        readFor(settings.warmupNs(), intervals, false);
    }

    /**
     * Reads every connection for {@code durationNs}, handing each second's interval to {@code intervals} (and the
     * last, shorter one) as {@code measured} or not, and recalibrating the receive clock after each.
     */
    private void readFor(final long durationNs, final IntervalLog intervals, final boolean measured)
        throws IOException
    {
        final long startNs = System.nanoTime();
        final long endNs = startNs + durationNs;
        long intervalStartMs = System.currentTimeMillis();
        long nextIntervalNs = startNs + INTERVAL_NS;
        long nowNs = startNs;
        while (nowNs < endNs)
        {
            selector.select(onSelected, Math.max(1, Math.min(endNs, nextIntervalNs) - nowNs) / 1_000_000 + 1);
            nowNs = System.nanoTime();
            if (nowNs >= nextIntervalNs || nowNs >= endNs)
            {
                final long nowMs = System.currentTimeMillis();
                intervals.endInterval(intervalStartMs, nowMs, measured);
                intervalStartMs = nowMs;
                nextIntervalNs += INTERVAL_NS;
                clock.recalibrate();
            }
        }
    }

    private void measure(final IntervalLog intervals) throws IOException
    {
        recorder.resetCounts();
        for (final Connection connection : connections)
        {
            connection.tally.resetCounts();
        }
        final long threadCpuStartNs = threads.getCurrentThreadCpuTime();
        final long allocatedStart = allocatedBytes(threads);
        final long processCpuStartNs = processCpuTimeNs();
        // A supervising process (perf/run-side-by-side) samples CPU between this line and the one after the window.
        log.printf(Locale.ROOT, "tickgate loadtest: measuring for %.1f s%n", settings.durationNs() / 1e9);
        log.flush();
        final long startNs = System.nanoTime();
        readFor(settings.durationNs(), intervals, true);
        measuredNs = System.nanoTime() - startNs;
        threadCpuNs = difference(threadCpuStartNs, threads.getCurrentThreadCpuTime());
        allocatedBytes = difference(allocatedStart, allocatedBytes(threads));
        processCpuNs = difference(processCpuStartNs, processCpuTimeNs());
        recorder.recording = false;
        // The last interval folded into the totals and written before anyone reads them.
        intervals.close();
        openAtMeasureEnd = open;
        slowestSessionEntries = slowestOpenSessionEntries();
        log.printf(Locale.ROOT, "tickgate loadtest: measured %.1f s with %d connections open%n",
            measuredNs / 1e9, open);
        log.flush();
    }

    private void closeAll() throws IOException
    {
        for (final Connection connection : connections)
        {
            if (Connection.State.OPEN == connection.state)
            {
                sendClose(connection, 1000);
            }
            else if (Connection.State.CONNECTING == connection.state || Connection.State.UPGRADING == connection.state)
            {
                close(connection);
            }
        }
        final long deadlineNs = System.nanoTime() + CLOSE_PHASE_LIMIT_NS;
        while (closed < started && System.nanoTime() < deadlineNs)
        {
            selector.select(onSelected, 10);
        }
    }

    private static long difference(final long start, final long end)
    {
        return start < 0 || end < 0 ? -1 : end - start;
    }

    /**
     * Bytes this thread allocated so far, or -1 where the JVM cannot say: proves the per-frame path allocates nothing
     * (what remains is handing over the once-a-second interval, and clock recalibration).
     */
    private static long allocatedBytes(final java.lang.management.ThreadMXBean threads)
    {
        if (threads instanceof com.sun.management.ThreadMXBean)
        {
            final com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean)threads;
            return hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled() ?
                hotspot.getCurrentThreadAllocatedBytes() : -1;
        }
        return -1;
    }

    private long processCpuTimeNs()
    {
        return os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : -1;
    }

    private static long maxFileDescriptors(final java.lang.management.OperatingSystemMXBean os)
    {
        return os instanceof com.sun.management.UnixOperatingSystemMXBean ?
            ((com.sun.management.UnixOperatingSystemMXBean)os).getMaxFileDescriptorCount() : -1;
    }

    private void startConnect(final Connection connection)
    {
        inFlight++;
        try
        {
            final SocketChannel channel = SocketChannel.open();
            connection.channel = channel;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            connection.out = ByteBuffer.allocate(Math.max(1024, subscribeRequests[connection.index].length + 512));
            connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
            if (channel.connect(new InetSocketAddress(settings.host(), settings.port())))
            {
                onConnected(connection);
            }
        }
        catch (final IOException ex)
        {
            connectFailures++;
            close(connection);
            if (isOutOfDescriptors(ex))
            {
                descriptorFailures++;
                refuseUnstarted();
            }
        }
    }

    /**
     * Out of descriptors: the connections not started yet fail as this one did, without trying (each would take one
     * of the reserve), and the reserve goes back for what the run still has to open.
     */
    private void refuseUnstarted()
    {
        while (started < connections.length)
        {
            // Counted as startConnect counts an attempt, so that close() balances it.
            inFlight++;
            connectFailures++;
            descriptorFailures++;
            close(connections[started++]);
        }
        releaseReserve();
    }

    /** As many of {@link #RESERVED_DESCRIPTORS} as the limit leaves: a run short of them fails later, if at all. */
    private void reserveDescriptors()
    {
        try
        {
            while (reserve.size() < RESERVED_DESCRIPTORS)
            {
                reserve.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
            }
        }
        catch (final IOException ex)
        {
            // Out of descriptors already: the first connection says so, with the limit.
        }
    }

    private void releaseReserve()
    {
        for (final FileChannel channel : reserve)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // /dev/null: nothing was written that a close could lose
            }
        }
        reserve.clear();
    }

    private static boolean isOutOfDescriptors(final IOException ex)
    {
        return null != ex.getMessage() && ex.getMessage().contains("Too many open files");
    }

    private void onSelected(final SelectionKey key)
    {
        final Connection connection = (Connection)key.attachment();
        try
        {
            if (key.isConnectable())
            {
                if (!connection.channel.finishConnect())
                {
                    return;
                }
                onConnected(connection);
            }
            if (key.isValid() && key.isReadable())
            {
                read(connection);
            }
            if (key.isValid() && key.isWritable())
            {
                flush(connection);
            }
        }
        catch (final IOException ex)
        {
            if (Connection.State.CONNECTING == connection.state)
            {
                connectFailures++;
            }
            else if (Connection.State.UPGRADING == connection.state)
            {
                upgradeFailures++;
            }
            else if (!(connection.closeSent && connection.closeReceived))
            {
                abnormalCloses++;
            }
            close(connection);
        }
    }

    private void onConnected(final Connection connection) throws IOException
    {
        connection.state = Connection.State.UPGRADING;
        connection.webSocketKey = WebSocketClientFrames.newKey(connection.index);
        connection.out.put(WebSocketClientFrames.upgradeRequest(
            settings.host(), settings.port(), settings.path(), connection.webSocketKey)
            .getBytes(StandardCharsets.US_ASCII));
        flush(connection);
    }

    private void read(final Connection connection) throws IOException
    {
        final ByteBuffer buffer = readBuffer;
        buffer.clear();
        if (connection.carryLength > 0)
        {
            buffer.put(connection.carry, 0, connection.carryLength);
            connection.carryLength = 0;
        }
        final int read = connection.channel.read(buffer);
        if (read < 0)
        {
            if (!(connection.closeSent && connection.closeReceived))
            {
                abnormalCloses++;
            }
            close(connection);
            return;
        }
        receiveEpochNs = clock.nanoTime();
        final int total = buffer.position();
        int consumed = 0;
        if (Connection.State.UPGRADING == connection.state)
        {
            consumed = readUpgradeResponse(connection, total);
            if (0 == consumed)
            {
                connection.keep(buffer, 0, total);
                return;
            }
            if (consumed < 0 || Connection.State.CLOSED == connection.state)
            {
                return;
            }
        }
        consumed += connection.parser.parse(readView, consumed, total - consumed, connection);
        if (Connection.State.CLOSED == connection.state)
        {
            return;
        }
        if (consumed < total)
        {
            connection.keep(buffer, consumed, total - consumed);
            if (connection.parser.neededBytes() > buffer.capacity())
            {
                // Rare: a frame larger than the read buffer (a big snapshot); grow once and keep the larger buffer.
                readBuffer = ByteBuffer.allocateDirect(Integer.highestOneBit(connection.parser.neededBytes()) << 1);
                readView = new UnsafeBuffer(readBuffer);
            }
        }
    }

    /**
     * Returns the bytes the response took (the state is then OPEN), 0 with the state unchanged when the response is
     * not whole yet, or -1 when the upgrade failed and the connection was closed.
     */
    private int readUpgradeResponse(final Connection connection, final int total)
    {
        final int end = indexOfHeaderEnd(readBuffer, total);
        if (end < 0)
        {
            if (total == readBuffer.capacity())
            {
                upgradeFailures++;
                close(connection);
                return -1;
            }
            return 0;
        }
        final byte[] head = new byte[end];
        readBuffer.get(0, head, 0, end);
        final String response = new String(head, StandardCharsets.ISO_8859_1);
        final String refusal = UpgradeResponse.refusal(
            response, WebSocketClientFrames.expectedAccept(connection.webSocketKey));
        if (null != refusal)
        {
            upgradeFailures++;
            if (upgradeFailures <= 3)
            {
                log.println("tickgate loadtest: " + refusal);
                log.flush();
            }
            close(connection);
            return -1;
        }
        connection.state = Connection.State.OPEN;
        inFlight--;
        open++;
        peakOpen = Math.max(peakOpen, open);
        sendText(connection, subscribeRequests[connection.index]);
        return end;
    }

    private static int indexOfHeaderEnd(final ByteBuffer buffer, final int limit)
    {
        for (int i = 3; i < limit; i++)
        {
            if ('\n' == buffer.get(i) && '\r' == buffer.get(i - 1) && '\n' == buffer.get(i - 2) &&
                '\r' == buffer.get(i - 3))
            {
                return i + 1;
            }
        }
        return -1;
    }

    void onMessage(
        final Connection connection,
        final boolean binary,
        final MutableDirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (binary)
        {
            recorder.onFrame(connection.tally, buffer, offset, length, receiveEpochNs);
            return;
        }
        // Control replies are rare (one `subscribed` per connection), so parsing each as a whole JSON object is
        // affordable, and it is the only reading that takes every valid spelling (a peer may put spaces after colons).
        textMessages++;
        final String text = buffer.getStringWithoutLengthUtf8(offset, length);
        final JsonNode reply;
        try
        {
            reply = LoadTest.JSON.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            // Not a control message (PROTOCOL.md has them all JSON objects): nothing here to act on.
            return;
        }
        switch (reply.path("op").asText())
        {
            case "subscribed" ->
            {
                subscribedReplies++;
                onSubscribed(reply);
            }
            case "error" ->
            {
                errorReplies++;
                if (errorReplies <= 3)
                {
                    log.println("tickgate loadtest: server replied " + text);
                    log.flush();
                }
            }
            default ->
            {
            }
        }
    }

    /**
     * Learns each accepted symbol's sid from the reply (servers that list no symbols over HTTP are known only this
     * way) and counts the rejected ones.
     */
    private void onSubscribed(final JsonNode reply)
    {
        for (final JsonNode symbol : reply.path("symbols"))
        {
            final int index = plan.indexOf(symbol.path("symbol").asText());
            if (index >= 0)
            {
                recorder.learnSid(symbol.path("sid").asInt(-1), index);
            }
        }
        final int rejected = reply.path("rejected").size();
        rejectedSymbols += rejected;
        if (rejected > 0 && rejectedSymbols == rejected)
        {
            log.println("tickgate loadtest: subscribe partly rejected: " + reply.path("rejected"));
            log.flush();
        }
    }

    void onPing(final Connection connection, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        controlPayload.clear();
        buffer.getBytes(offset, controlPayload, length);
        controlPayload.flip();
        if (WebSocketClientFrames.putMaskedFrame(connection.out, WebSocketFrameDescriptor.OPCODE_PONG, controlPayload,
            ThreadLocalRandom.current().nextInt()))
        {
            pingsAnswered++;
            flushQuietly(connection);
        }
    }

    void onServerClose(final Connection connection, final int code)
    {
        connection.closeReceived = true;
        connection.serverCloseCode = code;
        if (!connection.closeSent)
        {
            // The server began the close (a slow-consumer close, or it is going away): echo it, as RFC 6455 asks.
            serverCloses++;
            sendClose(connection, WebSocketFrameDescriptor.CLOSE_NO_STATUS == code ? 1000 : code);
        }
        if (0 == connection.out.position())
        {
            close(connection);
        }
    }

    void onProtocolError(final Connection connection, final String reason)
    {
        protocolErrors++;
        if (protocolErrors <= 3)
        {
            log.println("tickgate loadtest: connection " + connection.index + ": " + reason);
            log.flush();
        }
        close(connection);
    }

    private void sendText(final Connection connection, final byte[] text)
    {
        final ByteBuffer payload = ByteBuffer.wrap(text);
        if (!WebSocketClientFrames.putMaskedFrame(connection.out, WebSocketFrameDescriptor.OPCODE_TEXT, payload,
            ThreadLocalRandom.current().nextInt()))
        {
            throw new IllegalStateException("outbound buffer too small for the subscribe request");
        }
        flushQuietly(connection);
    }

    private void sendClose(final Connection connection, final int code)
    {
        controlPayload.clear();
        controlPayload.putShort((short)code).flip();
        connection.closeSent = true;
        connection.state = Connection.State.CLOSING;
        WebSocketClientFrames.putMaskedFrame(connection.out, WebSocketFrameDescriptor.OPCODE_CLOSE, controlPayload,
            ThreadLocalRandom.current().nextInt());
        flushQuietly(connection);
    }

    private void flushQuietly(final Connection connection)
    {
        try
        {
            flush(connection);
        }
        catch (final IOException ex)
        {
            abnormalCloses++;
            close(connection);
        }
    }

    private void flush(final Connection connection) throws IOException
    {
        if (Connection.State.CLOSED == connection.state)
        {
            return;
        }
        final ByteBuffer out = connection.out;
        out.flip();
        connection.channel.write(out);
        out.compact();
        if (out.position() > 0)
        {
            connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        else
        {
            connection.key.interestOps(SelectionKey.OP_READ);
            if (connection.closeSent && connection.closeReceived)
            {
                close(connection);
            }
        }
    }

    private void close(final Connection connection)
    {
        if (Connection.State.CLOSED == connection.state)
        {
            return;
        }
        if (Connection.State.CONNECTING == connection.state || Connection.State.UPGRADING == connection.state)
        {
            inFlight--;
        }
        else
        {
            open--;
        }
        connection.state = Connection.State.CLOSED;
        closed++;
        if (null != connection.key)
        {
            connection.key.cancel();
        }
        try
        {
            if (null != connection.channel)
            {
                connection.channel.close();
            }
        }
        catch (final IOException ignore)
        {
            // Closing a socket that failed: nothing more to release, and the failure is already counted.
        }
    }

    /**
     * The fewest entries a session open right now has received since the measurement began, 0 when none is open.
     * Connections that never opened (or were closed) are left out: they are counted as failures and closes, and
     * would otherwise hide every open session behind a zero.
     */
    long slowestOpenSessionEntries()
    {
        long slowest = Long.MAX_VALUE;
        for (final Connection connection : connections)
        {
            if (Connection.State.OPEN == connection.state)
            {
                slowest = Math.min(slowest, connection.tally.entries);
            }
        }
        return Long.MAX_VALUE == slowest ? 0 : slowest;
    }
}

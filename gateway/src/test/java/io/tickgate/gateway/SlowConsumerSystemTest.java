package io.tickgate.gateway;

import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.session.ClientFrames;
import io.tickgate.gateway.session.SessionSettings;
import io.tickgate.protocol.WebSocketFrameDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_BINARY;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_CLOSE;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_PING;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_PONG;
import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PROTOCOL.md 1.4 items 4 and 5, end to end: a client that really stops reading is closed with 1008
 * "slow consumer" once its socket stays unwritable past the timeout, its buffered state stays bounded by its
 * subscriptions, and a fast client on the same IO thread keeps getting fresh values throughout.
 */
class SlowConsumerSystemTest
{
    private static final int SYMBOLS = 50;
    private static final long SLOW_CONSUMER_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long CLOSE_GRACE_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long FEED_LIMIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How often the feed loop scrapes metrics; a scrape per batch would steal the CPU the gateway needs. */
    private static final long SCRAPE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Pace of the feed: one batch of a quote per symbol, then this pause; ~50 datagrams/ms would overrun UDP. */
    private static final long BATCH_PAUSE_NS = TimeUnit.MICROSECONDS.toNanos(200);
    /** The paced tests' send buffer: a client that answers pings is held with 32 KiB unconfirmed at the least. */
    private static final int PACE_SEND_BUFFER = 16 * 1024;
    /** The paced tests' heartbeat interval, which is also the most often a session sends a ping. */
    private static final long PACE_INTERVAL_MS = 100;
    /** How fast the paced tests' slow client reads: far below what the feed offers it. */
    private static final int SLOW_READ_BYTES_PER_SECOND = 256 * 1024;

    /** Settings of the gateway the next launch starts, beyond those it sets itself. */
    private Gateway.Context gatewayContext = new Gateway.Context();
    private Gateway gateway;
    private TestFeed feed;
    private TestClient fast;
    private RawWebSocket stalled;

    @AfterEach
    void tearDown() throws IOException
    {
        if (null != stalled)
        {
            stalled.close();
        }
        if (null != fast)
        {
            fast.close();
        }
        if (null != feed)
        {
            feed.close();
        }
        if (null != gateway)
        {
            gateway.close();
        }
    }

    /**
     * With either way of writing: where send(2) is not available the JDK's channel finishes the frame the socket
     * took only part of.
     */
    @ParameterizedTest(name = "socket writes: {0}")
    @ValueSource(strings = {"native", "jdk"})
    void shouldCloseStalledClientWith1008WhileOthersKeepReceiving(final String socketWrites) throws IOException
    {
        final String[] symbols = launchWithSymbols("SLOW", socketWrites, SLOW_CONSUMER_TIMEOUT_NS);
        stalled = new RawWebSocket(gateway.httpAddress());
        stalled.sendText(subscribeRequest(symbols));
        fast = TestClient.connect(gateway);
        assertThat(fast.awaitReply(fast.subscribe(symbols)).get("symbols")).hasSize(SYMBOLS);
        // The stalled client never reads its reply, so the conflator's gauge says when both subscriptions are in.
        Tests.await(Duration.ofSeconds(10), () -> metric("tickgate_subscriptions") == 2 * SYMBOLS,
            () -> "subscriptions " + metric("tickgate_subscriptions"));
        assertThat(metric("tickgate_sessions_open")).isEqualTo(2);

        final FeedRun run = feedUntilSlowConsumerClosed();

        assertThat(run.slowConsumerCloses)
            .as("slow-consumer closes after %d ms of feed (%d batches)", run.durationMs, run.batches)
            .isEqualTo(1);
        assertThat(run.windows).as("200 ms windows the fast client was checked in").isGreaterThanOrEqualTo(2);
        assertThat(run.windowsWithoutEntries)
            .as("windows in which the fast client got no entry while the other client was stalled")
            .isEmpty();
        assertThat(run.maxPendingSeen)
            .as("largest pending set sampled while stalled: bounded by the 50 subscriptions, and really filled")
            .isEqualTo(SYMBOLS);

        // The fast client ends on the exact last value the feed sent, after the feed stopped.
        final int lastSymbol = SYMBOLS - 1;
        final int sid = gateway.registry().byName(symbols[lastSymbol]).sid();
        final long lastBid = run.lastBid[lastSymbol];
        final LastValueCache.ValueView view = new LastValueCache.ValueView();
        Tests.await(Duration.ofSeconds(5), () ->
        {
            gateway.cache().read(sid, view);
            return view.bidPrice == lastBid;
        }, () -> "gateway never ingested the last bid " + lastBid + " of " + symbols[lastSymbol] +
            "; has " + view.bidPrice + "\n" + gateway.metrics().scrape());
        Tests.await(Duration.ofSeconds(5), () -> latestBid(fast, sid) == lastBid,
            () -> "fast client ended on bid " + latestBid(fast, sid) + ", not " + lastBid);
        final TestClient.Entry last = latestEntry(fast, sid);
        assertThat(last.askPrice()).isEqualTo(lastBid + 1);
        assertThat(last.seq()).isEqualTo(view.seq);
        assertThat(fast.closeCode).as("the fast client was never closed").isEqualTo(-1);
        assertThat(gateway.endpoint().maxPendingEntries()).isLessThanOrEqualTo(SYMBOLS);

        // Reading again drains what was in flight; the close frame was queued after it, well within the grace.
        for (final String symbol : symbols)
        {
            stalled.subscribedSids.add(gateway.registry().byName(symbol).sid());
        }
        final RawWebSocket.Frame close = stalled.resumeUntilClose();
        assertThat(close.closeCode()).as("close code after %d data frames", stalled.dataFrames).isEqualTo(1008);
        assertThat(close.closeReason()).isEqualTo("slow consumer");
        assertThat(stalled.textFrames).as("the subscribed reply was among the frames drained")
            .isGreaterThanOrEqualTo(1);
        // The frame the socket took only part of was finished from the session's own copy while the fast client's
        // frames were encoded in between: every binary frame is whole, in frameSeq order, and carries this feed's
        // quotes (ask = bid + 1) for the subscribed symbols.
        assertThat(stalled.binaryFrames).as("binary frames drained").isGreaterThanOrEqualTo(2);
        assertThat(stalled.frameProblems).as("binary frames drained by the stalled client").isEmpty();
        stalled.sendClose(1008);
        System.out.printf("SlowConsumerSystemTest: closed after %d ms of feed, %d batches, %d windows, " +
            "max pending %d, stalled client drained %d data frames%n",
            run.durationMs, run.batches, run.windows, run.maxPendingSeen, stalled.dataFrames);

        // The echo completes the close handshake; the close grace (5 s) bounds how long the session may linger.
        Tests.await(Duration.ofSeconds(10), () -> metric("tickgate_sessions_open") == 1,
            () -> "sessions open " + metric("tickgate_sessions_open"));
        // The release goes through the conflator's command queue, so it lands a duty cycle after the close.
        Tests.await(Duration.ofSeconds(5), () -> metric("tickgate_subscriptions") == SYMBOLS,
            () -> "the closed session's subscriptions were never released: " + metric("tickgate_subscriptions"));
        assertThat(metric("tickgate_slow_consumer_closes_total")).isEqualTo(1);
        assertThat(fast.closeCode).isEqualTo(-1);
    }

    /**
     * A value that waits because the client's own socket takes no more is not the gateway's delay: tick-to-wire
     * counts from when the socket took what it had refused, as a value a throttle holds back counts from when the
     * throttle lets it out. One client on a bad link must not raise TickgateTickToWireP99High on an idle gateway.
     */
    @Test
    void shouldNotCountTheWaitForAClientsFullSocketAsTickToWireLatency() throws IOException, InterruptedException
    {
        final String[] symbols = launchWithSymbols("WAIT", "native", TimeUnit.SECONDS.toNanos(60));
        stalled = new RawWebSocket(gateway.httpAddress());
        stalled.sendText(subscribeRequest(symbols));
        Tests.await(Duration.ofSeconds(10), () -> metric("tickgate_subscriptions") == SYMBOLS,
            () -> "subscriptions " + metric("tickgate_subscriptions"));
        for (final String symbol : symbols)
        {
            stalled.subscribedSids.add(gateway.registry().byName(symbol).sid());
        }

        // Quotes until the client's socket is full (it reads nothing), then one more for every symbol, which waits.
        long price = 1_000;
        final long deadlineNs = System.nanoTime() + FEED_LIMIT_NS;
        while (stalledSessions() < 1)
        {
            assertThat(System.nanoTime() - deadlineNs).as("the client's socket never filled").isNegative();
            price = quoteEverySymbol(price);
            LockSupport.parkNanos(BATCH_PAUSE_NS);
        }
        final long lastBid = quoteEverySymbol(price);
        final int lastSid = gateway.registry().byName(symbols[SYMBOLS - 1]).sid();
        Tests.await(Duration.ofSeconds(5), () -> gateway.endpoint().maxPendingEntries() == SYMBOLS,
            () -> "pending " + gateway.endpoint().maxPendingEntries());
        Thread.sleep(1_500);
        assertThat(stalledSessions()).as("still waiting for the socket").isEqualTo(1);
        final long recordedBefore = metric("tickgate_latency_tick_to_wire_samples_total");

        stalled.readUntil(entry -> entry.sid() == lastSid && entry.bidPrice() == lastBid);
        Tests.await(Duration.ofSeconds(5),
            () -> metric("tickgate_latency_tick_to_wire_samples_total") >= recordedBefore + SYMBOLS,
            () -> "the waiting values were not recorded: " + metric("tickgate_latency_tick_to_wire_samples_total") +
                " after " + recordedBefore);
        assertThat(stalled.frameProblems).isEmpty();
        assertThat(quantile("1.0"))
            .as("the 1.5 s the values waited for the client's socket is the client's, not the gateway's")
            .isLessThan(0.4);
    }

    /**
     * A client whose TCP takes nothing while the gateway's socket still has room (a few frames owed, then only
     * heartbeats) never makes its session unwritable, so the slow-consumer rule cannot close it; the kernel drops
     * it once its bytes have waited the slow-consumer timeout plus the close grace (TCP_USER_TIMEOUT). Without
     * that, heartbeats trickling into the room held the session until TCP gave up retransmitting, many minutes on.
     */
    @ParameterizedTest(name = "socket writes: {0}")
    @ValueSource(strings = {"native", "jdk"})
    void shouldDropAClientThatTakesNothingWhileItsSocketStillHasRoom(final String socketWrites) throws IOException
    {
        // Set through the native library, as send(2) is; a build without gcc has neither (CI builds with it).
        assumeTrue(SessionSettings.nativeWritesAvailable(), SessionSettings::nativeWritesUnavailableReason);
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(500);
        final String[] symbols = launchWithSymbols("MUTE", socketWrites, timeoutNs, timeoutNs);
        stalled = new RawWebSocket(gateway.httpAddress());
        stalled.sendText(subscribeRequest(symbols));
        Tests.await(Duration.ofSeconds(10), () -> metric("tickgate_subscriptions") == SYMBOLS,
            () -> "subscriptions " + metric("tickgate_subscriptions"));

        // About 40 KB of frames: more than the client's 4 KiB receive buffer takes, far less than the gateway's
        // 128 KiB send buffer holds.
        long price = 1_000;
        for (int batch = 0; batch < 12; batch++)
        {
            price = quoteEverySymbol(price);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        Tests.await(Duration.ofSeconds(5), () -> gateway.endpoint().maxPendingEntries() == 0,
            () -> "pending " + gateway.endpoint().maxPendingEntries());
        assertThat(stalledSessions()).as("the socket still has room").isZero();
        assertThat(metric("tickgate_sessions_open")).isEqualTo(1);

        Tests.await(Duration.ofSeconds(30), () -> metric("tickgate_sessions_open") == 0,
            () -> "the session of a client that takes nothing is still open: " + gateway.metrics().scrape());
        assertThat(metric("tickgate_slow_consumer_closes_total")).as("its socket never stopped taking bytes").isZero();
        Tests.await(Duration.ofSeconds(5), () -> metric("tickgate_subscriptions") == 0,
            () -> "subscriptions " + metric("tickgate_subscriptions"));
    }

    /**
     * A client that reads slower than its symbols tick, with a receive buffer far larger than the gateway's send
     * buffer (as the kernel's autotuning gives ordinary clients, or a proxy's buffers between them), and that
     * answers pings, as browsers and WebSocket libraries do: the gateway paces it by its pongs, so the values wait
     * at the gateway, conflated, and once the client has read a pace window past any moment it has that moment's
     * values. Unpaced, it first read through the megabytes of old values its own buffer had queued.
     */
    @Test
    void shouldPaceAClientThatAnswersPingsSoWhatItHasNotReadStaysWithinThePaceWindow() throws Exception
    {
        final RawWebSocket reader = launchWithSlowReader("PACE", TimeUnit.SECONDS.toNanos(60), true);
        final long holdBound = 2L * SLOW_READ_BYTES_PER_SECOND * PACE_INTERVAL_MS / 1000;
        try (BackgroundFeed background = new BackgroundFeed())
        {
            // Long enough for an unpaced backlog to fill the client's buffer; then how far behind is it?
            reader.readSlowlyUntil(null, SLOW_READ_BYTES_PER_SECOND, SLOW_READ_BYTES_PER_SECOND * 2L);
            final long target = background.latestBid();
            final long behind = reader.readSlowlyUntil(entry -> entry.bidPrice() >= target,
                SLOW_READ_BYTES_PER_SECOND, 1 << 20);
            System.out.printf("SlowConsumerSystemTest: paced client read %d bytes to reach the values of the " +
                "moment it looked%n", behind);
            // Twice what it reads in a heartbeat interval, and a frame or two.
            assertThat(behind).as("bytes of older values read before those of the moment it looked (hold %d)",
                holdBound).isLessThanOrEqualTo(2 * holdBound);
        }
        assertThat(reader.frameProblems).isEmpty();
        assertThat(metric("tickgate_slow_consumer_closes_total")).isZero();
    }

    /**
     * A client that answered pings, then stops reading while its socket, or a proxy's, still has room for
     * megabytes: no more than a pace window is put out to it, and it is closed with 1008 once it has taken
     * nothing for the slow-consumer timeout, as if its socket were unwritable.
     */
    @Test
    void shouldCloseAPacedClientThatStopsReadingAsASlowConsumer() throws Exception
    {
        final RawWebSocket reader = launchWithSlowReader("HALT", TimeUnit.MILLISECONDS.toNanos(500), true);
        try (BackgroundFeed background = new BackgroundFeed())
        {
            // Reads for a while, answering pings, then stops.
            reader.readSlowlyUntil(null, SLOW_READ_BYTES_PER_SECOND, SLOW_READ_BYTES_PER_SECOND * 2L);
            Tests.await(Duration.ofSeconds(10), () -> metric("tickgate_slow_consumer_closes_total") == 1,
                () -> "a client that stopped reading was not closed: " + gateway.metrics().scrape());
            assertThat(background.batches).as("the feed went on").isPositive();
        }
        final long before = reader.bytesRead;
        final RawWebSocket.Frame close = reader.resumeUntilClose();
        assertThat(close.closeCode()).isEqualTo(1008);
        assertThat(close.closeReason()).isEqualTo("slow consumer");
        assertThat(reader.bytesRead - before).as("bytes put out to it after it stopped reading")
            .isLessThanOrEqualTo(4L * SLOW_READ_BYTES_PER_SECOND * PACE_INTERVAL_MS / 1000);
        reader.sendClose(1008);
    }

    /**
     * A client that answers no pings (PROTOCOL.md expects clients to; simple ones may not) is paced only until its
     * first ping has gone three heartbeat intervals unanswered; from then on it is sent what its socket takes, as
     * before pacing, and it is never closed for the missing pongs.
     */
    @Test
    void shouldStopPacingAClientThatAnswersNoPing() throws Exception
    {
        final RawWebSocket reader = launchWithSlowReader("DEAF", TimeUnit.MILLISECONDS.toNanos(500), false);
        try (BackgroundFeed background = new BackgroundFeed())
        {
            // Held at the pace window until the probe (300 ms) runs out, then fed freely: far more than a window.
            final long read = reader.readSlowlyUntil(null, SLOW_READ_BYTES_PER_SECOND, 16L * PACE_SEND_BUFFER,
                Duration.ofSeconds(10));
            assertThat(read).as("bytes read in 10 s by a client that answers no ping, %d batches fed",
                background.batches).isGreaterThanOrEqualTo(16L * PACE_SEND_BUFFER);
        }
        assertThat(reader.frameProblems).isEmpty();
        assertThat(metric("tickgate_slow_consumer_closes_total")).isZero();
        assertThat(metric("tickgate_sessions_open")).isEqualTo(1);
    }

    /**
     * Starts a gateway with the paced tests' send buffer and heartbeat, and a client with a 4 MiB receive buffer
     * subscribed to every symbol, which reads only when told to.
     */
    private RawWebSocket launchWithSlowReader(final String prefix, final long slowConsumerNs,
        final boolean answersPings) throws IOException
    {
        gatewayContext = new Gateway.Context().heartbeatNs(TimeUnit.MILLISECONDS.toNanos(PACE_INTERVAL_MS));
        final String[] symbols = launchWithSymbols(prefix, "native", slowConsumerNs, CLOSE_GRACE_NS, PACE_SEND_BUFFER);
        final RawWebSocket reader = new RawWebSocket(gateway.httpAddress(), 4 << 20, answersPings);
        stalled = reader;
        subscribeAll(reader, symbols);
        return reader;
    }

    private void subscribeAll(final RawWebSocket reader, final String[] symbols) throws IOException
    {
        reader.sendText(subscribeRequest(symbols));
        Tests.await(Duration.ofSeconds(10), () -> metric("tickgate_subscriptions") == SYMBOLS,
            () -> "subscriptions " + metric("tickgate_subscriptions"));
        for (final String symbol : symbols)
        {
            reader.subscribedSids.add(gateway.registry().byName(symbol).sid());
        }
    }

    /**
     * Quotes every symbol once a millisecond on its own thread until closed, well beyond what a slow reader takes.
     */
    private final class BackgroundFeed implements AutoCloseable
    {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long latestBid;
        volatile long batches;

        BackgroundFeed()
        {
            thread = new Thread(() ->
            {
                long price = 1_000;
                while (running)
                {
                    price = quoteEverySymbol(price);
                    latestBid = price;
                    batches++;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }, "test-feed");
            thread.start();
        }

        long latestBid()
        {
            return latestBid;
        }

        @Override
        public void close()
        {
            running = false;
            try
            {
                thread.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String[] launchWithSymbols(final String prefix, final String socketWrites, final long slowConsumerNs)
    {
        return launchWithSymbols(prefix, socketWrites, slowConsumerNs, CLOSE_GRACE_NS);
    }

    /**
     * Starts the gateway and defines the test's symbols, named prefix0, prefix1, ...
     */
    private String[] launchWithSymbols(
        final String prefix, final String socketWrites, final long slowConsumerNs, final long closeGraceNs)
    {
        return launchWithSymbols(prefix, socketWrites, slowConsumerNs, closeGraceNs, 64 * 1024);
    }

    private String[] launchWithSymbols(final String prefix, final String socketWrites, final long slowConsumerNs,
        final long closeGraceNs, final int sendBufferBytes)
    {
        gateway = Gateway.launch(gatewayContext
            .sendBufferBytes(sendBufferBytes)
            .socketWrites(socketWrites)
            .bindAddress("127.0.0.1")
            .httpPort(0)
            .feedPort(0)
            .slowConsumerTimeoutNs(slowConsumerNs)
            .closeGraceNs(closeGraceNs));
        feed = new TestFeed(gateway.feedAddress());
        final String[] symbols = new String[SYMBOLS];
        for (int i = 0; i < SYMBOLS; i++)
        {
            symbols[i] = prefix + i;
            feed.define(i + 1, symbols[i], 2, 0);
        }
        Tests.await(Duration.ofSeconds(10), () -> gateway.registry().count() == SYMBOLS,
            () -> "only " + gateway.registry().count() + " of " + SYMBOLS + " symbols defined");
        return symbols;
    }

    private long quoteEverySymbol(final long startPrice)
    {
        long price = startPrice;
        for (int i = 0; i < SYMBOLS; i++)
        {
            price += 2;
            feed.quote(i + 1, price, 10, price + 1, 10);
        }
        feed.flush();
        return price;
    }

    private long stalledSessions()
    {
        return metric("tickgate_sessions_unwritable");
    }

    private double quantile(final String quantile)
    {
        final String name = "tickgate_latency_tick_to_wire_window_seconds{quantile=\"" + quantile + "\"} ";
        for (final String line : gateway.metrics().scrape().split("\n"))
        {
            if (line.startsWith(name))
            {
                return Double.parseDouble(line.substring(name.length()));
            }
        }
        return fail("no %s in the scrape", name);
    }

    /**
     * Feeds quotes for every symbol as fast as UDP on loopback takes them, until the gateway counts a slow-consumer
     * close or the time limit passes; meanwhile checks the fast client's progress in every 200 ms window and
     * samples the largest pending set.
     */
    private FeedRun feedUntilSlowConsumerClosed()
    {
        final FeedRun run = new FeedRun();
        final long startNs = System.nanoTime();
        long nextScrapeNs = startNs;
        long windowEndNs = startNs + WINDOW_NS;
        long entriesAtWindowStart = entryCount(fast);
        long price = 1_000;
        while (System.nanoTime() - startNs < FEED_LIMIT_NS)
        {
            for (int i = 0; i < SYMBOLS; i++)
            {
                price += 2;
                feed.quote(i + 1, price, 10, price + 1, 10);
                run.lastBid[i] = price;
            }
            feed.flush();
            run.batches++;
            run.maxPendingSeen = Math.max(run.maxPendingSeen, gateway.endpoint().maxPendingEntries());

            final long nowNs = System.nanoTime();
            if (nowNs - windowEndNs >= 0)
            {
                final long entries = entryCount(fast);
                if (entries == entriesAtWindowStart)
                {
                    run.windowsWithoutEntries.add("window ending " + (nowNs - startNs) / 1_000_000 + " ms");
                }
                run.windows++;
                entriesAtWindowStart = entries;
                windowEndNs = nowNs + WINDOW_NS;
            }
            if (nowNs - nextScrapeNs >= 0)
            {
                nextScrapeNs = nowNs + SCRAPE_INTERVAL_NS;
                run.slowConsumerCloses = metric("tickgate_slow_consumer_closes_total");
                if (run.slowConsumerCloses >= 1)
                {
                    break;
                }
            }
            LockSupport.parkNanos(BATCH_PAUSE_NS);
        }
        run.durationMs = (System.nanoTime() - startNs) / 1_000_000;
        return run;
    }

    private static final class FeedRun
    {
        final long[] lastBid = new long[SYMBOLS];
        final List<String> windowsWithoutEntries = new ArrayList<>();
        long batches;
        long windows;
        long durationMs;
        long slowConsumerCloses;
        int maxPendingSeen;
    }

    private static String subscribeRequest(final String[] symbols)
    {
        final StringBuilder json = new StringBuilder("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[");
        for (int i = 0; i < symbols.length; i++)
        {
            json.append(0 == i ? "" : ",").append('"').append(symbols[i]).append('"');
        }
        return json.append("]}").toString();
    }

    private static long entryCount(final TestClient client)
    {
        long entries = 0;
        for (final TestClient.Frame frame : client.frames)
        {
            entries += frame.entries().size();
        }
        return entries;
    }

    /**
     * Newest entry for a sid, searched from the end: the client holds thousands of frames by now.
     */
    private static TestClient.Entry latestEntry(final TestClient client, final int sid)
    {
        final List<TestClient.Frame> frames = client.frames;
        for (int f = frames.size() - 1; f >= 0; f--)
        {
            final List<TestClient.Entry> entries = frames.get(f).entries();
            for (int e = entries.size() - 1; e >= 0; e--)
            {
                if (entries.get(e).sid() == sid)
                {
                    return entries.get(e);
                }
            }
        }
        return null;
    }

    private static long latestBid(final TestClient client, final int sid)
    {
        final TestClient.Entry entry = latestEntry(client, sid);
        return null == entry ? -1 : entry.bidPrice();
    }

    /**
     * A sample's value from the Prometheus scrape, or -1 when absent.
     */
    private long metric(final String name)
    {
        for (final String line : gateway.metrics().scrape().split("\n"))
        {
            if (line.startsWith(name + " ") || line.startsWith(name + "{"))
            {
                return (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    /**
     * A WebSocket client on a plain socket, so that "stops reading" really means nothing is read: the JDK client
     * keeps its own buffers, which would hide the stall from the gateway for a long time. Its receive buffer is
     * set small before connecting, because the window it advertises is settled during the TCP handshake.
     */
    private static final class RawWebSocket implements AutoCloseable
    {

        record Frame(boolean fin, int opcode, byte[] payload)
        {
            int closeCode()
            {
                return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : -1;
            }

            String closeReason()
            {
                return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
            }
        }

        private final SecureRandom random = new SecureRandom();
        private final Socket socket = new Socket();
        private final DataInputStream in;
        private final OutputStream out;
        int textFrames;
        int dataFrames;
        int binaryFrames;
        long lastFrameSeq;
        final List<String> frameProblems = new ArrayList<>();
        final Set<Integer> subscribedSids = new HashSet<>();
        /** Answer the gateway's pings as they are read, as browsers and WebSocket libraries do. */
        private final boolean answersPings;
        /** Bytes of frames read. */
        long bytesRead;

        RawWebSocket(final InetSocketAddress address) throws IOException
        {
            this(address, 4096, false);
        }

        RawWebSocket(final InetSocketAddress address, final int receiveBufferBytes, final boolean answersPings)
            throws IOException
        {
            this.answersPings = answersPings;
            socket.setReceiveBufferSize(receiveBufferBytes);
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(10_000);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = socket.getOutputStream();
            handshake(address);
        }

        private void handshake(final InetSocketAddress address) throws IOException
        {
            final byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            final String key = Base64.getEncoder().encodeToString(nonce);
            final String request = "GET /ws HTTP/1.1\r\n" +
                "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n" +
                "Upgrade: websocket\r\n" +
                "Connection: Upgrade\r\n" +
                "Sec-WebSocket-Key: " + key + "\r\n" +
                "Sec-WebSocket-Version: 13\r\n" +
                "\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();

            final String status = readLine();
            assertThat(status).as("upgrade response status line").startsWith("HTTP/1.1 101");
            String accept = null;
            for (String line = readLine(); !line.isEmpty(); line = readLine())
            {
                final int colon = line.indexOf(':');
                if (colon > 0 &&
                    "sec-websocket-accept".equals(line.substring(0, colon).trim().toLowerCase(Locale.ROOT)))
                {
                    accept = line.substring(colon + 1).trim();
                }
            }
            assertThat(accept).as("Sec-WebSocket-Accept").isEqualTo(WebSocketFrameDescriptor.acceptKey(key));
        }

        private String readLine() throws IOException
        {
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true)
            {
                final int b = in.read();
                if (-1 == b)
                {
                    throw new IOException("connection closed during the upgrade response");
                }
                if ('\n' == b && '\r' == previous)
                {
                    final byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
                }
                line.write(b);
                previous = b;
            }
        }

        void sendText(final String text) throws IOException
        {
            sendFrame(OPCODE_TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        void sendClose(final int code) throws IOException
        {
            sendFrame(OPCODE_CLOSE, new byte[] { (byte)(code >>> 8), (byte)code });
        }

        private void sendFrame(final int opcode, final byte[] payload) throws IOException
        {
            out.write(ClientFrames.masked(true, opcode, payload));
            out.flush();
        }

        /**
         * Reads everything the gateway wrote, counting data frames, until its close frame.
         */
        Frame resumeUntilClose() throws IOException
        {
            while (true)
            {
                final Frame frame;
                try
                {
                    frame = readFrame();
                }
                catch (final SocketTimeoutException ex)
                {
                    return fail("no close frame within the socket timeout after %d data frames", dataFrames);
                }
                if (OPCODE_CLOSE == frame.opcode())
                {
                    return frame;
                }
                if (OPCODE_TEXT == frame.opcode())
                {
                    textFrames++;
                }
                if (OPCODE_BINARY == frame.opcode())
                {
                    checkBinary(frame.payload());
                }
                if (OPCODE_BINARY == frame.opcode() || OPCODE_TEXT == frame.opcode())
                {
                    dataFrames++;
                }
            }
        }

        /**
         * Reads frames at about {@code bytesPerSecond}, answering pings, until one entry the condition accepts or
         * {@code limit} bytes; returns the bytes read.
         */
        long readSlowlyUntil(final Predicate<TestClient.Entry> condition, final int bytesPerSecond, final long limit)
            throws IOException
        {
            return readSlowlyUntil(condition, bytesPerSecond, limit, Duration.ofSeconds(30));
        }

        /**
         * As {@link #readSlowlyUntil(Predicate, int, long)}, giving up once {@code timeout} has passed.
         */
        long readSlowlyUntil(final Predicate<TestClient.Entry> condition, final int bytesPerSecond, final long limit,
            final Duration timeout) throws IOException
        {
            final long startBytes = bytesRead;
            final long startNs = System.nanoTime();
            while (bytesRead - startBytes < limit && System.nanoTime() - startNs < timeout.toNanos())
            {
                final Frame frame = readFrame();
                assertThat(frame.opcode()).as("no close while reading").isNotEqualTo(OPCODE_CLOSE);
                if (OPCODE_BINARY == frame.opcode())
                {
                    checkBinary(frame.payload());
                    if (null != condition &&
                        TestClient.decode(frame.payload()).entries().stream().anyMatch(condition))
                    {
                        break;
                    }
                }
                final long dueNs = startNs + (bytesRead - startBytes) * 1_000_000_000L / bytesPerSecond;
                LockSupport.parkNanos(dueNs - System.nanoTime());
            }
            return bytesRead - startBytes;
        }

        /**
         * Reads and checks what the gateway wrote until an entry the condition accepts.
         */
        void readUntil(final Predicate<TestClient.Entry> condition) throws IOException
        {
            while (true)
            {
                final Frame frame = readFrame();
                assertThat(frame.opcode()).as("no close while reading").isNotEqualTo(OPCODE_CLOSE);
                if (OPCODE_BINARY == frame.opcode())
                {
                    checkBinary(frame.payload());
                    if (TestClient.decode(frame.payload()).entries().stream().anyMatch(condition))
                    {
                        return;
                    }
                }
            }
        }

        private void checkBinary(final byte[] payload)
        {
            binaryFrames++;
            final TestClient.Frame frame = TestClient.decode(payload);
            if (frame.frameSeq() != lastFrameSeq + 1)
            {
                frameProblems.add("frameSeq " + frame.frameSeq() + " after " + lastFrameSeq);
            }
            lastFrameSeq = frame.frameSeq();
            for (final TestClient.Entry entry : frame.entries())
            {
                if (!subscribedSids.contains(entry.sid()) || entry.askPrice() != entry.bidPrice() + 1)
                {
                    frameProblems.add("frame " + frame.frameSeq() + ": " + entry);
                }
            }
        }

        private Frame readFrame() throws IOException
        {
            final int b0 = in.readUnsignedByte();
            final int b1 = in.readUnsignedByte();
            assertThat(b1 & 0x80).as("server frames are never masked").isZero();
            long length = b1 & 0x7F;
            if (126 == length)
            {
                length = in.readUnsignedShort();
            }
            else if (127 == length)
            {
                length = in.readLong();
            }
            assertThat(length).as("frame length").isBetween(0L, 16L * 1024 * 1024);
            final byte[] payload = new byte[(int)length];
            in.readFully(payload);
            bytesRead += 2 + (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8) + length;
            if (answersPings && OPCODE_PING == (b0 & 0x0F))
            {
                sendFrame(OPCODE_PONG, payload);
            }
            return new Frame(0 != (b0 & 0x80), b0 & 0x0F, payload);
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}

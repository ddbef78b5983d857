package io.tickgate.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.tickgate.client.TestFrames.entry;
import static io.tickgate.client.TestFrames.heartbeat;
import static io.tickgate.client.TestFrames.snapshot;
import static io.tickgate.client.TestFrames.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The client against a scripted server that does what a real gateway must not: skip a frameSeq, go silent.
 */
class TickgateClientTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RecordingListener listener = new RecordingListener();
    private final MarketData read = new MarketData();
    private FakeGateway server;
    private TickgateClient client;
    private ScheduledExecutorService heartbeats;

    @AfterEach
    void tearDown()
    {
        if (null != client)
        {
            client.close();
        }
        if (null != heartbeats)
        {
            heartbeats.shutdownNow();
        }
        if (null != server)
        {
            server.close();
        }
    }

    private TickgateClient connect(final URI uri, final long heartbeatMs)
    {
        client = TickgateClient.connect(new TickgateClient.Context()
            .uri(uri)
            .listener(listener)
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(heartbeatMs))
            .reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(20))
            .reconnectMaxDelayNs(TimeUnit.MILLISECONDS.toNanos(200)));
        return client;
    }

    /**
     * A client connected to a gateway that accepts everything, holding AAPL.
     *
     * @return the number of requests the gateway has had.
     */
    private int connectHoldingAapl()
    {
        server = new FakeGateway((peer, request) -> peer.subscribed(request));
        connect(server.uri(), 1_000);
        assertThat(client.subscribe("AAPL")).succeedsWithin(TIMEOUT);
        return server.requests.size();
    }

    private long bid(final String symbol)
    {
        return client.read(symbol, read) && read.hasValue() ? read.bidPrice() : -1;
    }

    @Test
    void shouldReportFrameSeqGapAndResyncOnNewConnection()
    {
        server = new FakeGateway((peer, request) ->
        {
            peer.subscribed(request);
            if (1 == peer.connection())
            {
                peer.binary(snapshot(1, entry(1, 1, 100)));
                peer.binary(update(2, entry(1, 2, 101)));
                peer.binary(update(4, entry(1, 3, 103)));    // frameSeq 3 never sent
            }
            else
            {
                peer.binary(snapshot(1, entry(1, 2, 500)));  // a fresh session: its seq may be lower
            }
        });
        connect(server.uri(), 1_000).subscribe("AAPL");

        Tests.await(TIMEOUT, () -> 500 == bid("AAPL"), () -> "never resynced: " + listener.updates + listener.errors);

        assertThat(listener.firstError(ClientError.FRAME_GAP).detail()).isEqualTo("expected frameSeq 3, got 4");
        final TickgateClient.Counters counters = client.counters();
        assertThat(counters.frameGaps()).isEqualTo(1);
        assertThat(counters.reconnects()).isEqualTo(1);
        assertThat(counters.seqRegressions()).isZero();
        assertThat(client.read("AAPL", read) ? read.entries() : -1).as("entries count across connections").isEqualTo(4);
        assertThat(server.requests).hasSize(2).allMatch(r -> r.contains("\"symbols\":[\"AAPL\"]"));
        assertThat(client.status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(listener.statuses).anyMatch(s -> s.detail().startsWith("reconnected"));
    }

    /**
     * An exception from the application's listener is the application's, not the network's: it is reported as
     * LISTENER_FAILED and the connection stays (it used to drop it and reconnect, on every throw).
     */
    @Test
    void shouldReportAListenerThatThrowsAndKeepTheConnection()
    {
        shouldReportAThrowingOnUpdateAndKeepTheConnection(new IllegalStateException("application bug"));
    }

    /**
     * An Error from the application's own assertion is its bug like an exception; it used to escape the guard and
     * drop the connection on every update.
     */
    @Test
    void shouldReportAListenerThatThrowsAnErrorAndKeepTheConnection()
    {
        shouldReportAThrowingOnUpdateAndKeepTheConnection(new AssertionError("application check"));
    }

    private void shouldReportAThrowingOnUpdateAndKeepTheConnection(final Throwable thrown)
    {
        server = new FakeGateway((peer, request) ->
        {
            peer.subscribed(request);
            peer.binary(snapshot(1, entry(1, 1, 100)));
            for (int i = 2; i <= 20; i++)
            {
                peer.binary(update(i, entry(1, i, 100 + i)));
            }
        });
        final RecordingListener recording = new RecordingListener()
        {
            @Override
            public void onUpdate(final MarketData data, final boolean snapshot)
            {
                super.onUpdate(data, snapshot);
                if (thrown instanceof Error error)
                {
                    throw error;
                }
                throw (RuntimeException)thrown;
            }
        };
        client = TickgateClient.connect(new TickgateClient.Context().uri(server.uri()).listener(recording));
        client.subscribe("AAPL");

        Tests.await(TIMEOUT, () -> 120 == bid("AAPL"), () -> "updates stopped: " + recording.updates);
        assertThat(recording.updates).hasSize(20);
        assertThat(recording.errors).filteredOn(e -> e.what().equals("LISTENER_FAILED")).hasSize(20)
            .first().satisfies(e -> assertThat(e.detail())
                .isEqualTo("the listener's onUpdate for AAPL threw " + thrown));
        assertThat(recording.hasError(ClientError.CONNECTION_LOST)).isFalse();
        assertThat(client.counters().reconnects()).isZero();
    }

    /**
     * What {@code onStatus} throws inside {@code connect()} and {@code close()} is reported like any listener
     * failure: it used to escape both, and leave the timer thread running with no client to close.
     */
    @Test
    void shouldContainAnErrorOnStatusThrowsInConnectAndClose()
    {
        final RecordingListener recording = new RecordingListener()
        {
            @Override
            public void onStatus(final ConnectionStatus status, final String detail)
            {
                super.onStatus(status, detail);
                throw new AssertionError("no " + status + " expected");
            }
        };
        client = TickgateClient.connect(new TickgateClient.Context().uri(URI.create("ws://127.0.0.1:1/ws"))
            .listener(recording));
        client.close();

        assertThat(recording.statuses).first().satisfies(s -> assertThat(s.what()).isEqualTo("CONNECTING"));
        assertThat(recording.statuses).last().satisfies(s -> assertThat(s.what()).isEqualTo("CLOSED"));
        assertThat(recording.errors).filteredOn(e -> e.what().equals("LISTENER_FAILED")).extracting(e -> e.detail())
            .contains("the listener's onStatus threw java.lang.AssertionError: no CONNECTING expected",
                "the listener's onStatus threw java.lang.AssertionError: no CLOSED expected");
        Tests.await(TIMEOUT, () -> 0 == timerThreads(), () -> "the timer thread outlived close()");
    }

    /**
     * A VirtualMachineError is the JVM failing, not the listener: it is thrown on, out of {@code connect()} or
     * {@code close()}, but the timer thread ends with it.
     */
    @Test
    void shouldEndTheTimerThreadWhenConnectOrCloseThrowsAVirtualMachineError()
    {
        for (final ConnectionStatus failing : List.of(ConnectionStatus.CONNECTING, ConnectionStatus.CLOSED))
        {
            final TickgateClient.Context ctx = new TickgateClient.Context()
                .uri(URI.create("ws://127.0.0.1:1/ws"))
                .listener(new TickgateListener()
                {
                    @Override
                    public void onStatus(final ConnectionStatus status, final String detail)
                    {
                        if (failing == status)
                        {
                            throw new StackOverflowError(status.name());
                        }
                    }
                });
            assertThatThrownBy(() -> TickgateClient.connect(ctx).close()).isInstanceOf(StackOverflowError.class)
                .hasMessage(failing.name());

            Tests.await(TIMEOUT, () -> 0 == timerThreads(), () -> "the timer thread outlived " + failing);
        }
    }

    private static long timerThreads()
    {
        return threadsNamed("tickgate-client-timer");
    }

    private static long threadsNamed(final String regex)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.isAlive() && thread.getName().matches(regex)).count();
    }

    /**
     * {@code close()} from inside {@code onUpdate}: the rest of that frame is neither applied nor reported, and no
     * {@code onFrame} follows; {@code CLOSED} is the last callback. Later entries and onFrame used to come, with
     * the client already closed.
     */
    @Test
    void shouldReportNothingAfterCloseCalledInsideAFrame()
    {
        server = new FakeGateway((peer, request) ->
        {
            peer.subscribed(request);
            peer.binary(snapshot(1, entry(1, 1, 100), entry(2, 1, 200), entry(3, 1, 300)));
        });
        final RecordingListener recording = new RecordingListener()
        {
            @Override
            public void onUpdate(final MarketData data, final boolean snapshot)
            {
                super.onUpdate(data, snapshot);
                if ("AAPL".equals(data.symbol()))
                {
                    client.close();
                }
            }
        };
        client = TickgateClient.connect(new TickgateClient.Context().uri(server.uri()).listener(recording));
        client.subscribe("AAPL", "MSFT", "IBM");

        // status() waits for the monitor, which the frame's thread holds until the frame is done.
        Tests.await(TIMEOUT, () -> ConnectionStatus.CLOSED == client.status(), () -> "never closed: " +
            recording.updates);
        assertThat(recording.updates).containsExactly("S AAPL 100");
        assertThat(recording.frames).isEmpty();
        assertThat(recording.statuses).last().satisfies(s -> assertThat(s.what()).isEqualTo("CLOSED"));
        assertThat(client.read("MSFT", read) && read.hasValue()).as("MSFT applied after close").isFalse();
    }

    /**
     * {@code close()} from inside {@code onError} for a lost connection: the client stays closed, with no
     * RECONNECTING reported after CLOSED and no reconnect scheduled on the stopped timer.
     */
    @Test
    void shouldStayClosedWhenTheListenerClosesTheClientAsTheConnectionDrops()
    {
        server = new FakeGateway((peer, request) -> peer.close(1001, "going away"));
        final RecordingListener recording = new RecordingListener()
        {
            @Override
            public void onError(final ClientError error, final String message)
            {
                super.onError(error, message);
                client.close();
            }
        };
        client = TickgateClient.connect(new TickgateClient.Context().uri(server.uri()).listener(recording));
        Tests.await(TIMEOUT, () -> ConnectionStatus.CONNECTED == client.status(), () -> "not connected");

        client.ping(); // the gateway goes away

        Tests.await(TIMEOUT, () -> recording.hasError(ClientError.CONNECTION_LOST), () -> "never dropped");
        assertThat(client.status()).isEqualTo(ConnectionStatus.CLOSED);
        assertThat(recording.statuses).last().satisfies(s -> assertThat(s.what()).isEqualTo("CLOSED"));
        assertThat(server.connections.get()).isEqualTo(1);
    }

    @Test
    void shouldReconnectWhenNoFrameForThreeHeartbeatIntervals()
    {
        final AtomicLong lastSentNs = new AtomicLong();
        server = new FakeGateway((peer, request) ->
        {
            peer.subscribed(request);
            peer.binary(snapshot(1, entry(1, 1, 100 * peer.connection())));
            lastSentNs.compareAndSet(0, System.nanoTime());
            // ... and then nothing: no updates, no heartbeats.
        });
        connect(server.uri(), 100).subscribe("AAPL");

        Tests.await(TIMEOUT, () -> 200 == bid("AAPL"), () -> "never reconnected: " + listener.errors);

        final RecordingListener.Event timeout = listener.firstError(ClientError.WATCHDOG_TIMEOUT);
        assertThat(timeout.atNs() - lastSentNs.get()).as("not before 3 heartbeat intervals")
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(client.counters().watchdogTimeouts()).isGreaterThanOrEqualTo(1);
        assertThat(server.connections.get()).isGreaterThanOrEqualTo(2);
    }

    /**
     * A gateway that closes the TCP connection without a close frame between listener calls is seen at once, and
     * said to be gone that way, not to have closed.
     */
    @Test
    void shouldReportAConnectionEndedWithoutACloseFrameAsLostAndReconnect()
    {
        server = new FakeGateway((peer, request) ->
        {
            peer.subscribed(request);
            peer.binary(snapshot(1, entry(1, 1, 100 * peer.connection())));
            if (1 == peer.connection())
            {
                peer.dropAfter(100);
            }
        });
        connect(server.uri(), 5_000).subscribe("AAPL");

        Tests.await(TIMEOUT, () -> 200 == bid("AAPL"), () -> "never reconnected: " + listener.errors);

        assertThat(listener.firstError(ClientError.CONNECTION_LOST).detail())
            .isEqualTo("connection lost without a close frame (1006)");
        assertThat(listener.hasError(ClientError.WATCHDOG_TIMEOUT)).isFalse();
    }

    /**
     * A gateway that closes the TCP connection without a close frame while a listener method runs: the JDK's
     * WebSocket reads that end of stream with no demand and loses it, so only the watchdog would have noticed, after
     * 3 heartbeat intervals. The pings sent once a heartbeat is half an interval late end it sooner.
     */
    @Test
    void shouldNoticeAGatewayGoneWithoutACloseFrameDuringAListenerCallBeforeTheWatchdog()
    {
        server = new FakeGateway((peer, request) ->
        {
            peer.subscribed(request);
            if (1 == peer.connection())
            {
                peer.binary(snapshot(1, entry(1, 1, 100)));
                peer.binary(update(2, entry(1, 2, 150)));
                // Not at once: a connection closed right behind the frame lost the frame itself now and then. 50 ms
                // on, the frame has arrived and the listener is inside its 200 ms call.
                peer.dropAfter(50);
            }
            else
            {
                peer.binary(snapshot(1, entry(1, 1, 200)));
            }
        });
        final long heartbeatMs = 200;
        client = TickgateClient.connect(new TickgateClient.Context()
            .uri(server.uri())
            .listener(new TickgateListener()
            {
                @Override
                public void onUpdate(final MarketData data, final boolean snapshot)
                {
                    listener.onUpdate(data, snapshot);
                    if (150 == data.bidPrice())
                    {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(heartbeatMs)); // the drop arrives now
                    }
                }

                @Override
                public void onError(final ClientError error, final String message)
                {
                    listener.onError(error, message);
                }
            })
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(heartbeatMs))
            .reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(20))
            .reconnectMaxDelayNs(TimeUnit.MILLISECONDS.toNanos(200)));
        client.subscribe("AAPL");

        Tests.await(TIMEOUT, () -> 200 == bid("AAPL"), () -> "never reconnected: " + listener.errors);

        assertThat(listener.updates).contains("U AAPL 150");
        assertThat(listener.firstError(ClientError.CONNECTION_LOST).detail()).contains("cannot send a ping");
        assertThat(listener.errors).filteredOn(e -> e.what().equals(ClientError.WATCHDOG_TIMEOUT.name()))
            .allMatch(e -> e.atNs() > listener.firstError(ClientError.CONNECTION_LOST).atNs());
    }

    @Test
    void shouldKeepConnectionWhileHeartbeatsArrive()
    {
        final AtomicLong frameSeq = new AtomicLong(1);
        server = new FakeGateway((peer, request) ->
        {
            peer.subscribed(request);
            peer.binary(snapshot(frameSeq.getAndIncrement(), entry(1, 1, 100)));
        });
        connect(server.uri(), 100).subscribe("AAPL");
        Tests.await(TIMEOUT, () -> 100 == bid("AAPL"), () -> "no snapshot: " + listener.errors);

        heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleAtFixedRate(() -> server.peers.get(0).binary(heartbeat(frameSeq.getAndIncrement())),
            0, 50, TimeUnit.MILLISECONDS);
        Tests.await(TIMEOUT, () -> client.counters().heartbeats() >= 20, () -> "heartbeats not counted");

        assertThat(listener.errors).isEmpty();
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(client.counters().frameGaps()).isZero();
    }

    @Test
    void shouldRetryWithBackoffUntilServerAppears() throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket())
        {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = probe.getLocalPort();
        }
        connect(URI.create("ws://127.0.0.1:" + port + "/ws"), 1_000).subscribe("AAPL");
        Tests.await(TIMEOUT, () -> listener.count(ClientError.CONNECTION_LOST) >= 3, () -> "no retries: " +
            listener.statuses);

        assertThat(client.status()).isEqualTo(ConnectionStatus.RECONNECTING);
        assertThat(listener.statuses.get(0).what()).isEqualTo("CONNECTING");
        assertThat(listener.statuses).anyMatch(s -> s.detail().contains("reconnecting in"));
    }

    /**
     * A server that accepts TCP and never answers the handshake: every attempt is said to have timed out, with the
     * timeout. The JDK words the one timeout in several ways ("request timed out"; an outside tester met
     * "connection closed locally" from the second attempt on).
     */
    @Test
    void shouldReportEveryAttemptThatTimesOutAsTimedOut() throws Exception
    {
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        accepted.add(silent.accept()); // held open, never read or answered
                    }
                }
                catch (final IOException ex)
                {
                    // The test is over: the server socket closed.
                }
            }, "silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            final URI uri = URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/ws");
            client = TickgateClient.connect(new TickgateClient.Context()
                .uri(uri)
                .listener(listener)
                .connectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200))
                .reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(20))
                .reconnectMaxDelayNs(TimeUnit.MILLISECONDS.toNanos(50)));

            Tests.await(TIMEOUT, () -> listener.count(ClientError.CONNECTION_LOST) >= 3, () -> "attempts: " +
                listener.errors);
            client.close();

            assertThat(listener.errors).filteredOn(e -> e.what().equals("CONNECTION_LOST")).extracting(e -> e.detail())
                .allMatch(detail -> detail.equals("cannot connect to " + uri + ": timed out after 200 ms"));
        }
        finally
        {
            for (final Socket socket : accepted)
            {
                socket.close();
            }
        }
    }

    /**
     * Clients share one JDK HttpClient, so its threads do not multiply with clients: each had its own, whose threads
     * outlived close() until a GC (33 threads 3 s after closing 11 clients).
     */
    @Test
    void shouldShareOneHttpClientAmongClients()
    {
        server = new FakeGateway((peer, request) -> peer.subscribed(request));
        final List<TickgateClient> clients = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                clients.add(TickgateClient.connect(new TickgateClient.Context().uri(server.uri())));
            }
            Tests.await(TIMEOUT, () -> clients.stream().allMatch(c -> ConnectionStatus.CONNECTED == c.status()),
                () -> "not all connected");

            assertThat(threadsNamed("HttpClient-\\d+-SelectorManager")).as("selector threads").isEqualTo(1);
            assertThat(threadsNamed("tickgate-client-ws-\\d+")).as("workers").isPositive();
        }
        finally
        {
            clients.forEach(TickgateClient::close);
        }
    }

    @Test
    void shouldClearSymbolNewSessionRejectsThenRetryUntilAccepted()
    {
        final AtomicInteger secondSessionRequests = new AtomicInteger();
        server = new FakeGateway((peer, request) ->
        {
            if (1 == peer.connection())
            {
                peer.subscribed(request);
                peer.binary(snapshot(1, entry(1, 40, 100)));
                peer.close(1001, "going away");
            }
            else if (1 == secondSessionRequests.incrementAndGet())
            {
                // A restarted gateway that has not yet heard the feed's definitions.
                peer.text("{\"op\":\"subscribed\",\"id\":" + request.path("id").asLong() + ",\"symbols\":[]," +
                    "\"rejected\":[{\"symbol\":\"AAPL\",\"reason\":\"UNKNOWN_SYMBOL\"}]}");
            }
            else
            {
                peer.subscribed(request);
                peer.binary(snapshot(1, entry(1, 3, 300)));
            }
        });
        client = TickgateClient.connect(new TickgateClient.Context()
            .uri(server.uri())
            .listener(listener)
            .reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(20))
            .unknownSymbolRetryNs(TimeUnit.MILLISECONDS.toNanos(100)));
        client.subscribe("AAPL");

        Tests.await(TIMEOUT, () -> 300 == bid("AAPL"), () -> "never accepted again: " + listener.updates +
            listener.errors);

        assertThat(listener.updates).containsExactly("S AAPL 100", "S AAPL -", "S AAPL 300");
        assertThat(listener.errors).anyMatch(e -> e.detail().equals("closed by the gateway: 1001 going away"));
        assertThat(listener.errors).anyMatch(e -> e.detail().equals("AAPL: UNKNOWN_SYMBOL"));
        assertThat(client.counters().seqRegressions()).isZero();
        client.read("AAPL", read);
        assertThat(read.rejectReason()).isNull();
        assertThat(read.seq()).isEqualTo(3);
    }

    /**
     * Names the gateway keeps calling unknown are asked for less and less often, and as often as at first again
     * once it accepts one it had called unknown. They used to be asked for every interval, for ever.
     */
    @Test
    void shouldBackOffAskingForUnknownNamesAndStartAgainWhenOneIsAccepted()
    {
        final List<Long> askedNs = new CopyOnWriteArrayList<>();
        server = new FakeGateway((peer, request) ->
        {
            askedNs.add(System.nanoTime());
            final boolean lateDefined = askedNs.size() > 5; // from the fifth retry on
            peer.text("{\"op\":\"subscribed\",\"id\":" + request.path("id").asLong() + ",\"symbols\":[" +
                (lateDefined ? "{\"symbol\":\"LATE\",\"sid\":1,\"priceScale\":4,\"sizeScale\":0}" : "") +
                "],\"rejected\":[{\"symbol\":\"NOPE\",\"reason\":\"UNKNOWN_SYMBOL\"}" +
                (lateDefined ? "" : ",{\"symbol\":\"LATE\",\"reason\":\"UNKNOWN_SYMBOL\"}") + "]}");
        });
        final long retryMs = 20;
        client = TickgateClient.connect(new TickgateClient.Context()
            .uri(server.uri())
            .listener(listener)
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)) // checks every 25 ms
            .unknownSymbolRetryNs(TimeUnit.MILLISECONDS.toNanos(retryMs)));
        Tests.await(TIMEOUT, () -> ConnectionStatus.CONNECTED == client.status(), () -> "not connected");
        final AtomicLong frameSeq = new AtomicLong(1);
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleAtFixedRate(() -> server.peers.get(0).binary(heartbeat(frameSeq.getAndIncrement())),
            0, 50, TimeUnit.MILLISECONDS);

        client.subscribe("NOPE", "LATE");

        Tests.await(TIMEOUT, () -> askedNs.size() >= 7, () -> "asked " + askedNs.size() + " times");
        final long fifthGapMs = TimeUnit.NANOSECONDS.toMillis(askedNs.get(5) - askedNs.get(4));
        final long afterAcceptedMs = TimeUnit.NANOSECONDS.toMillis(askedNs.get(6) - askedNs.get(5));
        assertThat(fifthGapMs).as("the fifth retry waits 16 intervals").isGreaterThanOrEqualTo(16 * retryMs - 70);
        assertThat(afterAcceptedMs).as("LATE accepted: the next retry waits one interval, not 32")
            .isLessThan(16 * retryMs);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(client.read("LATE", read) && read.sid() == 1).isTrue();
    }

    @Test
    void shouldResolveRequestsByReplyId() throws Exception
    {
        server = new FakeGateway((peer, request) ->
        {
            final long id = request.path("id").asLong();
            switch (request.path("op").asText())
            {
                case "subscribe" -> peer.text("{\"op\":\"subscribed\",\"id\":" + id + ",\"symbols\":[{\"symbol\":" +
                    "\"AAPL\",\"sid\":1,\"priceScale\":4,\"sizeScale\":0}],\"rejected\":[{\"symbol\":\"NOPE\"," +
                    "\"reason\":\"LIMIT_EXCEEDED\"}]}");
                case "throttle" -> peer.text("{\"op\":\"throttled\",\"id\":" + id + ",\"maxRateHz\":4}");
                case "ping" -> peer.text("{\"op\":\"error\",\"id\":" + id + ",\"code\":\"BAD_REQUEST\"," +
                    "\"message\":\"no\"}");
                default -> peer.text("{\"op\":\"unsubscribed\",\"id\":" + id + ",\"symbols\":[\"AAPL\"]}");
            }
        });
        connect(server.uri(), 1_000);
        Tests.await(TIMEOUT, () -> ConnectionStatus.CONNECTED == client.status(), () -> "not connected");

        final SubscribeResult result = client.subscribe("AAPL", "NOPE").orTimeout(10, TimeUnit.SECONDS)
.join();
        assertThat(result.accepted()).containsExactly("AAPL");
        assertThat(result.rejected()).containsEntry("NOPE", "LIMIT_EXCEEDED");
        assertThat(client.throttle(4)).succeedsWithin(TIMEOUT).isEqualTo(4);
        assertThat(client.ping()).failsWithin(TIMEOUT).withThrowableThat()
            .withCauseInstanceOf(RequestFailedException.class).withMessageContaining("BAD_REQUEST");
        assertThat(client.unsubscribe("AAPL").get(10, TimeUnit.SECONDS)).containsExactly("AAPL");
        assertThat(client.symbols()).as("LIMIT_EXCEEDED is not asked for again").isEmpty();
        assertThat(listener.hasError(ClientError.SYMBOL_REJECTED)).isTrue();
    }

    /**
     * After {@code close()} a request is an application error, the same for each: it fails with {@code CLOSED},
     * sends nothing and changes nothing (unsubscribe and throttle had reported success).
     */
    @Test
    void shouldFailEveryRequestWithClosedAfterClose()
    {
        final int sent = connectHoldingAapl();
        client.close();

        for (final CompletableFuture<?> request : List.of(
            client.subscribe("MSFT"), client.unsubscribe("AAPL"), client.throttle(5), client.ping()))
        {
            assertThat(request).failsWithin(TIMEOUT).withThrowableThat()
                .withCauseInstanceOf(RequestFailedException.class).withMessageContaining("CLOSED");
        }
        assertThat(client.symbols()).containsExactly("AAPL");
        assertThat(server.requests).hasSize(sent);
        assertThat(client.status()).isEqualTo(ConnectionStatus.CLOSED);
    }

    /**
     * One refused subscribe must not cost every later session its subscriptions: names of a request refused as a
     * whole are forgotten, bad names never enter, and a long subscribe, like the resubscribe after a reconnect, goes
     * in requests within the gateway's limits (names and bytes) however many symbols are wanted. The gateway refuses
     * a longer request as a whole, and one over 64 KiB with TOO_LARGE and no id, which no future could be completed by.
     */
    @Test
    void shouldKeepSubscribesWithinLimitsAndForgetRefusedRequests()
    {
        final List<Integer> firstSessionSubscribes = new CopyOnWriteArrayList<>();
        final List<Integer> secondSessionSubscribes = new CopyOnWriteArrayList<>();
        server = new FakeGateway((peer, request) ->
        {
            final long id = request.path("id").asLong();
            switch (request.path("op").asText())
            {
                case "subscribe" ->
                {
                    final int count = request.path("symbols").size();
                    (2 == peer.connection() ? secondSessionSubscribes : firstSessionSubscribes).add(count);
                    if (request.toString().length() > TickgateClient.MAX_REQUEST_BYTES)
                    {
                        peer.text("{\"op\":\"error\",\"code\":\"TOO_LARGE\",\"message\":\"over 65536 bytes\"}");
                    }
                    else if (count > TickgateClient.MAX_SYMBOLS_PER_REQUEST ||
                        request.path("symbols").toString().contains("\"R"))
                    {
                        peer.text("{\"op\":\"error\",\"id\":" + id + ",\"code\":\"BAD_REQUEST\",\"message\":" +
                            "\"refused\"}");
                    }
                    else
                    {
                        peer.subscribed(request);
                    }
                }
                case "ping" -> peer.close(1001, "going away");
                default -> peer.text("{\"op\":\"error\",\"id\":" + id + ",\"code\":\"BAD_REQUEST\"}");
            }
        });
        connect(server.uri(), 1_000);
        assertThat(client.subscribe("A", "B")).succeedsWithin(TIMEOUT);

        assertThat(client.subscribe(names("X", 5_000))).succeedsWithin(TIMEOUT)
            .satisfies(result -> assertThat(result.accepted()).hasSize(5_000).contains("X0", "X4999"));
        assertThat(client.subscribe(sixteenCharacterNames(4_000))).as("over 64 KiB as one request")
            .succeedsWithin(TIMEOUT).satisfies(result -> assertThat(result.accepted()).hasSize(4_000));
        assertThat(client.subscribe(names("R", 3))).failsWithin(TIMEOUT).withThrowableThat()
            .withCauseInstanceOf(RequestFailedException.class).withMessageContaining("BAD_REQUEST");
        final String[] partlyRefused = Arrays.copyOf(names("Y", 4_096), 4_097);
        partlyRefused[4_096] = "R9";
        assertThat(client.subscribe(partlyRefused)).as("its second request is refused").failsWithin(TIMEOUT)
            .withThrowableThat().withCauseInstanceOf(RequestFailedException.class)
            .withMessageContaining("BAD_REQUEST");
        assertThat(client.symbols()).as("names of the refused requests").hasSize(2 + 5_000 + 4_000 + 4_096)
            .contains("A", "B", "Y4095").doesNotContain("R0", "R9");
        assertThat(firstSessionSubscribes).allMatch(count -> count <= TickgateClient.MAX_SYMBOLS_PER_REQUEST);
        assertThatThrownBy(() -> client.subscribe("C", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.subscribe((String[])null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.subscribe("ABCDEFGHIJKLMNOPQ")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a symbol name");
        assertThatThrownBy(() -> client.subscribe("a b")).isInstanceOf(IllegalArgumentException.class);

        assertThat(client.subscribe(names("P", 2_500))).succeedsWithin(TIMEOUT);
        assertThat(client.subscribe(names("Q", 2_500))).succeedsWithin(TIMEOUT);
        client.ping(); // the gateway goes away

        final int wanted = 2 + 5_000 + 4_000 + 4_096 + 5_000;
        Tests.await(TIMEOUT, () -> secondSessionSubscribes.stream().mapToInt(Integer::intValue).sum() == wanted,
            () -> "resubscribed " + secondSessionSubscribes);
        assertThat(secondSessionSubscribes).allMatch(count -> count <= TickgateClient.MAX_SYMBOLS_PER_REQUEST);
        Tests.await(TIMEOUT, () -> client.read("Q2499", read) && read.sid() > 0, () -> "Q2499 never accepted");
        assertThat(listener.errors).filteredOn(e -> e.detail().contains("BAD_REQUEST")).as("only the refused ones")
            .hasSize(2);
        assertThat(listener.errors).filteredOn(e -> e.detail().contains("TOO_LARGE")).isEmpty();
    }

    /**
     * Unsubscribe refuses what subscribe refuses, with the same exception and words, before anything changes: it
     * used to remove AAPL from {@code ("AAPL", null)} and resolve {@code ("")} with no names.
     */
    @Test
    void shouldRefuseInUnsubscribeTheNamesSubscribeRefuses()
    {
        final int sent = connectHoldingAapl();

        for (final String[] names : List.of(new String[] { "AAPL", null }, new String[] { "" },
            new String[] { "AAPL", "ABCDEFGHIJKLMNOPQ" }, new String[] { "a b" }))
        {
            final Throwable refused = catchThrowable(() -> client.subscribe(names));
            assertThat(refused).as(Arrays.toString(names)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.unsubscribe(names)).as(Arrays.toString(names))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(refused.getMessage());
        }
        assertThatThrownBy(() -> client.unsubscribe((String[])null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("names must not be null");
        assertThat(client.symbols()).containsExactly("AAPL");
        assertThat(server.requests).hasSize(sent);
    }

    /**
     * A long subscribe whose connection goes after its first part was answered: the parts still waiting are answered
     * by the resubscribe on the next connection, whose reply holds every wanted name; the call's result names each
     * once.
     */
    @Test
    void shouldNameEachSymbolOnceWhenALongSubscribeIsCutOffByALostConnection()
    {
        final AtomicInteger firstSessionSubscribes = new AtomicInteger();
        server = new FakeGateway((peer, request) ->
        {
            if (1 == peer.connection() && firstSessionSubscribes.incrementAndGet() > 1)
            {
                peer.close(1001, "going away"); // the second part is never answered
                return;
            }
            peer.subscribed(request);
        });
        connect(server.uri(), 1_000);

        assertThat(client.subscribe(names("B", 5_000))).succeedsWithin(TIMEOUT).satisfies(result ->
            assertThat(result.accepted()).hasSize(5_000).doesNotHaveDuplicates());
        assertThat(server.connections.get()).isEqualTo(2);
    }

    /**
     * Subscribes the resubscribe answers (one cut off by the lost connection, two made while reconnecting) each
     * learn about their own names only; each used to get the whole reply, another call's NOPE as its rejection.
     */
    @Test
    void shouldAnswerEachSubscribeAnsweredByTheResubscribeWithItsOwnNames()
    {
        server = new FakeGateway((peer, request) ->
        {
            if (1 == peer.connection())
            {
                peer.close(1001, "going away"); // MSFT's subscribe is never answered
                return;
            }
            peer.text("{\"op\":\"subscribed\",\"id\":" + request.path("id").asLong() + ",\"symbols\":[" +
                "{\"symbol\":\"MSFT\",\"sid\":1,\"priceScale\":4,\"sizeScale\":0}," +
                "{\"symbol\":\"IBM\",\"sid\":2,\"priceScale\":4,\"sizeScale\":0}," +
                "{\"symbol\":\"AAPL\",\"sid\":3,\"priceScale\":4,\"sizeScale\":0}]," +
                "\"rejected\":[{\"symbol\":\"NOPE\",\"reason\":\"UNKNOWN_SYMBOL\"}]}");
        });
        client = TickgateClient.connect(new TickgateClient.Context()
            .uri(server.uri())
            .listener(listener)
            .reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(500))); // 250 to 500 ms to subscribe meanwhile
        Tests.await(TIMEOUT, () -> ConnectionStatus.CONNECTED == client.status(), () -> "not connected");

        final CompletableFuture<SubscribeResult> cutOff = client.subscribe("MSFT");
        Tests.await(TIMEOUT, () -> ConnectionStatus.RECONNECTING == client.status(), () -> "never dropped");
        final CompletableFuture<SubscribeResult> ibm = client.subscribe("IBM");
        final CompletableFuture<SubscribeResult> aaplAndNope = client.subscribe("AAPL", "NOPE");

        assertThat(cutOff).succeedsWithin(TIMEOUT).isEqualTo(new SubscribeResult(List.of("MSFT"), Map.of()));
        assertThat(ibm).succeedsWithin(TIMEOUT).isEqualTo(new SubscribeResult(List.of("IBM"), Map.of()));
        assertThat(aaplAndNope).succeedsWithin(TIMEOUT)
            .isEqualTo(new SubscribeResult(List.of("AAPL"), Map.of("NOPE", "UNKNOWN_SYMBOL")));
        assertThat(server.requests).as("one resubscribe for all three").hasSize(2);
    }

    /**
     * A subscribe made before the connection opened goes out in the resubscribe that follows the open; when the
     * gateway refuses that request as a whole, the names the subscribe added are forgotten like any refused
     * subscribe's, so the next connection does not ask for them again.
     */
    @Test
    void shouldForgetNamesOfASubscribeRefusedAsAWholeWhenItWaitedForTheConnection()
    {
        final List<String> secondSessionSubscribes = new CopyOnWriteArrayList<>();
        server = new FakeGateway((peer, request) ->
        {
            final long id = request.path("id").asLong();
            switch (request.path("op").asText())
            {
                case "subscribe" ->
                {
                    if (2 == peer.connection())
                    {
                        secondSessionSubscribes.add(request.path("symbols").toString());
                        peer.subscribed(request);
                    }
                    else
                    {
                        peer.text("{\"op\":\"error\",\"id\":" + id + ",\"code\":\"RATE_LIMITED\"}");
                    }
                }
                case "ping" -> peer.close(1001, "going away");
                default -> peer.text("{\"op\":\"error\",\"id\":" + id + ",\"code\":\"BAD_REQUEST\"}");
            }
        });
        final CompletableFuture<SubscribeResult> early = connect(server.uri(), 1_000).subscribe("A", "B");

        assertThat(early).failsWithin(TIMEOUT).withThrowableThat()
            .withCauseInstanceOf(RequestFailedException.class).withMessageContaining("RATE_LIMITED");
        assertThat(client.symbols()).as("names of the refused request").isEmpty();
        client.ping(); // the gateway goes away
        Tests.await(TIMEOUT, () -> client.status() == ConnectionStatus.CONNECTED && 2 == server.connections.get(),
            () -> "never reconnected");
        assertThat(client.subscribe("C")).succeedsWithin(TIMEOUT);
        assertThat(secondSessionSubscribes).as("what the second session was asked for").containsExactly("[\"C\"]");
    }

    /**
     * Unsubscribing everything from a large universe: more names than the gateway takes in one request and more
     * bytes than one text message may hold. The gateway refuses such a request as a whole, and a message over
     * 64 KiB with TOO_LARGE and no id, so the future never completed and the gateway kept every name.
     */
    @Test
    void shouldSplitLongUnsubscribeWithinTheGatewaysLimitsAndCompleteIt()
    {
        final List<Integer> unsubscribeSizes = new CopyOnWriteArrayList<>();
        server = new FakeGateway((peer, request) ->
        {
            final long id = request.path("id").asLong();
            final int count = request.path("symbols").size();
            if (request.toString().length() > TickgateClient.MAX_REQUEST_BYTES)
            {
                peer.text("{\"op\":\"error\",\"code\":\"TOO_LARGE\",\"message\":\"over 65536 bytes\"}");
            }
            else if (count > TickgateClient.MAX_SYMBOLS_PER_REQUEST)
            {
                peer.text("{\"op\":\"error\",\"id\":" + id + ",\"code\":\"BAD_REQUEST\",\"message\":" +
                    "\"at most 4096 symbols per request\"}");
            }
            else if ("subscribe".equals(request.path("op").asText()))
            {
                peer.subscribed(request);
            }
            else
            {
                unsubscribeSizes.add(count);
                peer.text("{\"op\":\"unsubscribed\",\"id\":" + id + ",\"symbols\":" + request.path("symbols") + "}");
            }
        });
        connect(server.uri(), 1_000);
        final String[] longNames = sixteenCharacterNames(3_600);
        assertThat(client.subscribe(Arrays.copyOfRange(longNames, 0, 1_800))).succeedsWithin(TIMEOUT);
        assertThat(client.subscribe(Arrays.copyOfRange(longNames, 1_800, 3_600))).succeedsWithin(TIMEOUT);
        assertThat(client.subscribe(names("S", 1_000))).succeedsWithin(TIMEOUT);
        final List<String> all = client.symbols();

        assertThat(client.unsubscribe(all.toArray(new String[0]))).succeedsWithin(TIMEOUT)
            .isEqualTo(all);

        assertThat(client.symbols()).isEmpty();
        assertThat(unsubscribeSizes).hasSizeGreaterThan(1).allMatch(n -> n <= TickgateClient.MAX_SYMBOLS_PER_REQUEST);
        assertThat(listener.hasError(ClientError.REQUEST_FAILED)).isFalse();
    }

    /**
     * Unsubscribe resolves with what the client held, in the order asked: names the gateway rejected as unknown were
     * held too, though the gateway's reply leaves them out; it used to resolve with the reply's names alone.
     */
    @Test
    void shouldResolveUnsubscribeWithTheNamesTheClientHeldInTheOrderAsked()
    {
        server = new FakeGateway((peer, request) ->
        {
            final long id = request.path("id").asLong();
            if ("subscribe".equals(request.path("op").asText()))
            {
                peer.text("{\"op\":\"subscribed\",\"id\":" + id + ",\"symbols\":[" +
                    "{\"symbol\":\"AAPL\",\"sid\":1,\"priceScale\":4,\"sizeScale\":0}," +
                    "{\"symbol\":\"MSFT\",\"sid\":2,\"priceScale\":4,\"sizeScale\":0}],\"rejected\":[" +
                    "{\"symbol\":\"NOPE1\",\"reason\":\"UNKNOWN_SYMBOL\"}," +
                    "{\"symbol\":\"NOPE2\",\"reason\":\"UNKNOWN_SYMBOL\"}]}");
            }
            else
            {
                // Like a gateway: only what the session held, in its own order.
                peer.text("{\"op\":\"unsubscribed\",\"id\":" + id + ",\"symbols\":[\"AAPL\",\"MSFT\"]}");
            }
        });
        connect(server.uri(), 1_000);
        assertThat(client.subscribe("AAPL", "NOPE1", "MSFT", "NOPE2")).succeedsWithin(TIMEOUT);

        assertThat(client.unsubscribe("NOPE2", "MSFT", "GONE", "AAPL", "NOPE1", "MSFT")).succeedsWithin(TIMEOUT)
            .isEqualTo(List.of("NOPE2", "MSFT", "AAPL", "NOPE1"));
        assertThat(client.symbols()).isEmpty();
    }

    /**
     * An unsubscribe the gateway refuses as a whole changed nothing there: the client holds the names again and
     * takes the entries the gateway goes on sending for them, so the two stay in step.
     */
    @Test
    void shouldHoldNamesAgainWhenTheGatewayRefusesAnUnsubscribeAsAWhole()
    {
        // Like a gateway, the fake restates each symbol's current value in a snapshot, and goes on sending AAPL,
        // whose unsubscribe it refuses: the update sent before the refusal reaches the client while AAPL is not
        // bound, so only asking for AAPL again (its snapshot) brings the client to 200.
        final java.util.concurrent.atomic.AtomicLong aaplSeq = new java.util.concurrent.atomic.AtomicLong(1);
        final java.util.concurrent.atomic.AtomicLong frameSeq = new java.util.concurrent.atomic.AtomicLong();
        server = new FakeGateway((peer, request) ->
        {
            if ("subscribe".equals(request.path("op").asText()))
            {
                peer.subscribed(request);
                peer.binary(snapshot(frameSeq.incrementAndGet(), entry(1, aaplSeq.get(), 100 * aaplSeq.get()),
                    entry(2, 1, 500)));
            }
            else
            {
                aaplSeq.set(2);
                peer.binary(update(frameSeq.incrementAndGet(), entry(1, 2, 200)));
                peer.text("{\"op\":\"error\",\"id\":" + request.path("id").asLong() + ",\"code\":\"RATE_LIMITED\"," +
                    "\"message\":\"slow down\"}");
            }
        });
        connect(server.uri(), 1_000);
        assertThat(client.subscribe("AAPL", "MSFT")).succeedsWithin(TIMEOUT);
        Tests.await(TIMEOUT, () -> 100 == bid("AAPL"), () -> "no snapshot: " + listener.updates);

        assertThat(client.unsubscribe("AAPL")).failsWithin(TIMEOUT).withThrowableThat()
            .withCauseInstanceOf(RequestFailedException.class).withMessageContaining("RATE_LIMITED");

        assertThat(client.symbols()).containsExactlyInAnyOrder("AAPL", "MSFT");
        Tests.await(TIMEOUT, () -> 200 == bid("AAPL"), () -> "AAPL not bound again: " + listener.updates);
        assertThat(client.counters().seqRegressions()).isZero();
    }

    private static String[] sixteenCharacterNames(final int count)
    {
        final String[] names = new String[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = String.format("LONGNAME%08d", i);
        }
        return names;
    }

    private static String[] names(final String prefix, final int count)
    {
        final String[] names = new String[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = prefix + i;
        }
        return names;
    }
}

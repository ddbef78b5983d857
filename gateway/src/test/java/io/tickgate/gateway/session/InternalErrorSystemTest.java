package io.tickgate.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.gateway.conflation.Conflator;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.metrics.GatewayMetrics;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.simulator.CalibratedEpochNanoClock;
import io.undertow.Handlers;
import io.undertow.Undertow;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md 1.5: a bug met while serving a session closes that session with 1011 "internal error", is handed to
 * the gateway's error handler (logged, counted), and leaves the other sessions of the same IO thread served. The
 * bug is stood for by a request parser that throws on one request; everything else is the real endpoint, served by
 * Undertow on loopback to real WebSocket clients.
 */
class InternalErrorSystemTest
{
    private static final String BUG = "{\"op\":\"bug\",\"id\":9}";
    /** Stands for a write that fails under the session while it reads: the connection closes in mid-read. */
    private static final String DROP = "{\"op\":\"drop\",\"id\":8}";

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final SessionCounters counters = metrics.sessionCounters();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile Session dropped;
    private WebSocketEndpoint endpoint;
    private Undertow undertow;
    private URI uri;

    @BeforeEach
    void start()
    {
        final SymbolRegistry registry = new SymbolRegistry(16);
        registry.register("AAA", 2, 0, 0);
        // Its sid lies beyond the cache: encoding its snapshot fails, standing for a bug in frame encoding.
        registry.register("BUG", 2, 0, 0);
        final LastValueCache cache = new LastValueCache(1);
        final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock();
        final Conflator conflator = new Conflator(
            new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH))),
            cache,
            registry,
            SystemNanoClock.INSTANCE,
            clock,
            64,
            TimeUnit.HOURS.toNanos(1),
            metrics.gaugeCounter("tickgate.subscriptions", "test"),
            metrics.counter("tickgate.stale.transitions", "test"));
        final ControlMessageAdapter failing = new ControlMessageAdapter(new ObjectMapper(), 64)
        {
            @Override
            void onMessage(final byte[] bytes, final int length, final ControlListener listener)
            {
                if (new String(bytes, 0, length, StandardCharsets.UTF_8).equals(BUG))
                {
                    throw new IllegalStateException("a bug in request handling");
                }
                if (new String(bytes, 0, length, StandardCharsets.UTF_8).equals(DROP))
                {
                    dropped = ((SessionRequests)listener).session();
                    // What the connection's close listener does when a failed write closes it inline.
                    dropped.onClosed();
                    return;
                }
                super.onMessage(bytes, length, listener);
            }
        };
        endpoint = new WebSocketEndpoint(
            registry,
            conflator.proxy(),
            cache,
            counters,
            clock,
            errors::add,
            new SessionSettings(
                TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(10), 2_000, 64, 65_536, 64, 64 * 1024, true),
            100,
            failing,
            OriginPolicy.ANY);
        // One IO thread: the failing session and the healthy one share its dispatcher.
        undertow = Undertow.builder()
            .setIoThreads(1)
            .setWorkerThreads(1)
            .addHttpListener(0, "127.0.0.1")
            .setHandler(Handlers.path().addExactPath("/ws", endpoint))
            .build();
        undertow.start();
        final InetSocketAddress address = (InetSocketAddress)undertow.getListenerInfo().get(0).getAddress();
        uri = URI.create("ws://127.0.0.1:" + address.getPort() + "/ws");
    }

    @AfterEach
    void stop()
    {
        endpoint.closeAll();
        endpoint.stop();
        undertow.stop();
        metrics.close();
    }

    @Test
    void shouldCloseOnlyTheFailingSessionWithInternalError() throws Exception
    {
        final Client failing = new Client();
        final Client healthy = new Client();
        failing.await("{\"op\":\"ping\",\"id\":1}", "\"pong\"");
        healthy.await("{\"op\":\"ping\",\"id\":1}", "\"pong\"");

        failing.socket.sendText(BUG, true).get(5, TimeUnit.SECONDS);

        assertThat(failing.close.get(10, TimeUnit.SECONDS)).isEqualTo("1011 internal error");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).isInstanceOf(IllegalStateException.class).hasMessage("a bug in request handling");
        // The other session on the same IO thread is still answered, and the failed one's state is released.
        healthy.await("{\"op\":\"ping\",\"id\":2}", "\"id\":2");
        awaitOpenSessions(1);
        assertThat(healthy.close).isNotDone();
        assertThat(failing.texts).noneMatch(text -> text.contains("\"id\":9"));
    }

    /**
     * A bug met encoding a snapshot, after the "subscribed" it follows was already taken for writing: the reply and
     * the 1011 still reach the client (they waited for a write no one had asked for, and the connection was dropped
     * silently at the end of the close grace).
     */
    @Test
    void shouldSendTheRepliesAndTheInternalErrorCloseWhenEncodingAFrameFails() throws Exception
    {
        final Client failing = new Client();
        final Client healthy = new Client();
        healthy.await("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"AAA\"]}", "\"subscribed\"");

        failing.socket.sendText("{\"op\":\"subscribe\",\"id\":7,\"symbols\":[\"BUG\"]}", true)
            .get(5, TimeUnit.SECONDS);

        assertThat(failing.close.get(10, TimeUnit.SECONDS)).isEqualTo("1011 internal error");
        assertThat(failing.texts).as("the reply taken before the failure").singleElement()
            .satisfies(text -> assertThat(text).contains("\"subscribed\"", "\"id\":7"));
        assertThat(errors).singleElement().isInstanceOf(IndexOutOfBoundsException.class);
        healthy.await("{\"op\":\"ping\",\"id\":2}", "\"id\":2");
        awaitOpenSessions(1);
    }

    /**
     * A connection that closes while a read is being decoded (a reply's write failing on a reset) releases the
     * session; the requests after it in the same read must not subscribe again: nothing would release that.
     */
    @Test
    void shouldTakeNoRequestAfterTheConnectionClosedInTheMiddleOfARead() throws Exception
    {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort()))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final StringBuilder response = new StringBuilder();
            while (!response.toString().endsWith("\r\n\r\n"))
            {
                response.append((char)in.read());
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 101");

            // One write, so one read: the drop, then a subscribe and a throttle behind it.
            final ByteArrayOutputStream frames = new ByteArrayOutputStream();
            frames.write(ClientFrames.masked(true, 0x1, DROP.getBytes(StandardCharsets.UTF_8)));
            frames.write(ClientFrames.masked(true, 0x1,
                "{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"AAA\"]}".getBytes(StandardCharsets.UTF_8)));
            frames.write(ClientFrames.masked(true, 0x1,
                "{\"op\":\"throttle\",\"id\":2,\"maxRateHz\":5}".getBytes(StandardCharsets.UTF_8)));
            out.write(frames.toByteArray());
            out.flush();

            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (null == dropped && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(10);
            }
            assertThat(dropped).as("the drop was read").isNotNull();
            // The rest of the read is decoded within the same IO event as the drop; give it ample time.
            Thread.sleep(500);
            assertThat(dropped.subscriptionCount()).as("subscriptions of a closed session").isZero();
            assertThat(counters.sessionsThrottled.get()).as("throttled sessions").isZero();
        }
    }

    private void awaitOpenSessions(final long expected) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counters.sessionsOpen.get() != expected && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(10);
        }
        assertThat(counters.sessionsOpen.get()).as("sessions open").isEqualTo(expected);
    }

    /**
     * A real WebSocket client that keeps every text reply and how the gateway closed it.
     */
    private final class Client implements WebSocket.Listener
    {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> close = new CompletableFuture<>();
        final WebSocket socket;
        private final StringBuilder partial = new StringBuilder();

        Client() throws Exception
        {
            socket = http.newWebSocketBuilder().buildAsync(uri, this).get(10, TimeUnit.SECONDS);
        }

        void await(final String request, final String replyMark) throws Exception
        {
            socket.sendText(request, true).get(5, TimeUnit.SECONDS);
            final long deadlineNs = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (texts.stream().noneMatch(text -> text.contains(replyMark)) && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(10);
            }
            assertThat(texts).as("replies to %s", request).anyMatch(text -> text.contains(replyMark));
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
        {
            close.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(final WebSocket webSocket, final Throwable error)
        {
            close.completeExceptionally(error);
        }
    }
}

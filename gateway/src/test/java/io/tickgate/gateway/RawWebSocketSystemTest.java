package io.tickgate.gateway;

import io.tickgate.gateway.session.ClientFrames;
import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway's own RFC 6455 framing, seen byte by byte from a plain TCP socket: the opening handshake and its
 * refusals (4.2), unmasked minimal-length server frames (5.1, 5.2), ping/pong (5.5.2, 5.5.3), both directions of
 * the close handshake (7.1), and failing the connection on protocol errors (7.1.7).
 */
class RawWebSocketSystemTest
{
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private GatewayFixture fixture = GatewayFixture.launch(ctx -> ctx);

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void shouldAnswerTheOpeningHandshake() throws Exception
    {
        try (Socket socket = socket())
        {
            final Map<String, String> response = handshake(socket, upgradeRequest(KEY, "13"));

            assertThat(response.get(":status")).startsWith("HTTP/1.1 101");
            assertThat(response.get("upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(response.get("connection")).containsIgnoringCase("upgrade");
            assertThat(response.get("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(response).doesNotContainKey("sec-websocket-extensions");
        }
    }

    @Test
    void shouldRefuseRequestsThatAreNotWebSocketUpgrades() throws Exception
    {
        try (Socket socket = socket())
        {
            final Map<String, String> plain = handshake(socket,
                "GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(plain.get(":status")).startsWith("HTTP/1.1 426");
            assertThat(plain.get("upgrade")).isEqualToIgnoringCase("websocket");
            // RFC 9110 7.8: a response that sends Upgrade lists it in Connection.
            assertThat(plain.get("connection")).containsIgnoringCase("upgrade");
        }
        try (Socket socket = socket())
        {
            final Map<String, String> version = handshake(socket, upgradeRequest(KEY, "8"));
            assertThat(version.get(":status")).startsWith("HTTP/1.1 426");
            assertThat(version.get("sec-websocket-version")).isEqualTo("13");
            // RFC 7231 6.5.15: a 426 names the protocol to upgrade to.
            assertThat(version.get("upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(version.get("connection")).containsIgnoringCase("upgrade");
        }
        try (Socket socket = socket())
        {
            // The version may appear once (RFC 6455 11.3.5); a second line makes it "13, 8".
            final Map<String, String> twoVersions = handshake(socket,
                upgradeRequest(KEY, "13").replace("\r\n\r\n", "\r\nSec-WebSocket-Version: 8\r\n\r\n"));
            assertThat(twoVersions.get(":status")).startsWith("HTTP/1.1 426");
        }
        for (final String badKey : new String[]{"c2hvcnQ=", "QUFBQUFBQUFBQUFBQUFBQQ"})
        {
            // Too short, and 16 bytes without the base64 padding RFC 4648 requires.
            try (Socket socket = socket())
            {
                final Map<String, String> key = handshake(socket, upgradeRequest(badKey, "13"));
                assertThat(key.get(":status")).as(badKey).startsWith("HTTP/1.1 400");
            }
        }
        try (Socket socket = socket())
        {
            // The key may appear once (RFC 6455 11.3.1).
            final Map<String, String> twoKeys = handshake(socket,
                upgradeRequest(KEY, "13").replace("\r\n\r\n", "\r\nSec-WebSocket-Key: " + generatedKey() + "\r\n\r\n"));
            assertThat(twoKeys.get(":status")).startsWith("HTTP/1.1 400");
        }
        try (Socket socket = socket())
        {
            final Map<String, String> post = handshake(socket,
                "POST /ws HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
            assertThat(post.get(":status")).startsWith("HTTP/1.1 405");
        }
        try (Socket socket = socket())
        {
            // Methods are case-sensitive (RFC 7230 3.1.1).
            final Map<String, String> lowerCase = handshake(socket, "get" + upgradeRequest(KEY, "13").substring(3));
            assertThat(lowerCase.get(":status")).startsWith("HTTP/1.1 405");
        }
        try (Socket socket = socket())
        {
            final Map<String, String> http10 =
                handshake(socket, upgradeRequest(KEY, "13").replace("HTTP/1.1", "HTTP/1.0"));
            assertThat(http10.get(":status")).matches("HTTP/1\\.[01] 400 .*");
        }
        assertThat(fixture.metric("tickgate_sessions_opened_total")).isZero();
    }

    @Test
    void shouldSendUnmaskedMinimalFramesAndAnswerPingsInOrder() throws Exception
    {
        fixture.feed.define(1, "AAA", 2, 0).flush();
        fixture.awaitSymbol("AAA");
        fixture.feed.quote(1, 101, 5, 102, 6).flush();
        fixture.awaitSeq("AAA", 1);
        try (Socket socket = socket())
        {
            handshake(socket, upgradeRequest(generatedKey(), "13"));
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final OutputStream out = socket.getOutputStream();

            // The subscribe request split over two fragments with a ping between them.
            out.write(clientFrame(false, 0x1, "{\"op\":\"subscribe\",\"id\":7,".getBytes(StandardCharsets.UTF_8)));
            out.write(clientFrame(true, 0x9, "hb".getBytes(StandardCharsets.UTF_8)));
            out.write(clientFrame(true, 0x0, "\"symbols\":[\"AAA\"]}".getBytes(StandardCharsets.UTF_8)));
            out.flush();

            final ServerFrame pong = ServerFrame.read(in);
            assertThat(pong.opcode).isEqualTo(0xA);
            assertThat(new String(pong.payload, StandardCharsets.UTF_8)).isEqualTo("hb");

            final ServerFrame subscribed = ServerFrame.read(in);
            assertThat(subscribed.opcode).isEqualTo(0x1);
            assertThat(subscribed.text()).contains("\"op\":\"subscribed\"", "\"id\":7", "\"symbol\":\"AAA\"");

            final ServerFrame snapshot = ServerFrame.read(in);
            assertThat(snapshot.opcode).isEqualTo(0x2);
            // 24 + 80 = 104 bytes fits the 7-bit length form, which the server must use.
            assertThat(snapshot.headerLength).isEqualTo(2);
            final FrameFlyweight frame = new FrameFlyweight().wrap(new UnsafeBuffer(snapshot.payload), 0);
            assertThat(frame.kind()).isEqualTo(FrameDescriptor.KIND_SNAPSHOT);
            assertThat(frame.frameSeq()).isEqualTo(1);
            assertThat(frame.count()).isEqualTo(1);
            assertThat(frame.bidPrice(0)).isEqualTo(101);

            fixture.feed.quote(1, 103, 5, 104, 6).flush();
            final ServerFrame update = ServerFrame.read(in);
            assertThat(update.opcode).isEqualTo(0x2);
            final FrameFlyweight updateFrame = new FrameFlyweight().wrap(new UnsafeBuffer(update.payload), 0);
            assertThat(updateFrame.kind()).isEqualTo(FrameDescriptor.KIND_UPDATE);
            assertThat(updateFrame.frameSeq()).isEqualTo(2);
            assertThat(updateFrame.bidPrice(0)).isEqualTo(103);
        }
    }

    @Test
    void shouldEchoTheClientsCloseAndDropTheConnection() throws Exception
    {
        try (Socket socket = socket())
        {
            handshake(socket, upgradeRequest(generatedKey(), "13"));
            awaitSessions(1);
            socket.getOutputStream().write(clientFrame(true, 0x8, new byte[]{0x0F, (byte)0xA0, 'o', 'k'}));

            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final ServerFrame close = ServerFrame.read(in);
            assertThat(close.opcode).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(4000);
            assertThat(in.read()).as("TCP closed by the server after the close handshake").isEqualTo(-1);
        }
        awaitSessions(0);
    }

    @Test
    void shouldAnswerAnEmptyCloseWithAnEmptyClose() throws Exception
    {
        try (Socket socket = socket())
        {
            handshake(socket, upgradeRequest(generatedKey(), "13"));
            socket.getOutputStream().write(clientFrame(true, 0x8, new byte[0]));

            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final ServerFrame close = ServerFrame.read(in);
            assertThat(close.opcode).isEqualTo(0x8);
            assertThat(close.payload).isEmpty();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldFailTheConnectionOnAnUnmaskedFrame() throws Exception
    {
        try (Socket socket = socket())
        {
            handshake(socket, upgradeRequest(generatedKey(), "13"));
            socket.getOutputStream().write(new byte[]{(byte)0x81, 0x02, 'h', 'i'});

            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final ServerFrame close = ServerFrame.read(in);
            assertThat(close.opcode).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1002);
            assertThat(in.read()).isEqualTo(-1);
        }
        Tests.await(java.time.Duration.ofSeconds(5),
            () -> fixture.metric("tickgate_websocket_protocol_errors_total") == 1,
            () -> "protocol errors: " + fixture.metric("tickgate_websocket_protocol_errors_total"));
    }

    @Test
    void shouldFailTheConnectionOnTextThatIsNotUtf8() throws Exception
    {
        try (Socket socket = socket())
        {
            handshake(socket, upgradeRequest(generatedKey(), "13"));
            socket.getOutputStream().write(clientFrame(true, 0x1, new byte[]{(byte)0xC3, 0x28}));

            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final ServerFrame close = ServerFrame.read(in);
            assertThat(close.closeCode()).isEqualTo(1007);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldCloseGoingAwayOnShutdownAndWaitForTheClientsClose() throws Exception
    {
        try (Socket socket = socket())
        {
            handshake(socket, upgradeRequest(generatedKey(), "13"));
            awaitSessions(1);
            final Thread stopper = new Thread(fixture::close, "test-gateway-stop");
            stopper.start();

            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final ServerFrame close = ServerFrame.read(in);
            assertThat(close.opcode).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1001);
            socket.getOutputStream().write(clientFrame(true, 0x8, new byte[]{0x03, (byte)0xE9}));
            assertThat(in.read()).isEqualTo(-1);
            stopper.join(10_000);
        }
    }

    /**
     * A connection that begins a request and never finishes it is closed after the request timeout (they held a
     * descriptor each, for ever, unseen by any session count); an upgraded session is not a request and stays.
     */
    @Test
    void shouldCloseAConnectionThatStallsMidRequestButKeepUpgradedSessions() throws Exception
    {
        fixture.close();
        fixture = GatewayFixture.launch(ctx -> ctx.httpRequestTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500)));
        try (Socket stalled = socket(); Socket upgraded = socket())
        {
            handshake(upgraded, upgradeRequest(generatedKey(), "13"));
            awaitSessions(1);
            stalled.getOutputStream()
                .write("GET /ws HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();

            assertThat(readToEndOrReset(stalled.getInputStream())).as("the stalled request's connection is closed")
                .isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_000));
            upgraded.getOutputStream().write(clientFrame(true, 0x9, new byte[]{7}));
            final DataInputStream in = new DataInputStream(upgraded.getInputStream());
            ServerFrame frame = ServerFrame.read(in);
            while (0xA != frame.opcode)
            {
                frame = ServerFrame.read(in);
            }
            assertThat(frame.payload).containsExactly(7);
            assertThat(fixture.gateway.sessionsOpen()).isEqualTo(1);
        }
    }

    /**
     * No endpoint takes a body, and Undertow read an unread one to its end before it finished the exchange, with no
     * time limit: a request whose declared body never came held its connection for ever (a 405 was never sent, a
     * 200 was followed by a wait). Each is answered at once and its connection closed; the 10 s read timeout of
     * {@link #socket()} fails the test while one waits.
     */
    @Test
    void shouldAnswerARequestWhoseBodyNeverComesAndCloseItsConnection() throws Exception
    {
        final String[][] cases = {
            { "POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nab", "HTTP/1.1 405 ", "" },
            { "GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nab", "HTTP/1.1 200 ", "}" },
            { "PUT /api/symbols HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.1 405 ",
                "" },
            { upgradeRequest(generatedKey(), "13").replace("\r\n\r\n", "\r\nContent-Length: 10\r\n\r\nab"),
                "HTTP/1.1 400 ", "a WebSocket handshake has no body\n" },
        };
        for (final String[] request : cases)
        {
            try (Socket socket = socket())
            {
                socket.getOutputStream().write(request[0].getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();

                final String response = readUntilClosed(socket.getInputStream());

                assertThat(response).as(request[0]).startsWith(request[1]).contains("Connection: close")
                    .endsWith(request[2]);
            }
        }
        awaitSessions(0);
    }

    /**
     * What the server sent before it closed the connection (or reset it); the socket's read timeout fails the test
     * while it stays open.
     */
    private static String readUntilClosed(final InputStream in) throws IOException
    {
        final java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        final byte[] buffer = new byte[4096];
        try
        {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer))
            {
                read.write(buffer, 0, n);
            }
        }
        catch (final java.net.SocketException ex)
        {
            // A reset after the answer: the unread body was still in the server's receive buffer when it closed.
        }
        return read.toString(StandardCharsets.US_ASCII);
    }

    /**
     * PROTOCOL.md 1.4.5 for requests: a client sending requests without pause, and reading its replies, takes turns
     * with the others. The sessions waiting for the thread's share for reading lost their places to the one that
     * had spent it, so another client's ping waited behind dozens of the flooder's 64 KiB turns (0.1 to 1.4 s).
     * Counted in the flooder's replies rather than in time: with turns kept, another request is answered within a
     * couple of the flooder's turns (about 3,400 pings each) whatever the machine's speed.
     */
    @Test
    void shouldAnswerAnotherClientsRequestWithinAFewTurnsOfAClientFloodingRequests() throws Exception
    {
        final byte[] ping = clientFrame(true, 0x1, "{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
        final byte[] burst = new byte[ping.length * 500];
        for (int i = 0; i < 500; i++)
        {
            System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
        }
        final int pingsPerTurn = 64 * 1024 / ping.length;
        final AtomicBoolean flooding = new AtomicBoolean(true);
        final java.util.concurrent.atomic.AtomicLong floodReplies = new java.util.concurrent.atomic.AtomicLong();
        try (Socket flooder = socket(); Socket other = socket())
        {
            handshake(flooder, upgradeRequest(generatedKey(), "13"));
            handshake(other, upgradeRequest(generatedKey(), "13"));
            final Thread sender = new Thread(() ->
            {
                try
                {
                    while (flooding.get())
                    {
                        flooder.getOutputStream().write(burst);
                    }
                }
                catch (final IOException ex)
                {
                    flooding.set(false);
                }
            }, "test-flood-sender");
            final Thread reader = new Thread(() ->
            {
                try
                {
                    final DataInputStream in = new DataInputStream(flooder.getInputStream());
                    while (flooding.get())
                    {
                        ServerFrame.read(in);
                        floodReplies.incrementAndGet();
                    }
                }
                catch (final IOException | AssertionError ex)
                {
                    flooding.set(false);
                }
            }, "test-flood-reader");
            sender.start();
            reader.start();
            Tests.await(java.time.Duration.ofSeconds(10), () -> floodReplies.get() > 10L * pingsPerTurn,
                () -> "the flood is not answered: " + floodReplies.get());

            final DataInputStream in = new DataInputStream(other.getInputStream());
            long worst = 0;
            for (int request = 0; request < 10; request++)
            {
                final long before = floodReplies.get();
                other.getOutputStream().write(clientFrame(true, 0x1,
                    ("{\"op\":\"ping\",\"id\":" + request + "}").getBytes(StandardCharsets.UTF_8)));
                ServerFrame reply = ServerFrame.read(in);
                while (0x1 != reply.opcode)
                {
                    reply = ServerFrame.read(in);
                }
                assertThat(reply.text()).contains("\"op\":\"pong\"", "\"id\":" + request);
                worst = Math.max(worst, floodReplies.get() - before);
            }
            assertThat(flooding.get()).as("the flooder was served all along").isTrue();
            flooding.set(false);
            assertThat(worst).as("the flooder's replies while another client waited for one, at most")
                .isLessThan(4L * pingsPerTurn);
        }
        finally
        {
            flooding.set(false);
        }
    }

    /**
     * True once the stream ends or the connection is reset; the socket's read timeout fails the test first.
     */
    private static boolean readToEndOrReset(final InputStream in) throws IOException
    {
        try
        {
            while (in.read() != -1)
            {
                // Whatever the server said before closing (nothing, or a 408) is not the point.
            }
            return true;
        }
        catch (final java.net.SocketException ex)
        {
            return true;
        }
    }

    /**
     * Shutting down waits for the sessions' close handshakes as long as the configured close grace, not a fixed
     * 2 s: a client that answers its 1001 after 2.5 s, within a grace of 4 s, still gets its connection closed by
     * the gateway after its close (it was dropped at 2 s, its close never read).
     */
    @Test
    void shouldWaitForTheClientsCloseUpToTheConfiguredGraceOnShutdown() throws Exception
    {
        fixture.close();
        fixture = GatewayFixture.launch(ctx -> ctx.closeGraceNs(TimeUnit.SECONDS.toNanos(4)));
        try (Socket socket = socket())
        {
            handshake(socket, upgradeRequest(generatedKey(), "13"));
            awaitSessions(1);
            final long stopNs = System.nanoTime();
            final Thread stopper = new Thread(fixture::close, "test-gateway-stop");
            stopper.start();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(ServerFrame.read(in).closeCode()).isEqualTo(1001);

            final long answerAtNs = stopNs + TimeUnit.MILLISECONDS.toNanos(2_500);
            LockSupport.parkNanos(answerAtNs - System.nanoTime());
            socket.setSoTimeout(100);
            assertThatThrownBy(in::read).as("the connection is still open, waiting for the client's close")
                .isInstanceOf(SocketTimeoutException.class);
            socket.getOutputStream().write(clientFrame(true, 0x8, new byte[]{0x03, (byte)0xE9}));
            socket.setSoTimeout(10_000);
            assertThat(in.read()).as("the gateway closes TCP after the client's close").isEqualTo(-1);
            stopper.join(10_000);
            assertThat(stopper.isAlive()).isFalse();
        }
    }

    /**
     * PROTOCOL.md 1.5: every session gets 1001 before the process exits, also one that connects while the gateway
     * waits for the others' close handshakes.
     */
    @Test
    void shouldCloseGoingAwayASessionThatConnectsDuringShutdown() throws Exception
    {
        try (Socket first = socket(); Socket late = socket())
        {
            handshake(first, upgradeRequest(generatedKey(), "13"));
            awaitSessions(1);
            final Thread stopper = new Thread(fixture::close, "test-gateway-stop");
            stopper.start();
            // The first session's close is not answered: the gateway waits for it, up to its grace.
            assertThat(ServerFrame.read(new DataInputStream(first.getInputStream())).closeCode()).isEqualTo(1001);

            assertThat(handshake(late, upgradeRequest(generatedKey(), "13")).get(":status")).startsWith("HTTP/1.1 101");
            final DataInputStream in = new DataInputStream(late.getInputStream());
            final ServerFrame close = ServerFrame.read(in);
            assertThat(close.opcode).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1001);
            stopper.join(10_000);
        }
    }

    /**
     * PROTOCOL.md 1.5 up to the very end of a shutdown: every connection that got its 101 gets 1001 before TCP ends.
     * One upgraded while the IO threads were stopping was dropped without it: its drop, due after the close grace,
     * could not be timed any more and was done at once, before the close frame was written. Here connections
     * accepted earlier send their handshakes the moment the gateway stops listening, so that some are upgraded as
     * its IO threads stop.
     */
    @Test
    @SuppressWarnings("try") // each probe connection only has to be accepted or refused
    void shouldCloseGoingAwayEverySessionUpgradedUntilTheIoThreadsStop() throws Exception
    {
        int upgraded = 0;
        final java.util.Queue<String> cut = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int round = 0; round < 5; round++)
        {
            fixture.close();
            fixture = GatewayFixture.launch(ctx -> ctx.closeGraceNs(TimeUnit.MILLISECONDS.toNanos(100)));
            final int port = fixture.gateway.httpAddress().getPort();
            final java.util.List<Socket> late = new java.util.ArrayList<>();
            try
            {
                for (int i = 0; i < 200; i++)
                {
                    late.add(socket());
                }
                final Thread stopper = new Thread(fixture::close, "test-gateway-stop");
                stopper.start();
                while (true)
                {
                    try (Socket probe = new Socket("127.0.0.1", port))
                    {
                        Thread.onSpinWait();
                    }
                    catch (final IOException refused)
                    {
                        break;
                    }
                }
                final byte[] request = upgradeRequest(generatedKey(), "13").getBytes(StandardCharsets.US_ASCII);
                for (final Socket socket : late)
                {
                    try
                    {
                        socket.getOutputStream().write(request);
                    }
                    catch (final IOException ex)
                    {
                        // Closed as the IO threads stopped: never upgraded.
                    }
                }
                for (final Socket socket : late)
                {
                    final String status;
                    try
                    {
                        status = readResponseHead(socket.getInputStream());
                    }
                    catch (final IOException ex)
                    {
                        continue;   // closed before any answer: never a session
                    }
                    if (status.startsWith("HTTP/1.1 101"))
                    {
                        upgraded++;
                        expectGoingAway(socket, cut);
                    }
                }
                stopper.join(10_000);
            }
            finally
            {
                for (final Socket socket : late)
                {
                    socket.close();
                }
            }
        }
        assertThat(cut).as("of " + upgraded + " upgraded").isEmpty();
    }

    /**
     * The status line of the response whose head is read from {@code in}.
     */
    private static String readResponseHead(final InputStream in) throws IOException
    {
        final StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n"))
        {
            final int b = in.read();
            if (-1 == b)
            {
                throw new EOFException("closed in the response head");
            }
            head.append((char)b);
        }
        return head.substring(0, head.indexOf("\r\n"));
    }

    /**
     * Reads an upgraded connection to its close frame, which must be 1001, and answers it; anything else is noted.
     */
    private static void expectGoingAway(final Socket socket, final java.util.Queue<String> cut)
    {
        try
        {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            ServerFrame frame = ServerFrame.read(in);
            while (0x8 != frame.opcode)
            {
                frame = ServerFrame.read(in);
            }
            if (1001 != frame.closeCode())
            {
                cut.add("closed with " + frame.closeCode());
            }
        }
        catch (final IOException | AssertionError ex)
        {
            cut.add("upgraded, then " + ex);
            return;
        }
        try
        {
            socket.getOutputStream().write(clientFrame(true, 0x8, new byte[]{0x03, (byte)0xE9}));
        }
        catch (final IOException ex)
        {
            // Dropped after its close grace, or as the gateway stopped: the 1001 came, which is what counts.
        }
    }

    /**
     * A session that connects during the shutdown is waited for like the others: it gets its 1001 and the time to
     * answer it, also after every older session has answered (the gateway stopped as soon as those had).
     */
    @Test
    void shouldWaitForASessionThatConnectedDuringShutdownToAnswerItsClose() throws Exception
    {
        try (Socket first = socket(); Socket late = socket())
        {
            handshake(first, upgradeRequest(generatedKey(), "13"));
            awaitSessions(1);
            final Thread stopper = new Thread(fixture::close, "test-gateway-stop");
            stopper.start();
            final DataInputStream firstIn = new DataInputStream(first.getInputStream());
            assertThat(ServerFrame.read(firstIn).closeCode()).isEqualTo(1001);

            assertThat(handshake(late, upgradeRequest(generatedKey(), "13")).get(":status")).startsWith("HTTP/1.1 101");
            final DataInputStream lateIn = new DataInputStream(late.getInputStream());
            assertThat(ServerFrame.read(lateIn).closeCode()).isEqualTo(1001);
            first.getOutputStream().write(clientFrame(true, 0x8, new byte[]{0x03, (byte)0xE9}));
            assertThat(firstIn.read()).isEqualTo(-1);

            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(800));
            late.setSoTimeout(100);
            assertThatThrownBy(lateIn::read).as("the late session is still waited for")
                .isInstanceOf(SocketTimeoutException.class);
            late.getOutputStream().write(clientFrame(true, 0x8, new byte[]{0x03, (byte)0xE9}));
            late.setSoTimeout(10_000);
            assertThat(lateIn.read()).isEqualTo(-1);
            stopper.join(10_000);
        }
    }

    /**
     * While it waits for the sessions' close handshakes the gateway still answers /health, with 503 and status
     * STOPPING, so a load balancer probing it sends no new clients there.
     */
    @Test
    void shouldAnswerHealthWithServiceUnavailableWhileStopping() throws Exception
    {
        final HttpClient http = HttpClient.newHttpClient();
        final HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + fixture.gateway.httpAddress().getPort() + "/health")).build();
        final HttpResponse<String> running = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).contains("\"status\":\"UP\"");
        try (Socket first = socket())
        {
            handshake(first, upgradeRequest(generatedKey(), "13"));
            awaitSessions(1);
            final Thread stopper = new Thread(fixture::close, "test-gateway-stop");
            stopper.start();
            // The close is not answered, so the gateway waits for it, up to its grace, still serving HTTP.
            assertThat(ServerFrame.read(new DataInputStream(first.getInputStream())).closeCode()).isEqualTo(1001);

            final HttpResponse<String> stopping = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(stopping.statusCode()).isEqualTo(503);
            assertThat(stopping.body()).contains("\"status\":\"STOPPING\"", "\"sessions\":1");
            stopper.join(10_000);
        }
    }

    /**
     * A client that reads slower than its symbols tick gets fewer, fresher updates, not a queue of old ones: what
     * the gateway has written and the client not yet read stays within the session's fixed send buffer (and the
     * client's own receive buffer). Left to autotuning the kernel grew it to megabytes, each byte an old value.
     */
    @Test
    void shouldBoundWhatASlowReaderHasQueuedToTheSendBuffer() throws Exception
    {
        final BusyFeed feed = new BusyFeed("SLOW", 50);
        try (Socket socket = feed.subscribedSlowSocket())
        {
            feed.start();
            final InputStream in = socket.getInputStream();
            final byte[] chunk = new byte[2048];
            long read = 0;
            final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < endNs)
            {
                // About 100 KB/s, against the ~4 MB/s the feed would fill it with.
                read += Math.max(0, in.read(chunk));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            feed.stop();
            final double written = fixture.metric("tickgate_bytes_sent_total");
            final double offered = fixture.metric("tickgate_ticks_ingested_total{source=\"udp\"}") *
                FrameDescriptor.ENTRY_LENGTH;
            assertThat(offered).as("entries the feed offered, in bytes, against what the client read: a slow reader")
                .isGreaterThan(4.0 * read);
            assertThat(written - read).as("bytes written to the session and not yet read by it")
                .isLessThan(512 * 1024);
        }
        finally
        {
            feed.stop();
        }
    }

    /**
     * A client that stops reading and then closes: its close reply cannot be written until it reads again, but the
     * session sends no more market data, so its subscriptions are released at once, not a close grace later.
     */
    @Test
    void shouldOpenSessionsOnlyForPagesOfAllowedOriginsWhenTheyAreListed() throws Exception
    {
        // Any origin by default: a page of another site opens a session.
        try (Socket socket = socket())
        {
            final Map<String, String> other = handshake(socket, withOrigin("https://elsewhere.example"));
            assertThat(other.get(":status")).startsWith("HTTP/1.1 101");
        }
        fixture.close();
        fixture = GatewayFixture.launch(
            ctx -> ctx.allowedOrigins("https://trading.example.com, http://LOCALHOST:3000/"));
        try (Socket socket = socket())
        {
            final Map<String, String> other = handshake(socket, withOrigin("https://elsewhere.example"));
            assertThat(other.get(":status")).startsWith("HTTP/1.1 403");
        }
        try (Socket socket = socket())
        {
            // One Origin per request (RFC 6454 7.3): two lines name no origin.
            final Map<String, String> two = handshake(socket, withOrigin("https://trading.example.com")
                .replace("\r\n\r\n", "\r\nOrigin: https://elsewhere.example\r\n\r\n"));
            assertThat(two.get(":status")).startsWith("HTTP/1.1 403");
        }
        try (Socket socket = socket())
        {
            // DNS rebinding: a page of a name its owner points at the gateway sends that name as Host and Origin.
            final Map<String, String> rebound = handshake(socket, withOrigin("http://evil.example")
                .replace("Host: localhost", "Host: evil.example"));
            assertThat(rebound.get(":status")).startsWith("HTTP/1.1 403");
            assertThat(Integer.parseInt(rebound.get("content-length"))).as("refusal body").isLessThan(300);
        }
        try (Socket socket = socket())
        {
            final Map<String, String> longOrigin = handshake(socket, withOrigin("http://" + "o".repeat(12_000)));
            assertThat(longOrigin.get(":status")).startsWith("HTTP/1.1 403");
            assertThat(Integer.parseInt(longOrigin.get("content-length"))).as("the origin is not echoed whole")
                .isLessThan(300);
        }
        assertThat(fixture.metric("tickgate_sessions_opened_total")).as("refused before a session").isZero();
        assertThat(fixture.metric("tickgate_sessions_forbidden_total")).as("refusals an operator can see")
            .isEqualTo(4);
        // Listed origins (case and a trailing slash aside), a page the gateway serves itself (its origin names the
        // Host the request went to), and a client that is not a browser (no Origin).
        for (final String allowed : new String[]{"https://trading.example.com", "http://localhost:3000",
            "http://LocalHost"})
        {
            try (Socket socket = socket())
            {
                final Map<String, String> response = handshake(socket, withOrigin(allowed));
                assertThat(response.get(":status")).as(allowed).startsWith("HTTP/1.1 101");
            }
        }
        try (Socket socket = socket())
        {
            assertThat(handshake(socket, upgradeRequest(KEY, "13")).get(":status")).startsWith("HTTP/1.1 101");
        }
        Tests.await(java.time.Duration.ofSeconds(10), () -> fixture.metric("tickgate_sessions_opened_total") == 4,
            () -> "sessions opened: " + fixture.metric("tickgate_sessions_opened_total"));
        assertThat(fixture.metric("tickgate_sessions_forbidden_total")).as("allowed ones are not counted").isEqualTo(4);
    }

    private static String withOrigin(final String origin)
    {
        return upgradeRequest(KEY, "13").replace("\r\n\r\n", "\r\nOrigin: " + origin + "\r\n\r\n");
    }

    @Test
    void shouldReleaseTheSubscriptionsOfAClientThatClosesWhileItsSocketIsFull() throws Exception
    {
        fixture.close();
        fixture = GatewayFixture.launch(ctx -> ctx.closeGraceNs(TimeUnit.SECONDS.toNanos(60)));
        final int symbols = 50;
        final BusyFeed feed = new BusyFeed("FULL", symbols);
        try (Socket socket = feed.subscribedSlowSocket())
        {
            Tests.await(java.time.Duration.ofSeconds(10), () -> fixture.metric("tickgate_subscriptions") == symbols,
                () -> "subscriptions: " + fixture.metric("tickgate_subscriptions"));
            feed.start();
            // Nothing is read: at about 4 MB/s the socket's buffers fill within a few tens of milliseconds.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_000));
            Tests.await(java.time.Duration.ofSeconds(10),
                () -> fixture.metric("tickgate_sessions_unwritable") == 1 &&
                    fixture.metric("tickgate_sessions_pending_entries") > 0,
                () -> "not seen as a slow reader: unwritable " + fixture.metric("tickgate_sessions_unwritable") +
                    ", pending " + fixture.metric("tickgate_sessions_pending_entries"));

            socket.getOutputStream().write(clientFrame(true, 0x8, new byte[]{0x03, (byte)0xE8}));
            Tests.await(java.time.Duration.ofSeconds(10), () -> fixture.metric("tickgate_subscriptions") == 0,
                () -> "subscriptions still held: " + fixture.metric("tickgate_subscriptions"));
            // Closing, it sends no more market data: no longer a slow reader with entries waiting.
            Tests.await(java.time.Duration.ofSeconds(10),
                () -> fixture.metric("tickgate_sessions_unwritable") == 0 &&
                    fixture.metric("tickgate_sessions_pending_entries") == 0,
                () -> "closing session still counted: unwritable " + fixture.metric("tickgate_sessions_unwritable") +
                    ", pending " + fixture.metric("tickgate_sessions_pending_entries"));
            assertThat(fixture.metric("tickgate_sessions_open")).as("the connection waits for its close grace")
                .isEqualTo(1);
        }
        finally
        {
            feed.stop();
        }
    }

    /**
     * Values a throttle holds back are updated and not written yet, like those still marked: they showed as 0 in the
     * pending gauges once the session had taken them from its marks.
     */
    @Test
    void shouldCountTheValuesAThrottleHoldsBackAsPending() throws Exception
    {
        final int symbols = 50;
        final BusyFeed feed = new BusyFeed("HELD", symbols);
        try (Socket socket = feed.subscribedSlowSocket())
        {
            socket.getOutputStream().write(clientFrame(true, 0x1,
                "{\"op\":\"throttle\",\"id\":2,\"maxRateHz\":1}".getBytes(StandardCharsets.UTF_8)));
            Tests.await(java.time.Duration.ofSeconds(10), () -> fixture.metric("tickgate_sessions_throttled") == 1,
                () -> "throttled sessions: " + fixture.metric("tickgate_sessions_throttled"));
            feed.start();

            Tests.await(java.time.Duration.ofSeconds(10),
                () -> fixture.metric("tickgate_sessions_pending_entries") == symbols &&
                    fixture.metric("tickgate_session_pending_max_entries") == symbols,
                () -> "pending " + fixture.metric("tickgate_sessions_pending_entries") + ", largest " +
                    fixture.metric("tickgate_session_pending_max_entries") + ", expected " + symbols);
            assertThat(fixture.metric("tickgate_sessions_unwritable")).as("a throttled reader, not a slow one")
                .isZero();
        }
        finally
        {
            feed.stop();
        }
    }

    @Test
    void shouldBoundTheRepliesHeldForAClientThatDoesNotReadThemAndAnswerEveryRequestOnceItReads() throws Exception
    {
        // 4,096 unknown names: a request of ~29 KiB whose reply, one rejection per name, is ~190 KiB.
        final StringBuilder names = new StringBuilder();
        for (int i = 0; i < 4096; i++)
        {
            names.append(i == 0 ? "" : ",").append("\"Q").append(i).append('"');
        }
        final int requests = 60;
        try (Socket socket = socket())
        {
            assertThat(handshake(socket, upgradeRequest(KEY, "13")).get(":status")).startsWith("HTTP/1.1 101");
            final OutputStream out = socket.getOutputStream();
            final Thread writer = new Thread(() ->
            {
                try
                {
                    for (int id = 1; id <= requests; id++)
                    {
                        out.write(clientFrame(true, 0x1, ("{\"op\":\"subscribe\",\"id\":" + id +
                            ",\"symbols\":[" + names + "]}").getBytes(StandardCharsets.US_ASCII)));
                    }
                }
                catch (final IOException ex)
                {
                    // the assertions below say what went wrong
                }
            }, "test-requests");
            writer.start();
            Tests.await(java.time.Duration.ofSeconds(10), () -> fixture.metric("tickgate_sessions_reply_bytes") > 0,
                () -> "no replies queued");
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
            // Counted in replies alone (64), it held ~12 MiB for one client that never reads.
            assertThat(fixture.metric("tickgate_sessions_reply_bytes")).as("reply bytes held for the client")
                .isLessThanOrEqualTo(1024 * 1024);

            final DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int id = 1; id <= requests; id++)
            {
                ServerFrame reply = ServerFrame.read(in);
                while (0x2 == reply.opcode() || 0x9 == reply.opcode())
                {
                    // heartbeats, and the pings the gateway sends every 64 KiB (this client answers none, so it is
                    // not paced)
                    reply = ServerFrame.read(in);
                }
                assertThat(reply.opcode()).isEqualTo(0x1);
                assertThat(reply.text()).startsWith("{\"op\":\"subscribed\",\"id\":" + id + ",");
            }
            writer.join(10_000);
        }
    }

    @Test
    void shouldKeepServingOtherSessionsWhileClientsSendWithoutPause() throws Exception
    {
        final BusyFeed feed = new BusyFeed("LIVE", 1);
        final TestClient watcher = fixture.client();
        watcher.awaitReply(watcher.subscribe("LIVE0"));
        final AtomicBoolean flooding = new AtomicBoolean(true);
        final java.util.List<Thread> flooders = new java.util.ArrayList<>();
        final java.util.List<Socket> sockets = new java.util.ArrayList<>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                final Socket socket = socket();
                sockets.add(socket);
                assertThat(handshake(socket, upgradeRequest(KEY, "13")).get(":status")).startsWith("HTTP/1.1 101");
                // One text message announced as 2^40 bytes, streamed without pause: never complete, never answered.
                final OutputStream out = socket.getOutputStream();
                out.write(new byte[]{(byte)0x81, (byte)0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
                final Thread flooder = new Thread(() ->
                {
                    final byte[] text = new byte[64 * 1024];
                    java.util.Arrays.fill(text, (byte)'a');
                    try
                    {
                        while (flooding.get())
                        {
                            out.write(text);
                        }
                    }
                    catch (final IOException ex)
                    {
                        // closed at the end of the test
                    }
                }, "test-flooder-" + i);
                flooder.start();
                flooders.add(flooder);
            }
            feed.start();
            final HttpClient http = HttpClient.newHttpClient();
            final int seconds = 3;
            for (int second = 0; second < seconds; second++)
            {
                final int before = watcher.frames.size();
                final long startNs = System.nanoTime();
                final HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fixture.gateway.httpAddress().getPort() + "/health"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                LockSupport.parkNanos(Math.max(0, TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - startNs)));
                // Quoted every millisecond: hundreds of frames a second when served; a heartbeat at the least.
                assertThat(watcher.frames.size() - before).as("frames to the other session in second %d", second)
                    .isGreaterThan(1);
            }
        }
        finally
        {
            flooding.set(false);
            feed.stop();
            for (final Socket socket : sockets)
            {
                socket.close();
            }
            for (final Thread flooder : flooders)
            {
                flooder.join();
            }
        }
    }

    /**
     * {@code count} symbols quoted every millisecond (about 4 MB/s of entries to a client of them all), and a
     * client socket with a small receive buffer, upgraded and subscribed to them all.
     */
    private final class BusyFeed
    {
        final AtomicBoolean feeding = new AtomicBoolean(true);
        final String names;
        final Thread feeder;

        BusyFeed(final String prefix, final int count)
        {
            final StringBuilder list = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                fixture.feed.define(i + 1, prefix + i, 2, 0);
                list.append(i == 0 ? "" : ",").append('"').append(prefix).append(i).append('"');
            }
            fixture.awaitSymbol(prefix + (count - 1));
            names = list.toString();
            feeder = new Thread(() ->
            {
                long price = 100;
                while (feeding.get())
                {
                    price++;
                    for (int i = 1; i <= count; i++)
                    {
                        fixture.feed.quote(i, price, 1, price + 1, 1);
                    }
                    fixture.feed.flush();
                    LockSupport.parkNanos(1_000_000);
                }
            }, "test-feeder");
        }

        Socket subscribedSlowSocket() throws Exception
        {
            final Socket socket = new Socket();
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", fixture.gateway.httpAddress().getPort()), 5_000);
            socket.setSoTimeout(10_000);
            handshake(socket, upgradeRequest(generatedKey(), "13"));
            socket.getOutputStream().write(clientFrame(true, 0x1,
                ("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[" + names + "]}").getBytes(StandardCharsets.UTF_8)));
            return socket;
        }

        void start()
        {
            feeder.start();
        }

        void stop() throws InterruptedException
        {
            feeding.set(false);
            if (feeder.isAlive())
            {
                feeder.join(5_000);
            }
        }
    }

    private Socket socket() throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", fixture.gateway.httpAddress().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private void awaitSessions(final long open)
    {
        Tests.await(java.time.Duration.ofSeconds(10), () -> fixture.gateway.sessionsOpen() == open,
            () -> "sessions open: " + fixture.gateway.sessionsOpen() + ", expected " + open);
    }

    private static String upgradeRequest(final String key, final String version)
    {
        return "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
            "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: " + version + "\r\n\r\n";
    }

    private static String generatedKey() throws Exception
    {
        final byte[] nonce = MessageDigest.getInstance("SHA-1").digest(
            Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(nonce, 16));
    }

    /**
     * Sends the request and reads the response head; the body of a refusal is left unread.
     */
    private static Map<String, String> handshake(final Socket socket, final String request) throws IOException
    {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true)
        {
            final int b = in.read();
            if (-1 == b)
            {
                throw new EOFException("connection closed in the response head: " + head);
            }
            head.write(b);
            final byte[] bytes = head.toByteArray();
            final int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
            {
                break;
            }
        }
        final String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        final Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":status", lines[0]);
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            if (colon > 0)
            {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static byte[] clientFrame(final boolean fin, final int opcode, final byte[] payload)
    {
        return ClientFrames.masked(fin, opcode, payload);
    }

    /** One frame as the server wrote it; asserts it is unmasked and final. */
    private record ServerFrame(int opcode, int headerLength, byte[] payload)
    {
        static ServerFrame read(final DataInputStream in) throws IOException
        {
            try
            {
                final int b0 = in.readUnsignedByte();
                final int b1 = in.readUnsignedByte();
                assertThat(b0 & 0x80).as("FIN").isEqualTo(0x80);
                assertThat(b0 & 0x70).as("RSV").isZero();
                assertThat(b1 & 0x80).as("server frames are never masked").isZero();
                long length = b1 & 0x7F;
                int headerLength = 2;
                if (126 == length)
                {
                    length = in.readUnsignedShort();
                    headerLength = 4;
                    assertThat(length).as("minimal length form").isGreaterThan(125);
                }
                else if (127 == length)
                {
                    length = in.readLong();
                    headerLength = 10;
                    assertThat(length).as("minimal length form").isGreaterThan(0xFFFF);
                }
                final byte[] payload = new byte[(int)length];
                in.readFully(payload);
                return new ServerFrame(b0 & 0x0F, headerLength, payload);
            }
            catch (final SocketTimeoutException ex)
            {
                throw new AssertionError("no frame from the gateway within the socket timeout", ex);
            }
        }

        String text()
        {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode()
        {
            assertThat(payload.length).isGreaterThanOrEqualTo(2);
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }
}

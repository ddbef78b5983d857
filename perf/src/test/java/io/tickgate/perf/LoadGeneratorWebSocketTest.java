package io.tickgate.perf;

import io.tickgate.protocol.WebSocketFrameDescriptor;
import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against a hand-scripted RFC 6455 server on a real socket: the upgrade, a masked subscribe, a
 * ping answered by a masked pong with the same payload, an UPDATE frame split into two fragments (the first in the
 * 16-bit length form), and the close handshake at the end of the run.
 */
class LoadGeneratorWebSocketTest
{
    record ClientFrame(int opcode, boolean masked, byte[] payload)
    {
    }

    private final AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    private final AtomicReference<String> subscribe = new AtomicReference<>();
    private final AtomicReference<ClientFrame> pong = new AtomicReference<>();
    private final AtomicReference<ClientFrame> close = new AtomicReference<>();

    @Test
    void shouldAnswerPingReassembleFragmentsAndCloseCleanly() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))
        {
            final Thread serverThread = new Thread(() -> serve(server), "scripted-ws-server");
            serverThread.setDaemon(true);
            serverThread.start();

            final SubscriptionPlan plan = new SubscriptionPlan(
                List.of(new SubscriptionPlan.SymbolRef("AAA", 1), new SubscriptionPlan.SymbolRef("BBB", 2)), 1, 2);
            final StringWriter log = new StringWriter();
            final LoadGenerator generator = new LoadGenerator(new LoadTestSettings("127.0.0.1",
                server.getLocalPort(), "/ws", 1, 2, 0, TimeUnit.SECONDS.toNanos(1), 0), plan, new PrintWriter(log));

            generator.run(null);
            serverThread.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(serverFailure.get()).as("the scripted server failed").isNull();
            assertThat(subscribe.get()).isEqualTo("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"AAA\",\"BBB\"]}");
            assertThat(pong.get().opcode()).isEqualTo(WebSocketFrameDescriptor.OPCODE_PONG);
            assertThat(pong.get().masked()).as("client frames must be masked").isTrue();
            assertThat(new String(pong.get().payload(), StandardCharsets.US_ASCII)).isEqualTo("abc");
            assertThat(generator.pingsAnswered).isEqualTo(1);

            final FrameRecorder recorder = generator.recorder();
            assertThat(recorder.entries).as(log.toString()).isEqualTo(2);
            assertThat(recorder.updateFrames).isEqualTo(1);
            assertThat(recorder.frameSeqGaps + recorder.malformedFrames + recorder.unexpectedSids).isZero();
            assertThat(recorder.totalLatency.getTotalCount()).isEqualTo(2);

            assertThat(close.get().opcode()).isEqualTo(WebSocketFrameDescriptor.OPCODE_CLOSE);
            assertThat(close.get().masked()).isTrue();
            assertThat(((close.get().payload()[0] & 0xFF) << 8) | (close.get().payload()[1] & 0xFF)).isEqualTo(1000);
            assertThat(generator.protocolErrors + generator.abnormalCloses + generator.forcedCloses).isZero();
            assertThat(generator.openConnections()).isZero();
        }
    }

    private void serve(final ServerSocket server)
    {
        try (Socket socket = server.accept())
        {
            socket.setSoTimeout(10_000);
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final OutputStream out = socket.getOutputStream();

            final String request = readHead(in);
            final String key = request.lines().filter(line -> line.startsWith("Sec-WebSocket-Key:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + WebSocketClientFrames.expectedAccept(key) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

            subscribe.set(new String(readClientFrame(in).payload(), StandardCharsets.UTF_8));

            out.write(new byte[] { (byte)0x89, 3, 'a', 'b', 'c' });
            out.flush();
            pong.set(readClientFrame(in));

            final byte[] update = updateFrame();
            final byte[] first = Arrays.copyOfRange(update, 0, 150);
            final byte[] second = Arrays.copyOfRange(update, 150, update.length);
            final ByteArrayOutputStream frames = new ByteArrayOutputStream();
            frames.write(0x02);
            frames.write(126);
            frames.write(first.length >>> 8);
            frames.write(first.length & 0xFF);
            frames.writeBytes(first);
            frames.write(0x80);
            frames.write(second.length);
            frames.writeBytes(second);
            out.write(frames.toByteArray());
            out.flush();

            close.set(readClientFrame(in));
            out.write(new byte[] { (byte)0x88, 2, 0x03, (byte)0xE8 });
            out.flush();
        }
        catch (final Throwable ex)
        {
            serverFailure.set(ex);
        }
    }

    private static byte[] updateFrame()
    {
        final Instant now = Instant.now();
        final long nowNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FrameDescriptor.frameLength(2)]);
        final FrameFlyweight frame = new FrameFlyweight().wrap(buffer, 0);
        frame.header(FrameDescriptor.KIND_UPDATE, 2, 1, nowNs);
        frame.entry(0, 1, FrameDescriptor.FLAG_QUOTE, 0, 1, 100, 1, 101, 1, 0, 0, nowNs - 2_000_000, nowNs - 1_000_000);
        frame.entry(1, 2, FrameDescriptor.FLAG_TRADE, 3, 7, 0, 0, 0, 0, 55, 2, nowNs - 2_000_000, nowNs - 1_000_000);
        return buffer.byteArray();
    }

    static String readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("client closed during the upgrade");
            }
            head.write(b);
            final String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n"))
            {
                return text;
            }
        }
    }

    static ClientFrame readClientFrame(final DataInputStream in) throws IOException
    {
        final int b0 = in.readUnsignedByte();
        final int b1 = in.readUnsignedByte();
        int length = b1 & 0x7F;
        if (126 == length)
        {
            length = in.readUnsignedShort();
        }
        else if (127 == length)
        {
            length = (int)in.readLong();
        }
        final boolean masked = 0 != (b1 & 0x80);
        final byte[] mask = new byte[4];
        if (masked)
        {
            in.readFully(mask);
        }
        final byte[] payload = new byte[length];
        in.readFully(payload);
        for (int i = 0; masked && i < length; i++)
        {
            payload[i] ^= mask[i & 3];
        }
        return new ClientFrame(b0 & 0x0F, masked, payload);
    }
}

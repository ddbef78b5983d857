package io.tickgate.perf;

import io.tickgate.protocol.FrameDescriptor;
import io.tickgate.protocol.FrameFlyweight;
import io.tickgate.protocol.WebSocketFrameDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A WebSocket server on a real loopback socket that plays one script per connection, for load generator tests that
 * need a server other than Tickgate (one that spells its replies differently, or misbehaves). A request without a
 * {@code Sec-WebSocket-Key} (the load generator's {@code GET /api/symbols}) is answered 404, as a peer would.
 * <p>
 * Each connection runs on its own thread; the first failure of any script is kept for {@link #failure()}.
 */
final class ScriptedWebSocketServer implements AutoCloseable
{
    /** What the server does on one connection once the request head is read. */
    @FunctionalInterface
    interface Script
    {
        void play(Peer peer) throws IOException;
    }

    /** One accepted connection, as a script sees it. */
    static final class Peer
    {
        final DataInputStream in;
        final OutputStream out;
        final String request;

        Peer(final DataInputStream in, final OutputStream out, final String request)
        {
            this.in = in;
            this.out = out;
            this.request = request;
        }

        String key()
        {
            return request.lines().filter(line -> line.startsWith("Sec-WebSocket-Key:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        }

        void upgrade(final String accept) throws IOException
        {
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void upgrade() throws IOException
        {
            upgrade(WebSocketClientFrames.expectedAccept(key()));
        }

        LoadGeneratorWebSocketTest.ClientFrame read() throws IOException
        {
            return LoadGeneratorWebSocketTest.readClientFrame(in);
        }

        void sendText(final String text) throws IOException
        {
            send(0x81, text.getBytes(StandardCharsets.UTF_8));
        }

        void sendBinary(final byte[] payload) throws IOException
        {
            send(0x82, payload);
        }

        /** Waits for the client's close and echoes it, as RFC 6455 asks. */
        void closeWhenAsked() throws IOException
        {
            while (WebSocketFrameDescriptor.OPCODE_CLOSE != read().opcode())
            {
                continue;
            }
            send(0x88, new byte[] { 0x03, (byte)0xE8 });
        }

        private void send(final int firstByte, final byte[] payload) throws IOException
        {
            out.write(firstByte);
            if (payload.length < 126)
            {
                out.write(payload.length);
            }
            else
            {
                out.write(126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xFF);
            }
            out.write(payload);
            out.flush();
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    ScriptedWebSocketServer(final Script script) throws IOException
    {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        final Thread acceptor = new Thread(this::acceptAll, "scripted-ws-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port()
    {
        return server.getLocalPort();
    }

    Throwable failure()
    {
        return failure.get();
    }

    /**
     * An UPDATE frame (PROTOCOL.md) with one entry for {@code sid}, ingested 2 ms ago.
     */
    static byte[] updateFrame(final long frameSeq, final int sid, final long seq)
    {
        final Instant now = Instant.now();
        final long nowNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FrameDescriptor.frameLength(1)]);
        new FrameFlyweight().wrap(buffer, 0)
            .header(FrameDescriptor.KIND_UPDATE, 1, frameSeq, nowNs)
            .entry(0, sid, FrameDescriptor.FLAG_QUOTE, 0, seq, 100, 1, 101, 1, 0, 0, nowNs - 3_000_000,
                nowNs - 2_000_000);
        return buffer.byteArray();
    }

    private void acceptAll()
    {
        while (!server.isClosed())
        {
            try
            {
                final Socket socket = server.accept();
                final Thread handler = new Thread(() -> serve(socket), "scripted-ws-connection");
                handler.setDaemon(true);
                handler.start();
            }
            catch (final IOException ex)
            {
                return; // closed by the test
            }
        }
    }

    private void serve(final Socket socket)
    {
        try (socket)
        {
            socket.setSoTimeout(20_000);
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final OutputStream out = socket.getOutputStream();
            final String request = LoadGeneratorWebSocketTest.readHead(in);
            if (!request.contains("Sec-WebSocket-Key:"))
            {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            script.play(new Peer(in, out, request));
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    @Override
    public void close() throws IOException
    {
        server.close();
    }
}

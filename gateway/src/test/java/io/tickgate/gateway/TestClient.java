package io.tickgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.protocol.FrameFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's java.net.http) that records every text reply and decodes every binary frame
 * with the protocol flyweight. Reading can be paused to play a stalled consumer.
 */
public final class TestClient implements AutoCloseable
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One decoded entry. */
    public record Entry(int sid, int flags, int conflated, long seq, long bidPrice, long bidSize, long askPrice,
        long askSize, long lastPrice, long lastSize, long exchangeTime, long ingestTime)
    {
    }

    /** One decoded binary frame. */
    public record Frame(int version, int kind, long frameSeq, long sendTime, List<Entry> entries, long receivedNs)
    {
    }

    public final List<Frame> frames = new CopyOnWriteArrayList<>();
    public final List<JsonNode> replies = new CopyOnWriteArrayList<>();
    /** Every message in arrival order: a JsonNode for text, a Frame for binary. */
    public final List<Object> messages = new CopyOnWriteArrayList<>();
    public volatile int closeCode = -1;
    public volatile String closeReason;
    public volatile Throwable error;

    private final WebSocket webSocket;
    private final ByteBuffer binary = ByteBuffer.allocate(16 * 1024 * 1024);
    private final StringBuilder text = new StringBuilder();
    private volatile boolean paused;
    private volatile boolean requestOwed;
    private long nextId = 1;

    public TestClient(final URI uri)
    {
        try
        {
            webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener())
                .get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot connect to " + uri, ex);
        }
    }

    public static TestClient connect(final Gateway gateway)
    {
        return new TestClient(URI.create("ws://127.0.0.1:" + gateway.httpAddress().getPort() + "/ws"));
    }

    public long send(final String json)
    {
        webSocket.sendText(json, true).join();
        return -1;
    }

    /**
     * Sends a request with the next id filled in and returns that id.
     */
    public long request(final String op, final String fields)
    {
        final long id = nextId++;
        send("{\"op\":\"" + op + "\",\"id\":" + id + (fields.isEmpty() ? "" : "," + fields) + "}");
        return id;
    }

    public long subscribe(final String... symbols)
    {
        return request("subscribe", "\"symbols\":" + json(symbols));
    }

    public long unsubscribe(final String... symbols)
    {
        return request("unsubscribe", "\"symbols\":" + json(symbols));
    }

    public JsonNode awaitReply(final long id)
    {
        Tests.await(Duration.ofSeconds(10), () -> null != reply(id), () -> "no reply with id " + id + ": " + replies);
        return reply(id);
    }

    public JsonNode reply(final long id)
    {
        for (final JsonNode reply : replies)
        {
            if (reply.has("id") && reply.get("id").asLong() == id)
            {
                return reply;
            }
        }
        return null;
    }

    public JsonNode awaitReply(final Predicate<JsonNode> match, final String what)
    {
        Tests.await(Duration.ofSeconds(10), () -> replies.stream().anyMatch(match), () -> what + ": " + replies);
        return replies.stream().filter(match).findFirst().orElseThrow();
    }

    /**
     * The newest entry this client holds for a sid, or null.
     */
    public Entry latest(final int sid)
    {
        Entry latest = null;
        for (final Frame frame : frames)
        {
            for (final Entry entry : frame.entries())
            {
                if (entry.sid() == sid)
                {
                    latest = entry;
                }
            }
        }
        return latest;
    }

    public List<Entry> entries(final int sid)
    {
        final List<Entry> entries = new ArrayList<>();
        for (final Frame frame : frames)
        {
            for (final Entry entry : frame.entries())
            {
                if (entry.sid() == sid)
                {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /**
     * Stops asking for messages, so the socket's buffers fill and the gateway sees an unwritable client.
     */
    public void pause()
    {
        paused = true;
    }

    public void resume()
    {
        paused = false;
        if (requestOwed)
        {
            requestOwed = false;
            webSocket.request(1);
        }
    }

    public void abort()
    {
        webSocket.abort();
    }

    @Override
    public void close()
    {
        if (!webSocket.isOutputClosed())
        {
            try
            {
                webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            }
            catch (final Exception ignore)
            {
                // The gateway may already have closed it; nothing left to release here.
            }
        }
        webSocket.abort();
    }

    private static String json(final String... symbols)
    {
        try
        {
            return MAPPER.writeValueAsString(symbols);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void requestNext(final WebSocket socket)
    {
        if (paused)
        {
            requestOwed = true;
        }
        else
        {
            socket.request(1);
        }
    }

    private final class Listener implements WebSocket.Listener
    {
        @Override
        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
        {
            text.append(data);
            if (last)
            {
                try
                {
                    final JsonNode reply = MAPPER.readTree(text.toString());
                    replies.add(reply);
                    messages.add(reply);
                }
                catch (final IOException ex)
                {
                    error = ex;
                }
                text.setLength(0);
            }
            requestNext(socket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(final WebSocket socket, final ByteBuffer data, final boolean last)
        {
            binary.put(data);
            if (last)
            {
                binary.flip();
                final byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                binary.clear();
                final Frame frame = decode(bytes);
                frames.add(frame);
                messages.add(frame);
            }
            requestNext(socket);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket socket, final int statusCode, final String reason)
        {
            closeReason = reason;
            closeCode = statusCode;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(final WebSocket socket, final Throwable ex)
        {
            error = ex;
        }
    }

    public static Frame decode(final byte[] bytes)
    {
        final FrameFlyweight frame = new FrameFlyweight().wrap(new UnsafeBuffer(bytes), 0);
        final List<Entry> entries = new ArrayList<>(frame.count());
        if (bytes.length != io.tickgate.protocol.FrameDescriptor.frameLength(frame.count()))
        {
            throw new AssertionError("frame of " + bytes.length + " bytes claims " + frame.count() + " entries");
        }
        for (int i = 0; i < frame.count(); i++)
        {
            entries.add(new Entry(frame.sid(i), frame.flags(i), frame.conflated(i), frame.seq(i), frame.bidPrice(i),
                frame.bidSize(i), frame.askPrice(i), frame.askSize(i), frame.lastPrice(i), frame.lastSize(i),
                frame.exchangeTime(i), frame.ingestTime(i)));
        }
        return new Frame(frame.version(), frame.kind(), frame.frameSeq(), frame.sendTime(), entries, System.nanoTime());
    }
}

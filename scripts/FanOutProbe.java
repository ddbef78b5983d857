import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A first end-to-end figure: N WebSocket clients (JDK client) each subscribed to K symbols of a running gateway,
 * counting frames and entries for S seconds, then the gateway's own tick-to-wire quantiles from /metrics.
 * Only the JDK is needed:
 *   java scripts/FanOutProbe.java HOST:PORT CLIENTS SYMBOLS_PER_CLIENT SECONDS
 * Symbols are taken from /api/symbols and spread so every symbol has about the same number of subscribers.
 */
public final class FanOutProbe
{
    public static void main(final String[] args) throws Exception
    {
        final String hostPort = args[0];
        final int clients = Integer.parseInt(args[1]);
        final int perClient = Integer.parseInt(args[2]);
        final int seconds = Integer.parseInt(args[3]);
        final HttpClient http = HttpClient.newHttpClient();
        final String body = http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/api/symbols"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        final List<String> symbols = new ArrayList<>();
        for (final String part : body.split("\"symbol\":\""))
        {
            if (symbols.size() < 100_000 && !part.startsWith("["))
            {
                symbols.add(part.substring(0, part.indexOf('"')));
            }
        }
        if (symbols.isEmpty())
        {
            throw new IllegalStateException("the gateway knows no symbols yet");
        }

        final AtomicLong frames = new AtomicLong();
        final AtomicLong entries = new AtomicLong();
        final AtomicLong conflated = new AtomicLong();
        final List<WebSocket> sockets = new ArrayList<>();
        for (int c = 0; c < clients; c++)
        {
            final StringBuilder request = new StringBuilder("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[");
            for (int k = 0; k < perClient; k++)
            {
                request.append(k == 0 ? "" : ",").append('"')
                    .append(symbols.get((c * perClient + k) % symbols.size())).append('"');
            }
            request.append("]}");
            final WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + hostPort + "/ws"), new WebSocket.Listener()
                {
                    private final ByteBuffer frame = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

                    @Override
                    public CompletionStage<?> onBinary(final WebSocket ws, final ByteBuffer data, final boolean last)
                    {
                        frame.put(data);
                        if (last)
                        {
                            frame.flip();
                            final int count = frame.getShort(2) & 0xFFFF;
                            frames.incrementAndGet();
                            entries.addAndGet(count);
                            for (int i = 0; i < count; i++)
                            {
                                conflated.addAndGet(frame.getShort(24 + 80 * i + 6) & 0xFFFF);
                            }
                            frame.clear();
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
            socket.sendText(request, true).join();
            sockets.add(socket);
        }

        TimeUnit.SECONDS.sleep(2);
        final long frames0 = frames.get();
        final long entries0 = entries.get();
        final long conflated0 = conflated.get();
        final long startNs = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        final double elapsed = (System.nanoTime() - startNs) / 1e9;
        final long entryCount = entries.get() - entries0;
        System.out.printf("clients %d x %d symbols: %.0f entries/s, %.0f frames/s, %.1f entries/frame, "
            + "%.0f feed updates/s accounted (entries + conflated)%n",
            clients, perClient, entryCount / elapsed, (frames.get() - frames0) / elapsed,
            (double)entryCount / Math.max(1, frames.get() - frames0),
            (entryCount + conflated.get() - conflated0) / elapsed);
        final String metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith("tickgate_latency_tick_to_wire_window_seconds"))
            {
                System.out.println(line);
            }
        }
        for (final WebSocket socket : sockets)
        {
            socket.abort();
        }
    }
}

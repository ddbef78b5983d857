import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrape cost of /metrics with many sessions open: times SCRAPES scrapes of a running gateway with no sessions of
 * its own, then opens SESSIONS WebSocket sessions from this one JDK process (one shared HttpClient), each
 * subscribed to K symbols and reading everything, and times SCRAPES scrapes again. Prints milliseconds
 * (min / median / p99 / max), body size and sample count. Only the JDK is needed:
 *   ulimit -n 20000; java -Xmx2g scripts/ScrapeProbe.java HOST:PORT SESSIONS K SCRAPES
 */
public final class ScrapeProbe
{
    public static void main(final String[] args) throws Exception
    {
        final String hostPort = args[0];
        final int sessions = Integer.parseInt(args[1]);
        final int perSession = Integer.parseInt(args[2]);
        final int scrapes = Integer.parseInt(args[3]);
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        final HttpClient scraper = HttpClient.newHttpClient();
        final URI metrics = URI.create("http://" + hostPort + "/metrics");

        final String body = scraper.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/api/symbols"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        final List<String> symbols = new ArrayList<>();
        for (final String part : body.split("\"symbol\":\""))
        {
            if (!part.startsWith("["))
            {
                symbols.add(part.substring(0, part.indexOf('"')));
            }
        }

        report("0 sessions", scrape(scraper, metrics, scrapes));

        final AtomicLong frames = new AtomicLong();
        final List<WebSocket> sockets = new ArrayList<>();
        final long openStartNs = System.nanoTime();
        for (int batch = 0; batch < sessions; batch += 500)
        {
            final List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
            for (int c = batch; c < Math.min(sessions, batch + 500); c++)
            {
                pending.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://" + hostPort + "/ws"),
                    new WebSocket.Listener()
                    {
                        @Override
                        public CompletionStage<?> onBinary(
                            final WebSocket ws, final ByteBuffer data, final boolean last)
                        {
                            frames.incrementAndGet();
                            ws.request(1);
                            return null;
                        }
                    }));
            }
            for (int i = 0; i < pending.size(); i++)
            {
                final WebSocket socket = pending.get(i).get(60, TimeUnit.SECONDS);
                final StringBuilder request = new StringBuilder("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[");
                for (int k = 0; k < perSession; k++)
                {
                    request.append(k == 0 ? "" : ",").append('"')
                        .append(symbols.get((sockets.size() * perSession + k) % symbols.size())).append('"');
                }
                socket.sendText(request.append("]}").toString(), true);
                sockets.add(socket);
            }
        }
        System.out.printf("opened %d sessions in %.1f s%n", sockets.size(), (System.nanoTime() - openStartNs) / 1e9);
        Thread.sleep(3_000);
        final String open = sample(scraper, metrics, "tickgate_sessions_open ");
        System.out.println("gateway reports tickgate_sessions_open " + open + ", frames received so far " +
            frames.get());
        report(sockets.size() + " sessions", scrape(scraper, metrics, scrapes));
        for (final WebSocket socket : sockets)
        {
            socket.abort();
        }
    }

    private static String sample(final HttpClient client, final URI uri, final String prefix) throws Exception
    {
        for (final String line : client.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString()).body().split("\n"))
        {
            if (line.startsWith(prefix))
            {
                return line.substring(prefix.length());
            }
        }
        return "?";
    }

    private static long[] scrape(final HttpClient client, final URI uri, final int scrapes) throws Exception
    {
        final long[] result = new long[scrapes + 2];
        for (int i = 0; i < scrapes; i++)
        {
            final long startNs = System.nanoTime();
            final String body = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
            result[i] = System.nanoTime() - startNs;
            result[scrapes] = body.length();
            result[scrapes + 1] = Arrays.stream(body.split("\n")).filter(l -> !l.startsWith("#") && !l.isBlank())
                .count();
        }
        return result;
    }

    private static void report(final String what, final long[] result)
    {
        final int n = result.length - 2;
        final long[] ns = Arrays.copyOf(result, n);
        Arrays.sort(ns);
        System.out.printf("%s: %d scrapes, ms min %.2f median %.2f p99 %.2f max %.2f; %d bytes, %d samples%n",
            what, n, ns[0] / 1e6, ns[n / 2] / 1e6, ns[Math.min(n - 1, (int)Math.ceil(n * 0.99) - 1)] / 1e6,
            ns[n - 1] / 1e6, result[n], result[n + 1]);
    }
}

package io.tickgate.gateway.metrics;

import io.tickgate.gateway.Gateway;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one {@code /metrics} scrape as the gateway pays it, with many sessions open: a gateway in this JVM
 * (embedded simulator, 50 symbols at 200 ticks/s, 30 s heartbeats so idle sessions stay idle), SESSIONS WebSocket
 * sessions from this JVM each subscribed to 2 symbols, then SCRAPES calls of the registry's scrape timed in CPU
 * and wall time on the calling thread, before and after the sessions open. Not a test:
 *   java -cp ... io.tickgate.gateway.metrics.ScrapeCostProbe SESSIONS SCRAPES
 */
public final class ScrapeCostProbe
{
    public static void main(final String[] args) throws Exception
    {
        final int sessions = Integer.parseInt(args[0]);
        final int scrapes = Integer.parseInt(args[1]);
        try (Gateway gateway = Gateway.launch(new Gateway.Context()
            .bindAddress("127.0.0.1").httpPort(0).feedPort(-1).simulatorSymbols(50).simulatorRate(200)
            .heartbeatNs(TimeUnit.SECONDS.toNanos(30))))
        {
            while (gateway.registry().count() < 50)
            {
                Thread.sleep(10);
            }
            measure("0 sessions", gateway, scrapes);

            final HttpClient http = HttpClient.newHttpClient();
            final URI uri = URI.create("ws://127.0.0.1:" + gateway.httpAddress().getPort() + "/ws");
            final List<WebSocket> sockets = new ArrayList<>();
            for (int batch = 0; batch < sessions; batch += 500)
            {
                final List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
                for (int c = batch; c < Math.min(sessions, batch + 500); c++)
                {
                    pending.add(http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener()
                    {
                        @Override
                        public CompletionStage<?> onBinary(
                            final WebSocket ws, final ByteBuffer data, final boolean last)
                        {
                            ws.request(1);
                            return null;
                        }
                    }));
                }
                for (final CompletableFuture<WebSocket> future : pending)
                {
                    final WebSocket socket = future.get(60, TimeUnit.SECONDS);
                    final int sid = sockets.size() % 49;
                    socket.sendText("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"" +
                        gateway.registry().bySid(sid).name() + "\",\"" + gateway.registry().bySid(sid + 1).name() +
                        "\"]}", true);
                    sockets.add(socket);
                }
            }
            while (gateway.sessionsOpen() < sessions)
            {
                Thread.sleep(10);
            }
            Thread.sleep(2_000);
            measure(gateway.sessionsOpen() + " sessions", gateway, scrapes);
            sockets.forEach(WebSocket::abort);
        }
    }

    private static void measure(final String what, final Gateway gateway, final int scrapes)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long[] cpuNs = new long[scrapes];
        final long[] wallNs = new long[scrapes];
        int length = 0;
        for (int i = 0; i < scrapes; i++)
        {
            final long cpu = threads.getCurrentThreadCpuTime();
            final long wall = System.nanoTime();
            length = gateway.metrics().scrape().length();
            wallNs[i] = System.nanoTime() - wall;
            cpuNs[i] = threads.getCurrentThreadCpuTime() - cpu;
        }
        Arrays.sort(cpuNs);
        Arrays.sort(wallNs);
        final String text = gateway.metrics().scrape();
        final long samples = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
        System.out.printf("%s: %d scrapes; CPU ms median %.3f p90 %.3f; wall ms median %.3f p90 %.3f; %d chars, %d " +
            "samples%n", what, scrapes, cpuNs[scrapes / 2] / 1e6, cpuNs[scrapes * 9 / 10] / 1e6,
            wallNs[scrapes / 2] / 1e6, wallNs[scrapes * 9 / 10] / 1e6, length, samples);
    }
}

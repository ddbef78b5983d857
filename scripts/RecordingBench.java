import io.tickgate.gateway.Gateway;
import io.tickgate.simulator.recording.RecordingWriter;
import java.nio.file.*;
import java.util.concurrent.TimeUnit;
import java.util.regex.*;

/**
 * Recording throughput: writes a synthetic 100-symbol recording of N ticks (the journal writer alone, bytes a
 * tick), then replays it at max into in-process gateways (a WebSocket client subscribed to every symbol) without
 * and with --record, twice, and prints ingest and recording rates and drops. Run from the repository root after
 * `mvn -B -ntp -q package -Dmaven.test.skip=true`:
 * <pre>
 *   java $(cat gateway/target/jvm.flags) -cp gateway/target/tickgate.jar scripts/RecordingBench.java /tmp/big 5000000
 * </pre>
 */
public class RecordingBench
{
    public static void main(String[] args) throws Exception
    {
        final Path big = Path.of(args[0]);
        final int ticks = Integer.parseInt(args[1]);
        if (!Files.exists(big))
        {
            final long start = System.nanoTime();
            try (RecordingWriter writer = RecordingWriter.open(big, "bench"))
            {
                for (int s = 1; s <= 100; s++)
                {
                    writer.definition(s, "SYM" + s, 4, 0);
                }
                long t = 1_700_000_000_000_000_000L;
                final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
                final long[] mid = new long[101];
                java.util.Arrays.fill(mid, 1_000_000);
                for (int i = 1; i <= ticks; i++)
                {
                    final int s = 1 + random.nextInt(100);
                    mid[s] += random.nextInt(21) - 10;
                    t += 1_000 + random.nextInt(2_000);
                    if ((i & 7) == 0)
                    {
                        writer.trade(s, i, t, t + 50_000, mid[s], 100 + random.nextInt(900));
                    }
                    else
                    {
                        writer.quote(s, i, t, t + 50_000, mid[s] - 5, 100 + random.nextInt(900), mid[s] + 5,
                            100 + random.nextInt(900));
                    }
                }
                final double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("writer: %,d ticks in %.2f s = %,.0f ticks/s, %,d bytes, %.1f bytes/tick%n",
                    ticks, seconds, ticks / seconds, writer.length(), (double)writer.length() / ticks);
            }
        }
        for (final boolean record : new boolean[] {false, true, false, true})
        {
            final Path out = Files.createTempDirectory("rec");
            final Gateway.Context ctx = new Gateway.Context().bindAddress("127.0.0.1").httpPort(0).feedPort(-1)
                .staleAfterNs(TimeUnit.MINUTES.toNanos(10)).replay(big, 0);
            if (record)
            {
                ctx.recordDir(out);
            }
            try (Gateway gateway = Gateway.launch(ctx))
            {
                final java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + gateway.httpAddress().getPort() + "/ws"),
                        new java.net.http.WebSocket.Listener() {}).get();
                final long start = System.nanoTime();
                boolean subscribed = false;
                while (!gateway.replaySource().isDone())
                {
                    if (!subscribed && gateway.registry().count() == 100)
                    {
                        final StringBuilder symbols = new StringBuilder();
                        for (int s = 1; s <= 100; s++)
                        {
                            symbols.append(s > 1 ? "," : "").append("\"SYM").append(s).append('"');
                        }
                        ws.sendText("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[" + symbols + "]}", true);
                        subscribed = true;
                    }
                    Thread.sleep(1);
                }
                final double ingestSeconds = (System.nanoTime() - start) / 1e9;
                long recorded = 0;
                if (record)
                {
                    // Every tick is either recorded or counted as dropped: wait for the sum, not for the recording.
                    while ((recorded = counter(gateway, "tickgate_recording_ticks_total")) +
                        counter(gateway, "tickgate_recording_dropped_total") < ticks && System.nanoTime() - start < 120e9)
                    {
                        Thread.sleep(1);
                    }
                }
                final double recordSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("record=%s: ingested %,d ticks in %.2f s = %,.0f ticks/s; recorded %,d (dropped %d)" +
                    " done after %.2f s = %,.0f ticks/s%n", record, gateway.replaySource().ticksSent(), ingestSeconds,
                    gateway.replaySource().ticksSent() / ingestSeconds, recorded,
                    counter(gateway, "tickgate_recording_dropped_total"), recordSeconds, recorded / recordSeconds);
                ws.abort();
            }
        }
        System.exit(0);
    }

    static long counter(final Gateway gateway, final String name)
    {
        final Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.E]+)").matcher(gateway.metrics().scrape());
        return m.find() ? (long)Double.parseDouble(m.group(1)) : -1;
    }
}

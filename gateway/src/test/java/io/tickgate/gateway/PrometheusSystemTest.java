package io.tickgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.simulator.FeedSimulator;
import io.tickgate.simulator.MarketSimulator;
import io.tickgate.simulator.UdpFeedSender;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped observability set against real components: a real gateway fed over UDP by the feed simulator, a
 * client subscribed to every symbol, and a real Prometheus (Debian package {@code prometheus}) scraping the gateway
 * every second and evaluating the shipped alert rules, {@code grafana/prometheus/tickgate-alerts.yml}, unchanged.
 * <p>
 * The gateway runs with a 1 s stale-after threshold: the feed-stalled alert follows the gateway's stale flag, so
 * it fires 1 s + its 10 s {@code for:} after the last tick, and the test needs no copy of the rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusSystemTest
{
    private static final int SYMBOLS = 20;
    private static final double RATE = 2_000;
    private static final long STALE_AFTER_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long STALLED_FOR_NS = TimeUnit.SECONDS.toNanos(10);
    private static final Pattern THRESHOLD = Pattern.compile(
        "^(.*?)\\s*(>=|<=|==|!=|>|<)\\s*(?:bool\\s+)?[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?\\s*$", Pattern.DOTALL);

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private Gateway gateway;
    private TestClient client;
    private PrometheusServer prometheus;
    private long ticksSent;
    /** The gateway records, so that the recording's metrics and alert have data too. */
    @TempDir
    static Path recordings;

    @BeforeAll
    void start() throws IOException
    {
        // Fails with the package to install before anything else starts.
        PrometheusServer.requireBinary("prometheus");
        gateway = Gateway.launch(new Gateway.Context()
            .bindAddress("127.0.0.1").httpPort(0).feedPort(0).staleAfterNs(STALE_AFTER_NS)
            .recordDir(recordings.resolve("recording")));
        final Path rules = PrometheusServer.grafanaDir().resolve("prometheus").resolve("tickgate-alerts.yml");
        prometheus = PrometheusServer.start("127.0.0.1:" + gateway.httpAddress().getPort(), List.of(rules));

        client = TestClient.connect(gateway);
        ticksSent = runFeed(TimeUnit.SECONDS.toNanos(3), true);
    }

    @AfterAll
    void stop()
    {
        CloseHelper.quietCloseAll(client, gateway, prometheus);
    }

    @Test
    @Order(1)
    void shouldCountEveryTickSentAndRecordLatencyAndFramesInPrometheus()
    {
        Tests.await(Duration.ofSeconds(20), prometheus::targetUp, () -> "target never up: " + prometheus.log());
        assertThat(ticksSent).isGreaterThan(1_000);

        Tests.await(Duration.ofSeconds(20),
            () -> ticksSent == prometheus.value("tickgate_ticks_ingested_total{job=\"tickgate\",source=\"udp\"}"),
            () -> "Prometheus has " + prometheus.value("tickgate_ticks_ingested_total{source=\"udp\"}") +
                " ticks ingested, the simulator sent " + ticksSent);
        assertThat(prometheus.value("tickgate_feed_gaps_total{source=\"udp\"}")).isZero();

        assertThat(prometheus.value("tickgate_sessions_open")).isEqualTo(1);
        Tests.await(Duration.ofSeconds(10), () -> prometheus.value("tickgate_frames_sent_total") > 0,
            () -> "no frames in Prometheus");
        Tests.await(Duration.ofSeconds(10),
            () -> prometheus.value("tickgate_latency_tick_to_wire_seconds_count") > 0 &&
                prometheus.value("tickgate_latency_tick_to_wire_seconds_bucket{le=\"+Inf\"}") ==
                prometheus.value("tickgate_latency_tick_to_wire_seconds_count"),
            () -> "tick-to-wire histogram has no samples: " +
                prometheus.query("tickgate_latency_tick_to_wire_seconds_count"));
        assertThat(prometheus.query("tickgate_latency_tick_to_wire_seconds_bucket")).hasSizeGreaterThan(10);
        Tests.await(Duration.ofSeconds(10),
            () -> prometheus.value("tickgate_latency_exchange_to_ingest_seconds_count{source=\"udp\"}") == ticksSent,
            () -> "exchange-to-ingest histogram does not hold every tick");
        assertThat(errors).isEmpty();
    }

    @Test
    @Order(2)
    void shouldReturnDataForEveryDashboardPanelAndEveryAlertExpression() throws IOException
    {
        // GC pause metrics appear after the first collection; the JVM board needs one.
        System.gc();
        final Map<String, String> queries = new LinkedHashMap<>();
        try (Stream<Path> dashboards = Files.list(PrometheusServer.grafanaDir().resolve("dashboards")))
        {
            for (final Path dashboard : (Iterable<Path>)dashboards.sorted()::iterator)
            {
                final JsonNode root = mapper.readTree(dashboard.toFile());
                collectPanelExprs(dashboard.getFileName() + ": ", root.get("panels"), queries);
                for (final JsonNode variable : root.path("templating").path("list"))
                {
                    final String query = variable.path("query").path("query").asText("");
                    final Matcher labelValues = Pattern.compile("label_values\\((.+),\\s*\\w+\\)").matcher(query);
                    if (labelValues.matches())
                    {
                        queries.put(dashboard.getFileName() + ": variable " + variable.get("name").asText(),
                            labelValues.group(1));
                    }
                }
            }
        }
        assertThat(queries).hasSizeGreaterThan(40);

        final JsonNode groups = prometheus.api("/api/v1/rules?type=alert").get("groups");
        int alerts = 0;
        for (final JsonNode group : groups)
        {
            for (final JsonNode rule : group.get("rules"))
            {
                alerts++;
                final String expr = rule.get("query").asText();
                prometheus.query(expr);
                final Matcher threshold = THRESHOLD.matcher(expr);
                assertThat(threshold.matches()).as("alert %s ends in a threshold: %s", rule.get("name"), expr)
                    .isTrue();
                queries.put("alert " + rule.get("name").asText() + " (without its threshold)", threshold.group(1));
            }
        }
        final long shippedAlerts;
        try (Stream<String> lines = Files.lines(
            PrometheusServer.grafanaDir().resolve("prometheus").resolve("tickgate-alerts.yml")))
        {
            shippedAlerts = lines.filter(line -> line.trim().startsWith("- alert:")).count();
        }
        assertThat(alerts).as("alert rules Prometheus loaded").isEqualTo(shippedAlerts).isGreaterThan(5);

        final List<String> empty = new ArrayList<>();
        Tests.await(Duration.ofSeconds(30), () ->
        {
            empty.clear();
            queries.forEach((where, expr) ->
            {
                if (prometheus.query(substitute(expr)).isEmpty())
                {
                    empty.add(where + ": " + substitute(expr));
                }
            });
            return empty.isEmpty();
        }, () -> "expressions with no data:\n" + String.join("\n", empty));
    }

    @Test
    @Order(3)
    void shouldFireFeedStalledWhenFeedStopsPastThresholdAndClearWhenTicksReturn()
    {
        final String firing = "ALERTS{alertname=\"TickgateFeedStalled\",alertstate=\"firing\",source=\"udp\"}";
        runFeed(TimeUnit.SECONDS.toNanos(4), false);
        final long stoppedNs = System.nanoTime();
        assertThat(prometheus.query(firing)).as("not firing right after ticks").isEmpty();

        Tests.await(Duration.ofSeconds(40), () -> !prometheus.query(firing).isEmpty(),
            () -> "TickgateFeedStalled never fired: " + prometheus.api("/api/v1/alerts") + "\n" + prometheus.log());
        final long firedAfterNs = System.nanoTime() - stoppedNs;
        assertThat(firedAfterNs).as("fired after the stale threshold plus for:")
            .isGreaterThanOrEqualTo(STALE_AFTER_NS + STALLED_FOR_NS);
        assertThat(prometheus.value("tickgate_feed_last_tick_age_seconds{source=\"udp\"}"))
            .isGreaterThan(STALE_AFTER_NS / 1e9);

        runFeed(TimeUnit.SECONDS.toNanos(2), false);
        Tests.await(Duration.ofSeconds(20), () -> prometheus.query("ALERTS{alertname=\"TickgateFeedStalled\"}")
            .isEmpty(), () -> "TickgateFeedStalled still active after ticks returned");
    }

    /**
     * Runs the simulator over UDP into the gateway for a while; when {@code subscribe}, the client subscribes to
     * every symbol once they are defined. Returns the ticks sent.
     */
    private long runFeed(final long durationNs, final boolean subscribe)
    {
        final UdpFeedSender sender = new UdpFeedSender(
            new InetSocketAddress("127.0.0.1", gateway.feedAddress().getPort()));
        final FeedSimulator simulator = new FeedSimulator(
            new MarketSimulator(SYMBOLS, 7), sender, RATE, durationNs, SystemNanoClock.INSTANCE);
        final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), errors::add, null, simulator);
        try
        {
            AgentRunner.startOnThread(runner);
            if (subscribe)
            {
                Tests.await(Duration.ofSeconds(10), () -> gateway.registry().count() == SYMBOLS,
                    () -> "symbols defined: " + gateway.registry().count());
                final String[] names = new String[SYMBOLS];
                for (int sid = 0; sid < SYMBOLS; sid++)
                {
                    names[sid] = gateway.registry().bySid(sid).name();
                }
                client.awaitReply(client.subscribe(names));
            }
            Tests.await(Duration.ofNanos(durationNs).plusSeconds(10), runner::isClosed,
                () -> "simulator still running");
        }
        finally
        {
            CloseHelper.quietCloseAll(runner, sender);
        }
        assertThat(sender.datagramsRefused()).as("datagrams the kernel refused").isZero();
        assertThat(sender.sendErrors()).isZero();
        return simulator.ticksSent();
    }

    private static void collectPanelExprs(final String prefix, final JsonNode panels, final Map<String, String> into)
    {
        if (null == panels)
        {
            return;
        }
        for (final JsonNode panel : panels)
        {
            for (final JsonNode target : panel.path("targets"))
            {
                if (target.hasNonNull("expr"))
                {
                    into.put(prefix + panel.get("title").asText() + " / " + target.path("refId").asText(),
                        target.get("expr").asText());
                }
            }
            collectPanelExprs(prefix, panel.get("panels"), into);
        }
    }

    /**
     * Grafana's template variables as Grafana would fill them for this Prometheus (1 s scrape interval).
     */
    private static String substitute(final String expr)
    {
        return expr
            .replace("$__rate_interval", "10s")
            .replace("${__rate_interval}", "10s")
            .replace("$__interval", "5s")
            .replace("$__range", "1m")
            .replace("${instance}", ".*")
            .replace("$instance", ".*");
    }
}

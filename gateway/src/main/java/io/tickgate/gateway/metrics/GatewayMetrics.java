package io.tickgate.gateway.metrics;

import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickgate.gateway.feed.FeedCounters;
import io.tickgate.gateway.session.SessionCounters;
import io.tickgate.protocol.FeedDecodeResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Creates the gateway's counters and exports them, with JVM and process metrics, on a Prometheus registry.
 * Every gateway meter is named {@code tickgate.*}; tags come only from small fixed sets (source, reason, quantile),
 * never a symbol or a session.
 * <p>
 * Counters are created at start, on the starting thread; afterwards each has the writers its owner documents.
 * A scrape reads every counter once, in the order they were created, before the registry formats any of them, so
 * one scrape is one moment per counter: a counter of what has passed another counter (ticks recorded, after ticks
 * ingested) is created before it, and a scrape never shows it ahead.
 */
public final class GatewayMetrics implements AutoCloseable
{
    private static final int MAX_COUNTERS = 128;

    /** Counters in creation order; read by {@link #scrape()}, under this object's lock. */
    private final AtomicCounter[] counters = new AtomicCounter[MAX_COUNTERS];
    /** What the last scrape read of each counter, by index in {@link #counters}; under this object's lock. */
    private final long[] scraped = new long[MAX_COUNTERS];
    private int counterCount;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersManager.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersManager.COUNTER_LENGTH)));
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    /** Written by tickgate-metrics in {@link #refreshFileDescriptors()}, read by the scrape thread. */
    private volatile double openFiles = Double.NaN;
    /** Written by tickgate-metrics in {@link #refreshFileDescriptors()}, read by the scrape thread. */
    private volatile double maxFiles = Double.NaN;

    public GatewayMetrics()
    {
        // Two of ProcessorMetrics' meters break Prometheus's naming rules (promtool's linter flags them):
        // process_cpu_time_ns_total (an abbreviated unit) and system_cpu_count (a gauge named like a count).
        // process_cpu_usage and system_cpu_usage stay; the CPU count does not change while the process runs.
        registry.config().meterFilter(MeterFilter.deny(id ->
            "process.cpu.time".equals(id.getName()) || "system.cpu.count".equals(id.getName())));
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Micrometer's FileDescriptorMetrics counts /proc/self/fd on every scrape: ~17 ms of CPU with 10,000
        // sessions open. Same names, counted by tickgate-metrics every few seconds instead.
        Gauge.builder("process.files.open", this, metrics -> metrics.openFiles)
            .description("The open file descriptor count, refreshed every 5 s")
            .baseUnit("files")
            .register(registry);
        Gauge.builder("process.files.max", this, metrics -> metrics.maxFiles)
            .description("The maximum file descriptor count")
            .baseUnit("files")
            .register(registry);
        refreshFileDescriptors();
        new JvmInfoMetrics().bindTo(registry);
        heapPressure.bindTo(registry);
    }

    public PrometheusMeterRegistry registry()
    {
        return registry;
    }

    /**
     * A counter exported as a Prometheus counter ({@code _total}).
     */
    public AtomicCounter counter(final String name, final String description, final String... tags)
    {
        final AtomicCounter counter = countersManager.newCounter(name + String.join(",", tags));
        final int index = scrapedIndex(counter);
        FunctionCounter.builder(name, this, metrics -> metrics.scraped[index])
            .description(description)
            .tags(tags)
            .register(registry);
        return counter;
    }

    /**
     * A counter exported as a gauge (a value that goes up and down, such as open sessions).
     */
    public AtomicCounter gaugeCounter(final String name, final String description, final String... tags)
    {
        final AtomicCounter counter = countersManager.newCounter(name + String.join(",", tags));
        final int index = scrapedIndex(counter);
        Gauge.builder(name, this, metrics -> metrics.scraped[index])
            .description(description)
            .tags(tags)
            .register(registry);
        return counter;
    }

    private synchronized int scrapedIndex(final AtomicCounter counter)
    {
        counters[counterCount] = counter;
        return counterCount++;
    }

    public void gauge(final String name, final String description, final String baseUnit,
        final DoubleSupplier value, final String... tags)
    {
        Gauge.builder(name, value::getAsDouble)
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

    public FeedCounters feedCounters(final String source, final AtomicCounter ticks)
    {
        final AtomicCounter[] malformed = new AtomicCounter[FeedDecodeResult.REASON_COUNT];
        for (int reason = 1; reason < FeedDecodeResult.REASON_COUNT; reason++)
        {
            malformed[reason] = counter("tickgate.feed.malformed",
                "Feed datagrams dropped whole as malformed, by reason", "source", source,
                "reason", FeedDecodeResult.name(reason));
        }
        return new FeedCounters(
            counter("tickgate.feed.datagrams", "Feed datagrams received", "source", source),
            ticks,
            counter("tickgate.feed.definitions", "Instrument definitions received", "source", source),
            counter("tickgate.feed.unknown.instruments",
                "Quotes and trades dropped because their instrument had no definition yet", "source", source),
            counter("tickgate.feed.unknown.message.types",
                "Feed messages of a type v1 does not define, skipped", "source", source),
            counter("tickgate.feed.gaps", "Sequence gaps seen on the feed", "source", source),
            counter("tickgate.feed.missing.messages", "Feed messages missing in sequence gaps", "source", source),
            counter("tickgate.feed.duplicates", "Duplicate feed datagrams dropped", "source", source),
            counter("tickgate.feed.out.of.order", "Late feed datagrams dropped", "source", source),
            counter("tickgate.feed.restarts", "Feed sessions that started again at sequence 1, that the gateway " +
                "resumed on after a run of late datagrams that follow on from each other, or that a new sender " +
                "started by taking the feed port", "source", source),
            counter("tickgate.feed.other.senders", "Feed datagrams dropped because they came from a second " +
                "sender while the current one was sending", "source", source),
            symbolTableFull(source),
            definitionsRefused(source),
            malformed);
    }

    public AtomicCounter symbolTableFull(final String source)
    {
        return counter("tickgate.symbols.table.full",
            "Definitions dropped because the symbol table was full", "source", source);
    }

    public AtomicCounter definitionsRefused(final String source)
    {
        return counter("tickgate.feed.definitions.refused",
            "Definitions refused because they change the scales of a known symbol", "source", source);
    }

    public SessionCounters sessionCounters()
    {
        return new SessionCounters(
            gaugeCounter("tickgate.sessions.open", "WebSocket sessions open"),
            counter("tickgate.sessions.opened", "WebSocket sessions accepted"),
            counter("tickgate.sessions.rejected", "WebSocket sessions refused because the gateway was full"),
            counter("tickgate.sessions.forbidden",
                "WebSocket handshakes refused with 403 because their Origin is not allowed"),
            counter("tickgate.frames.sent", "Binary frames written to clients"),
            counter("tickgate.entries.sent", "Symbol entries written to clients"),
            counter("tickgate.entries.conflated",
                "Feed updates merged into UPDATE entries beyond the first (the sum of the entries' conflated field)"),
            counter("tickgate.bytes.sent", "Bytes of binary frames written to clients"),
            counter("tickgate.heartbeats.sent", "HEARTBEAT frames written to idle sessions"),
            counter("tickgate.slow.consumer.closes", "Sessions closed with 1008 for staying unwritable"),
            counter("tickgate.bad.requests", "Client requests answered with an error", "code", "BAD_REQUEST"),
            counter("tickgate.bad.requests", "Client requests answered with an error", "code", "TOO_LARGE"),
            gaugeCounter("tickgate.sessions.throttled", "Sessions with a per-symbol rate limit (throttle above 0)"),
            counter("tickgate.websocket.protocol.errors",
                "Connections failed for breaking RFC 6455 (unmasked or malformed frames, bad UTF-8)"),
            counter("tickgate.io.drains.deferred",
                "IO-thread flushes cut short to let the thread select, because sessions were woken faster than "
                    + "it could write them (the IO thread is saturated)"));
    }

    /**
     * Exports tick-to-wire latency: a histogram ({@code tickgate_latency_tick_to_wire_seconds}) from the
     * cumulative buckets, percentiles over the publisher's window as a summary
     * ({@code tickgate_latency_tick_to_wire_window_seconds{quantile}}; a separate name, since one Prometheus
     * family cannot be both a histogram and a summary), the sample count, and each feed source's
     * exchange-to-ingest histogram.
     *
     * @param feedLatency exchange-to-ingest publishers by source name.
     */
    public void latency(final LatencyPublisher publisher, final Map<String, LatencyPublisher> feedLatency)
    {
        FunctionCounter.builder("tickgate.latency.tick.to.wire.samples", publisher, LatencyPublisher::samples)
            .description("Entries whose tick-to-wire latency was recorded")
            .register(registry);
        final LatencyCollector collector = new LatencyCollector(publisher.buckets()).tickToWireWindow(publisher);
        feedLatency.forEach((source, feed) -> collector.exchangeToIngest(source, feed.buckets()));
        registry.getPrometheusRegistry().register(collector);
    }

    /**
     * Counts the process's open file descriptors; on tickgate-metrics every few seconds, never on a scrape.
     */
    public void refreshFileDescriptors()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)
        {
            openFiles = os.getOpenFileDescriptorCount();
            maxFiles = os.getMaxFileDescriptorCount();
        }
    }

    public synchronized String scrape()
    {
        for (int i = 0; i < counterCount; i++)
        {
            scraped[i] = counters[i].get();
        }
        return registry.scrape();
    }

    @Override
    public void close()
    {
        gcMetrics.close();
        heapPressure.close();
        registry.close();
    }
}

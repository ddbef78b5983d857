package io.tickgate.gateway.metrics;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exports the latency {@link LatencyBuckets} as Prometheus histograms, straight on the Prometheus registry under
 * Micrometer (Micrometer would want every value recorded through it, which the IO and feed threads must not do):
 * <ul>
 *   <li>{@code tickgate_latency_tick_to_wire_seconds}: ingest to write, every entry of every UPDATE frame;</li>
 *   <li>{@code tickgate_latency_exchange_to_ingest_seconds{source}}: exchange time to ingest, per feed source;</li>
 *   <li>{@code tickgate_latency_tick_to_wire_window_seconds{quantile}}: exact HdrHistogram quantiles of the
 *   tick-to-wire latency over the publisher's window, as a summary (with the window's count and sum).</li>
 * </ul>
 * Thread-safe: series are added at start on the starting thread, before the collector is registered; the scrape
 * thread then only reads published buckets.
 */
public final class LatencyCollector implements MultiCollector
{
    public static final String TICK_TO_WIRE = "tickgate_latency_tick_to_wire_seconds";
    public static final String EXCHANGE_TO_INGEST = "tickgate_latency_exchange_to_ingest_seconds";

    private static final MetricMetadata TICK_TO_WIRE_METADATA = new MetricMetadata(TICK_TO_WIRE,
        "Tick-to-wire latency: gateway ingest to the write of the entry to a client, in seconds", Unit.SECONDS);
    private static final MetricMetadata EXCHANGE_TO_INGEST_METADATA = new MetricMetadata(EXCHANGE_TO_INGEST,
        "Feed latency: exchange time of a tick to its ingest by the gateway, in seconds, by feed source " +
        "(negative differences, an exchange clock ahead of ours, count as 0)", Unit.SECONDS);

    public static final String TICK_TO_WIRE_WINDOW = "tickgate_latency_tick_to_wire_window_seconds";

    private static final MetricMetadata TICK_TO_WIRE_WINDOW_METADATA = new MetricMetadata(TICK_TO_WIRE_WINDOW,
        "Tick-to-wire latency (ingest to write) over the last 10 s, by quantile, from the HdrHistograms, in seconds",
        Unit.SECONDS);

    private final LatencyBuckets tickToWire;
    /** The window's quantiles; null when the collector exports buckets only. */
    private LatencyPublisher tickToWireWindow;
    private final Map<String, LatencyBuckets> exchangeToIngest = new LinkedHashMap<>();

    public LatencyCollector(final LatencyBuckets tickToWire)
    {
        this.tickToWire = tickToWire;
    }

    /**
     * Adds a feed source's exchange-to-ingest buckets; before registration only.
     */
    public LatencyCollector exchangeToIngest(final String source, final LatencyBuckets buckets)
    {
        exchangeToIngest.put(source, buckets);
        return this;
    }

    /**
     * Adds the tick-to-wire window's quantiles; before registration only.
     */
    public LatencyCollector tickToWireWindow(final LatencyPublisher publisher)
    {
        tickToWireWindow = publisher;
        return this;
    }

    @Override
    public MetricSnapshots collect()
    {
        final HistogramSnapshot.Builder feed = HistogramSnapshot.builder()
            .name(EXCHANGE_TO_INGEST).help(EXCHANGE_TO_INGEST_METADATA.getHelp()).unit(Unit.SECONDS);
        for (final Map.Entry<String, LatencyBuckets> entry : exchangeToIngest.entrySet())
        {
            feed.dataPoint(entry.getValue().dataPoint(Labels.of("source", entry.getKey())));
        }
        final List<io.prometheus.metrics.model.snapshots.MetricSnapshot> snapshots = new ArrayList<>(2);
        snapshots.add(HistogramSnapshot.builder()
            .name(TICK_TO_WIRE).help(TICK_TO_WIRE_METADATA.getHelp()).unit(Unit.SECONDS)
            .dataPoint(tickToWire.dataPoint(Labels.EMPTY))
            .build());
        if (!exchangeToIngest.isEmpty())
        {
            snapshots.add(feed.build());
        }
        if (null != tickToWireWindow)
        {
            snapshots.add(windowSummary(tickToWireWindow.windowValues()));
        }
        return new MetricSnapshots(snapshots);
    }

    /**
     * A summary, not gauges with a quantile label, so the exposition passes Prometheus's linter; the series
     * ({@code {quantile="0.99"}}) are the same.
     */
    private static SummarySnapshot windowSummary(final double[] window)
    {
        final Quantile[] quantiles = new Quantile[LatencyPublisher.QUANTILES.length];
        for (int i = 0; i < quantiles.length; i++)
        {
            quantiles[i] = new Quantile(LatencyPublisher.QUANTILES[i], window[i]);
        }
        return SummarySnapshot.builder()
            .name(TICK_TO_WIRE_WINDOW).help(TICK_TO_WIRE_WINDOW_METADATA.getHelp()).unit(Unit.SECONDS)
            .dataPoint(new SummarySnapshot.SummaryDataPointSnapshot((long)window[LatencyPublisher.TOTAL_COUNT],
                window[LatencyPublisher.TOTAL_SUM], Quantiles.of(quantiles), Labels.EMPTY, Exemplars.EMPTY, 0L))
            .build();
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors()
    {
        final List<MetricFamilyDescriptor> descriptors = new ArrayList<>(List.of(
            MetricFamilyDescriptor.of(MetricType.HISTOGRAM, TICK_TO_WIRE_METADATA),
            MetricFamilyDescriptor.of(MetricType.HISTOGRAM, EXCHANGE_TO_INGEST_METADATA, Set.of("source"))));
        if (null != tickToWireWindow)
        {
            descriptors.add(MetricFamilyDescriptor.of(MetricType.SUMMARY, TICK_TO_WIRE_WINDOW_METADATA));
        }
        return descriptors;
    }
}

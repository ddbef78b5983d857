/**
 * Owns the gateway's counters (an Agrona counters buffer: each counter has one writer thread, or atomic
 * increments where IO threads share it) and their export through a Micrometer Prometheus registry. The latency
 * recorders belong to the IO threads (tick-to-wire) and to the feed producers (exchange-to-ingest);
 * tickgate-metrics takes their interval histograms once a second and publishes cumulative histogram buckets and
 * window percentiles that the scrape thread only reads, through {@link io.tickgate.gateway.metrics.LatencyCollector}
 * on the Prometheus registry. Catalogue: docs/metrics.md.
 */
package io.tickgate.gateway.metrics;

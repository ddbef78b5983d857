/**
 * Owns the gateway's counters (an Agrona counters buffer: each counter has one writer thread, or atomic
 * increments where IO threads share it) and their export through a Micrometer Prometheus registry. The latency
 * recorders belong to the IO threads; tickgate-metrics takes their interval histograms once a second and
 * publishes percentiles that the scrape thread only reads.
 */
package io.tickgate.gateway.metrics;

package io.tickgate.perf;

/**
 * What one load test asks for, checked by {@link LoadTestCommand}. Immutable.
 */
record LoadTestSettings(
    String host,
    int port,
    String path,
    int connections,
    int symbolsPerConnection,
    long durationNs,
    long warmupNs)
{
}

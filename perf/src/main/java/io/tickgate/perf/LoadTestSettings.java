package io.tickgate.perf;

/**
 * What one load test asks for, checked by {@link LoadTestCommand}. Immutable.
 *
 * @param symbols how many symbols to spread the subscriptions over, 0 for every symbol the server lists.
 */
record LoadTestSettings(
    String host,
    int port,
    String path,
    int connections,
    int symbolsPerConnection,
    int symbols,
    long durationNs,
    long warmupNs)
{
}

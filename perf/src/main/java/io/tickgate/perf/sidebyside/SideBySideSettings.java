package io.tickgate.perf.sidebyside;

import java.nio.file.Path;
import java.util.List;

/**
 * What one side-by-side invocation runs, checked by {@link SideBySideCommand}. Immutable.
 *
 * @param root       the repository root: the peers live under {@code perf/peers/} there.
 * @param out        where the results go; created.
 * @param skewedFeed the simulator's market-like activity (symbol i weighted i^-0.9) instead of every symbol equally
 *                   busy.
 */
record SideBySideSettings(
    Path root,
    Path out,
    List<Scenario> scenarios,
    List<ServerKind> servers,
    double durationSeconds,
    double warmupSeconds,
    boolean skewedFeed)
{
}

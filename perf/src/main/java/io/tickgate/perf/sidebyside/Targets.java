package io.tickgate.perf.sidebyside;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets for Tickgate in each default scenario, and whether a set of runs meets them. Peer-relative
 * targets (watchlist, light) need the peers' runs; without them the verdict says so. Stateless.
 */
final class Targets
{
    static final double OVERLOAD_AGE_P99_MS = 10;
    static final double WIDE_LATENCY_P99_MS = 20;
    static final double LIGHT_P99_FACTOR = 1.5;
    /** Entries + conflated may miss the seq advance by rounding only. */
    static final double ACCOUNTED_FLOOR_PERCENT = 99.99;

    private Targets()
    {
    }

    static String describe(final String scenario)
    {
        return switch (scenario)
        {
            case "light" -> "Tickgate's p99 within " + LIGHT_P99_FACTOR + "x of the best peer's.";
            case "watchlist" -> "Tickgate's p99 tick-to-client no higher than Bun's, at no more server CPU.";
            case "overload" -> "100 % of offered updates accounted for (entries + conflated), no feed datagram " +
                "dropped, age p99 <= " + OVERLOAD_AGE_P99_MS + " ms.";
            case "wide" -> "Every session held, heap <= 1 GiB, p99 <= " + WIDE_LATENCY_P99_MS +
                " ms, no session starved.";
            default -> "";
        };
    }

    /**
     * "met", "not met: ..." or "unknown: ..." for Tickgate's run among {@code runs} of one scenario; empty for a
     * scenario with no target.
     */
    static String verdict(final String scenario, final List<RunSummary> runs)
    {
        final Optional<RunSummary> tickgate = find(runs, ServerKind.TICKGATE);
        if (describe(scenario).isEmpty())
        {
            return "";
        }
        if (tickgate.isEmpty())
        {
            return "unknown: Tickgate did not run";
        }
        final RunSummary t = tickgate.get();
        final List<String> misses = new ArrayList<>();
        switch (scenario)
        {
            case "overload" ->
            {
                final String unknown = unknown(t, "accounted", t.accountedPercent(), "feed drops", t.feedDrops(),
                    "age p99", t.ageP99Ms());
                if (null != unknown)
                {
                    return unknown;
                }
                check(misses, t.accountedPercent() >= ACCOUNTED_FLOOR_PERCENT, "accounted %.2f %%",
                    t.accountedPercent());
                check(misses, 0 == t.feedDrops(), "%d feed datagrams dropped", t.feedDrops());
                check(misses, t.ageP99Ms() <= OVERLOAD_AGE_P99_MS, "age p99 %.1f ms", t.ageP99Ms());
            }
            case "wide" ->
            {
                final String unknown = unknown(t, "sessions held", t.connectionsHeld(), "p99", t.latencyP99Ms(),
                    "slowest session", t.slowestSessionEntries());
                if (null != unknown)
                {
                    return unknown;
                }
                check(misses, t.connectionsHeld() == t.connections(), "%d of %d sessions held",
                    t.connectionsHeld(), t.connections());
                check(misses, t.latencyP99Ms() <= WIDE_LATENCY_P99_MS, "p99 %.1f ms", t.latencyP99Ms());
                check(misses, t.slowestSessionEntries() > 0, "a session received %d updates",
                    t.slowestSessionEntries());
            }
            case "watchlist" ->
            {
                final Optional<RunSummary> bun = find(runs, ServerKind.BUN);
                if (bun.isEmpty())
                {
                    return "unknown: no Bun run to compare with";
                }
                final RunSummary b = bun.get();
                final String unknown = unknown(t, "p99", t.latencyP99Ms(), "server CPU", t.serverCpuPercent());
                final String bunUnknown = unknown(b, "p99", b.latencyP99Ms(), "server CPU", b.serverCpuPercent());
                if (null != unknown || null != bunUnknown)
                {
                    return null != unknown ? unknown : bunUnknown;
                }
                check(misses, t.latencyP99Ms() <= b.latencyP99Ms(), "p99 %.2f ms > Bun's %.2f ms",
                    t.latencyP99Ms(), b.latencyP99Ms());
                check(misses, t.serverCpuPercent() <= b.serverCpuPercent(), "CPU %.0f %% > Bun's %.0f %%",
                    t.serverCpuPercent(), b.serverCpuPercent());
            }
            case "light" ->
            {
                final String unknown = unknown(t, "p99", t.latencyP99Ms());
                if (null != unknown)
                {
                    return unknown;
                }
                final Optional<RunSummary> best = runs.stream()
                    .filter(r -> r.ok() && !ServerKind.TICKGATE.id.equals(r.server()) && null != r.latencyP99Ms())
                    .min((a, b) -> Double.compare(a.latencyP99Ms(), b.latencyP99Ms()));
                if (best.isEmpty())
                {
                    return "unknown: no peer run to compare with";
                }
                check(misses, t.latencyP99Ms() <= LIGHT_P99_FACTOR * best.get().latencyP99Ms(),
                    "p99 %.2f ms > %.1fx %s's %.2f ms", t.latencyP99Ms(), LIGHT_P99_FACTOR, best.get().server(),
                    best.get().latencyP99Ms());
            }
            default ->
            {
                return "";
            }
        }
        return misses.isEmpty() ? "met" : "not met: " + String.join(", ", misses);
    }

    /**
     * "unknown: ..." naming the first of the figures (name, value, name, value, ...) that {@code run} does not have,
     * or null when it has them all: a figure that was not measured neither meets a target nor misses it.
     */
    private static String unknown(final RunSummary run, final Object... namesAndValues)
    {
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            if (null == namesAndValues[i + 1])
            {
                return "unknown: no " + namesAndValues[i] + " measured for " + run.server();
            }
        }
        return null;
    }

    private static Optional<RunSummary> find(final List<RunSummary> runs, final ServerKind server)
    {
        return runs.stream().filter(r -> r.ok() && server.id.equals(r.server())).findFirst();
    }

    private static void check(final List<String> misses, final boolean met, final String miss, final Object... args)
    {
        if (!met)
        {
            misses.add(String.format(Locale.ROOT, miss, args));
        }
    }
}

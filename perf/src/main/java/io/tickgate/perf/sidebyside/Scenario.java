package io.tickgate.perf.sidebyside;

import java.util.List;
import java.util.Locale;

/**
 * One load shape: {@code connections} clients, each subscribed to {@code symbolsPerConnection} of the feed's
 * {@code symbols}, so every symbol has {@link #subscribersPerSymbol()} subscribers, while the feed offers
 * {@code ratePerSecond} ticks over all symbols. Immutable.
 *
 * @param maxHeap the Tickgate JVM's {@code -Xmx}, or null for the JVM's default.
 */
record Scenario(String name, int connections, int symbols, int symbolsPerConnection, double ratePerSecond,
    String maxHeap)
{
    /** The four scenarios, in the order they run. */
    static final List<Scenario> DEFAULTS = List.of(
        new Scenario("light", 1_000, 100, 1, 1_000, null),
        new Scenario("watchlist", 1_000, 200, 20, 5_000, null),
        new Scenario("overload", 1_000, 200, 20, 100_000, null),
        new Scenario("wide", 10_000, 1_000, 5, 10_000, "1g"));

    Scenario
    {
        if (connections < 1 || symbols < 1 || symbolsPerConnection < 1 || symbolsPerConnection > symbols)
        {
            throw new IllegalArgumentException("scenario " + name + ": needs connections, symbols and 1.." +
                symbols + " symbols per connection");
        }
        if (!(ratePerSecond > 0))
        {
            throw new IllegalArgumentException("scenario " + name + ": rate must be positive");
        }
    }

    /**
     * The default scenario called {@code name}, or null.
     */
    static Scenario named(final String name)
    {
        return DEFAULTS.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Subscribers of each symbol: the load generator walks the connections round the symbol list, so this is exact
     * whenever {@code connections x symbolsPerConnection} is a multiple of {@code symbols}.
     */
    double subscribersPerSymbol()
    {
        return (double)connections * symbolsPerConnection / symbols;
    }

    /**
     * Updates per second offered to the clients in total when the feed keeps its rate: ticks x subscribers.
     */
    double offeredDeliveriesPerSecond()
    {
        return ratePerSecond * subscribersPerSymbol();
    }

    String describe()
    {
        return String.format(Locale.ROOT, "%,d connections x %d of %,d symbols (%.0f subscribers per symbol), " +
            "%,.0f ticks/s -> %,.0f deliveries/s offered", connections, symbolsPerConnection, symbols,
            subscribersPerSymbol(), ratePerSecond, offeredDeliveriesPerSecond());
    }
}

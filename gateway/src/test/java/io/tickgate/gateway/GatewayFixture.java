package io.tickgate.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real gateway on loopback (ports chosen by the OS) with a real UDP feed pointed at it, the WebSocket clients a
 * test opens, and the waits and metric reads system tests share. Closing it closes the clients, the feed and the
 * gateway, in that order.
 */
public final class GatewayFixture implements AutoCloseable
{
    public final Gateway gateway;
    public final TestFeed feed;
    private final List<TestClient> clients = new ArrayList<>();

    private GatewayFixture(final Gateway gateway)
    {
        this.gateway = gateway;
        this.feed = new TestFeed(gateway.feedAddress());
    }

    /**
     * @param settings the test's own settings on top of loopback, port 0 for HTTP and the feed.
     */
    public static GatewayFixture launch(final UnaryOperator<Gateway.Context> settings)
    {
        return new GatewayFixture(Gateway.launch(
            settings.apply(new Gateway.Context()).bindAddress("127.0.0.1").httpPort(0).feedPort(0)));
    }

    public TestClient client()
    {
        final TestClient client = TestClient.connect(gateway);
        clients.add(client);
        return client;
    }

    public void awaitSymbol(final String symbol)
    {
        Tests.await(Duration.ofSeconds(10), () -> null != gateway.registry().byName(symbol),
            () -> symbol + " never defined");
    }

    public int sid(final String symbol)
    {
        return gateway.registry().byName(symbol).sid();
    }

    /**
     * Waits until the gateway has applied a symbol's update number {@code seq}.
     */
    public void awaitSeq(final String symbol, final long seq)
    {
        Tests.await(Duration.ofSeconds(10), () -> gateway.cache().seq(sid(symbol)) >= seq,
            () -> symbol + " seq " + gateway.cache().seq(sid(symbol)) + " never reached " + seq);
    }

    /**
     * The value of one series of the Prometheus scrape, by its exact name and labels.
     */
    public double metric(final String series)
    {
        final String scrape = gateway.metrics().scrape();
        final Double value = seriesValue(scrape, series);
        if (null == value)
        {
            throw new AssertionError("no series " + series + " in the scrape:\n" + scrape);
        }
        return value;
    }

    /**
     * Like {@link #metric(String)}, 0 while the series is not exported yet.
     */
    public double metricOrZero(final String series)
    {
        final Double value = seriesValue(gateway.metrics().scrape(), series);
        return null == value ? 0 : value;
    }

    private static Double seriesValue(final String scrape, final String series)
    {
        for (final String line : scrape.split("\n"))
        {
            if (line.startsWith(series + " "))
            {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return null;
    }

    /**
     * Σ(1 + conflated) over entries: the feed updates they account for.
     */
    public static long accounted(final List<TestClient.Entry> entries)
    {
        long accounted = 0;
        for (final TestClient.Entry entry : entries)
        {
            accounted += 1 + entry.conflated();
        }
        return accounted;
    }

    @Override
    public void close()
    {
        clients.forEach(TestClient::close);
        feed.close();
        gateway.close();
    }
}

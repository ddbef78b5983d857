package io.tickgate.perf;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which symbols a load test subscribes to, against a real HTTP server that lists symbols or answers 404 (as a
 * server that has no {@code /api/symbols} does).
 */
class LoadTestSymbolsTest
{
    private HttpServer server;
    private final StringWriter printed = new StringWriter();

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            server.stop(0);
        }
    }

    private LoadTestSettings serve(final int status, final String body, final int symbols) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/symbols", exchange ->
        {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return new LoadTestSettings("127.0.0.1", server.getAddress().getPort(), "/ws", 1, 1, symbols, 1, 0);
    }

    @Test
    void shouldTakeTheFirstSymbolsTheServerListsWhenAskedForFewer() throws Exception
    {
        final LoadTestSettings settings = serve(200,
            "[{\"symbol\":\"AAPL\",\"sid\":0},{\"symbol\":\"MSFT\",\"sid\":1},{\"symbol\":\"AMZN\",\"sid\":2}]", 2);

        assertThat(LoadTest.chooseSymbols(settings, new PrintWriter(printed))).containsExactly(
            new SubscriptionPlan.SymbolRef("AAPL", 0), new SubscriptionPlan.SymbolRef("MSFT", 1));
    }

    @Test
    void shouldFallBackToTheSimulatorsNamesWhenTheServerListsNone() throws Exception
    {
        final LoadTestSettings settings = serve(404, "not found", 62);

        final List<SubscriptionPlan.SymbolRef> symbols = LoadTest.chooseSymbols(settings, new PrintWriter(printed));

        assertThat(symbols).hasSize(62);
        assertThat(symbols.get(0)).isEqualTo(new SubscriptionPlan.SymbolRef("AAPL", -1));
        assertThat(symbols.get(61).name()).isEqualTo("SYM00062");
        assertThat(printed.toString()).contains("answered 404", "first 62 symbols of tickgate simulate");
    }

    @Test
    void shouldFallBackToTheSimulatorsNamesWhenTheServerClosesAPlainHttpRequest() throws Exception
    {
        try (ServerSocket bare = new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))
        {
            final Thread closer = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        bare.accept().close();
                    }
                }
                catch (final IOException closed)
                {
                    // The test is over.
                }
            }, "bare-server");
            closer.setDaemon(true);
            closer.start();
            final LoadTestSettings settings =
                new LoadTestSettings("127.0.0.1", bare.getLocalPort(), "/ws", 1, 1, 3, 1, 0);

            assertThat(LoadTest.chooseSymbols(settings, new PrintWriter(printed)))
                .extracting(SubscriptionPlan.SymbolRef::name).containsExactly("AAPL", "MSFT", "AMZN");
            assertThat(printed.toString()).contains("cannot GET", "first 3 symbols of tickgate simulate");
        }
    }

    /**
     * Nothing listening is no peer to fall back for: measuring an empty window against it would only look like a
     * result.
     */
    @Test
    void shouldFailWhenNothingListensOrTheHostIsUnknownEvenWithACount() throws Exception
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = probe.getLocalPort();
        }
        final LoadTestSettings refused = new LoadTestSettings("127.0.0.1", closedPort, "/ws", 1, 1, 3, 1, 0);
        assertThatThrownBy(() -> LoadTest.chooseSymbols(refused, new PrintWriter(printed)))
            .hasMessage("cannot GET http://127.0.0.1:" + closedPort + "/api/symbols: connection refused (is the " +
                "server running?)");

        final LoadTestSettings unknown = new LoadTestSettings("nonexistent.invalid", 80, "/ws", 1, 1, 3, 1, 0);
        assertThatThrownBy(() -> LoadTest.chooseSymbols(unknown, new PrintWriter(printed)))
            .hasMessageEndingWith("unknown host");
        assertThat(printed.toString()).doesNotContain("tickgate simulate");
    }

    @Test
    void shouldRefuseWhenTheServerListsFewerSymbolsThanAskedFor() throws Exception
    {
        final LoadTestSettings settings = serve(200, "[{\"symbol\":\"AAPL\",\"sid\":0}]", 5);

        assertThatThrownBy(() -> LoadTest.chooseSymbols(settings, new PrintWriter(printed)))
            .hasMessage("the server lists 1 symbols, fewer than --symbols 5");
    }

    @Test
    void shouldNameTheWayOutWhenTheServerListsNoneAndNoCountWasGiven() throws Exception
    {
        final LoadTestSettings settings = serve(426, "upgrade required", 0);

        assertThatThrownBy(() -> LoadTest.chooseSymbols(settings, new PrintWriter(printed)))
            .hasMessageContaining("answered 426").hasMessageContaining("--symbols N");
    }

    @Test
    void shouldLookUpPlanIndicesByNameAndSkipUnknownSidsInTheSidTable()
    {
        final SubscriptionPlan plan = new SubscriptionPlan(LoadTest.simulatorSymbols(3), 3, 1);

        assertThat(plan.indexOf("AMZN")).isEqualTo(2);
        assertThat(plan.indexOf("NOPE")).isEqualTo(-1);
        assertThat(plan.symbolIndexBySid()).containsExactly(-1);
    }
}

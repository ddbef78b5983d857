package io.tickgate.perf;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
            server = null;
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
    void shouldReadTheGatewaysListIgnoringTheFieldsThePlanDoesNotUse() throws Exception
    {
        final LoadTestSettings settings = serve(200, "[{\"symbol\":\"AAPL\",\"sid\":0,\"priceScale\":4," +
            "\"sizeScale\":0,\"stale\":false,\"quote\":true,\"trade\":false,\"seq\":12,\"bidPrice\":1890000," +
            "\"bidSize\":100,\"askPrice\":1890100,\"askSize\":200,\"lastPrice\":0,\"lastSize\":0," +
            "\"exchangeTime\":1765000000000000000,\"ingestTime\":1765000000000050000,\"future\":{\"a\":[1]}}]", 0);

        assertThat(LoadTest.chooseSymbols(settings, new PrintWriter(printed)))
            .containsExactly(new SubscriptionPlan.SymbolRef("AAPL", 0));
    }

    /**
     * A 200 that is not the list is a broken server, not one without the endpoint: no fallback to the simulator's
     * names, and one line naming the URL and what was wrong, not the JSON parser's text.
     */
    @Test
    void shouldSayWhatIsWrongWithABodyThatIsNotTheSymbolList() throws Exception
    {
        final String[][] cases = {
            { "hello", "the body is not JSON: \"hello\"" },
            { "", "the body is empty" },
            { "<html>" + "x".repeat(60), "the body is not JSON: \"<html>" + "x".repeat(34) + "...\"" },
            { "[{\"symbol\":\"AAPL\",\"sid\":0}] trailing", "the body is not JSON: \"[{\"symbol\"" },
            { "{\"a\":1}", "the body is an object, not an array" },
            { "\"AAPL\"", "the body is a string \"AAPL\", not an array" },
            { "[1,2]", "entry 0 is the number 1, not an object" },
            { "[{\"symbol\":\"AAPL\"}]", "entry 0 (\"AAPL\") has no \"sid\"" },
            { "[{\"sid\":0}]", "entry 0 has no \"symbol\"" },
            { "[{\"symbol\":7,\"sid\":0}]", "entry 0 has \"symbol\" the number 7, not a name" },
            { "[{\"symbol\":\"\",\"sid\":0}]", "entry 0 has \"symbol\" a string \"\", not a name" },
            { "[{\"symbol\":\"AAPL\",\"sid\":\"0\"}]",
                "entry 0 (\"AAPL\") has \"sid\" a string \"0\", not a whole number from 0 to 8388607" },
            { "[{\"symbol\":\"AAPL\",\"sid\":1.5}]",
                "entry 0 (\"AAPL\") has \"sid\" the number 1.5, not a whole number from 0 to 8388607" },
            { "[{\"symbol\":\"AAPL\",\"sid\":-1}]",
                "entry 0 (\"AAPL\") has \"sid\" the number -1, not a whole number from 0 to 8388607" },
            { "[{\"symbol\":\"AAPL\",\"sid\":2147483648}]",
                "entry 0 (\"AAPL\") has \"sid\" the number 2147483648, not a whole number from 0 to 8388607" },
            { "[{\"symbol\":\"AAPL\",\"sid\":0},{\"symbol\":\"AAPL\",\"sid\":1}]",
                "entries 0 and 1 both list \"AAPL\"" },
            { "[{\"symbol\":\"AAPL\",\"sid\":0},{\"symbol\":\"MSFT\",\"sid\":0}]",
                "\"AAPL\" and \"MSFT\" both have sid 0" },
        };
        for (final String[] c : cases)
        {
            for (final int symbols : new int[] { 0, 1 })
            {
                stop();
                final LoadTestSettings settings = serve(200, c[0], symbols);
                final String url = "http://127.0.0.1:" + settings.port() + "/api/symbols";

                assertThatThrownBy(() -> LoadTest.chooseSymbols(settings, new PrintWriter(printed)))
                    .as(c[0]).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("GET " + url + " answered 200 with a body that is not the symbol list " +
                        "(expected a JSON array of {\"symbol\": \"...\", \"sid\": N, ...}): " + c[1]);
            }
        }
        assertThat(printed.toString()).doesNotContain("tickgate simulate");
    }

    @Test
    void shouldExitOneWithOneLineWhenTheSymbolListIsNotJson(@TempDir final Path dir) throws Exception
    {
        final LoadTestSettings settings = serve(200, "hello", 0);
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = PerfCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(printed, true));
        commandLine.setErr(new PrintWriter(err, true));

        assertThat(commandLine.execute("loadtest", "--url", "ws://127.0.0.1:" + settings.port() + "/ws",
            "--out", dir.toString())).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("tickgate loadtest: GET http://127.0.0.1:" + settings.port() +
            "/api/symbols answered 200 with a body that is not the symbol list (expected a JSON array of " +
            "{\"symbol\": \"...\", \"sid\": N, ...}): the body is not JSON: \"hello\"" + System.lineSeparator());
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

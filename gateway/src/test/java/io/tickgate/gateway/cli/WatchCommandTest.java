package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import io.tickgate.gateway.TestFeed;
import io.tickgate.gateway.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tickgate watch} against a real gateway fed real datagrams, with its output captured.
 */
class WatchCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Gateway gateway;
    private TestFeed feed;

    @AfterEach
    void tearDown()
    {
        if (null != feed)
        {
            feed.close();
        }
        if (null != gateway)
        {
            gateway.close();
        }
    }

    private int run(final String... args)
    {
        final CommandLine commandLine = TickgateCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldPrintTableWithSymbolsLatestValues()
    {
        gateway = Gateway.launch(new Gateway.Context().bindAddress("127.0.0.1").httpPort(0).feedPort(0));
        feed = new TestFeed(gateway.feedAddress());
        feed.define(1, "AAPL", 4, 0).define(2, "MSFT", 2, 0).define(3, "TRDONLY", 4, 2);
        Tests.await(Duration.ofSeconds(10), () -> null != gateway.registry().byName("MSFT"), () -> "no MSFT");
        feed.quote(1, 1_890_000, 100, 1_890_100, 200).trade(1, 1_890_050, 7).quote(2, 41_512, 5, 41_520, 9)
            .trade(3, 1_234_567, 150).flush();
        Tests.await(Duration.ofSeconds(10), () -> gateway.cache().seq(gateway.registry().byName("MSFT").sid()) >= 1,
            () -> "MSFT quote not applied");

        final int status = run("watch", "AAPL", "MSFT", "NOPE", "TRDONLY", "AAPL", "--gateway",
            "127.0.0.1:" + gateway.httpAddress().getPort(), "--duration", "2", "--refresh-ms", "200");

        final String text = out.toString();
        assertThat(status).as("NOPE is not watched: " + err + text).isEqualTo(WatchCommand.EXIT_SYMBOLS_REJECTED);
        assertThat(text).contains("SYMBOL", "BID", "ASK", "LAST", "CONNECTED");
        assertThat(text).as("output is not a terminal: tables follow one another").doesNotContain("\033[");
        final String[] lines = text.split("\n");
        assertThat(lastLineStartingWith(lines, "AAPL ")).contains("189.0000", "100", "189.0100", "200", "0.0100",
            "189.0050", "7");
        assertThat(lastLineStartingWith(lines, "MSFT ")).contains("415.12", "415.20", "0.08");
        assertThat(lastLineStartingWith(lines, "NOPE ")).contains("rejected: UNKNOWN_SYMBOL");
        // On its row, not in the header, where it would stay once the symbol is accepted.
        assertThat(lastLineStartingWith(lines, "tickgate watch ws://")).doesNotContain("NOPE");
        // Trades only: no quote to show, not a quote of zero.
        assertThat(lastLineStartingWith(lines, "TRDONLY ")).matches("TRDONLY( +-){5} +123\\.4567 +1\\.50 .*");
        // Named twice, shown once per table.
        assertThat(Arrays.stream(lines).filter(line -> line.startsWith("AAPL ")).count())
            .isEqualTo(Arrays.stream(lines).filter(line -> line.startsWith("MSFT ")).count());
        assertThat(lines[lines.length - 1]).startsWith("tickgate watch: ").contains("0 frameSeq gaps");
        assertThat(err.toString()).isEqualTo("tickgate watch: NOPE rejected: UNKNOWN_SYMBOL" + System.lineSeparator());
    }

    /**
     * Past the gateway's subscription limit the client drops a symbol for good; watch printed the rows it still had
     * and exited 0, and a script could not tell the dropped symbol from one it never asked for.
     */
    @Test
    void shouldSayWhichSymbolsTheGatewayRejectedAndExitThree()
    {
        gateway = Gateway.launch(new Gateway.Context().bindAddress("127.0.0.1").httpPort(0).feedPort(0)
            .maxSubscriptions(2));
        feed = new TestFeed(gateway.feedAddress());
        feed.define(1, "AAPL", 4, 0).define(2, "MSFT", 2, 0).define(3, "AMZN", 2, 0);
        Tests.await(Duration.ofSeconds(10), () -> null != gateway.registry().byName("AMZN"), () -> "no AMZN");
        feed.quote(1, 1_890_000, 100, 1_890_100, 200).quote(2, 41_512, 5, 41_520, 9).flush();
        final String address = "127.0.0.1:" + gateway.httpAddress().getPort();

        assertThat(run("watch", "AAPL", "MSFT", "--gateway", address, "--duration", "0.5")).as(err.toString())
            .isZero();
        assertThat(err.toString()).isEmpty();

        final int status = run("watch", "AAPL", "MSFT", "AMZN", "--gateway", address, "--duration", "1",
            "--refresh-ms", "200");

        assertThat(status).as(out.toString()).isEqualTo(WatchCommand.EXIT_SYMBOLS_REJECTED);
        assertThat(err.toString()).isEqualTo("tickgate watch: AMZN rejected: LIMIT_EXCEEDED" + System.lineSeparator());
        final String[] lines = out.toString().split("\n");
        assertThat(lastLineStartingWith(lines, "AMZN ")).contains("rejected: LIMIT_EXCEEDED");
        assertThat(lastLineStartingWith(lines, "AAPL ")).contains("189.0000");
    }

    @Test
    void shouldExitOneWhenItNeverConnects() throws Exception
    {
        final int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = closed.getLocalPort();
        }

        final int status = run("watch", "AAPL", "--gateway", "127.0.0.1:" + port, "--duration", "1");

        assertThat(status).as(out.toString()).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tickgate watch: never connected to ws://127.0.0.1:" + port + "/ws: " +
            "cannot connect to ws://127.0.0.1:" + port + "/ws: connection refused" + System.lineSeparator());
    }

    /** A --duration that ends while the upgrade is still unanswered says so, not a bare "never connected". */
    @Test
    void shouldSayItWasStillConnectingWhenTheDurationEndedFirst() throws Exception
    {
        // Accepted by the kernel's backlog and never answered: the upgrade stays pending for the whole run.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final int port = silent.getLocalPort();

            final int status = run("watch", "AAPL", "--gateway", "127.0.0.1:" + port, "--duration", "0.3");

            assertThat(status).as(out.toString()).isEqualTo(1);
            assertThat(err.toString()).isEqualTo("tickgate watch: never connected to ws://127.0.0.1:" + port +
                "/ws: still connecting when --duration ended" + System.lineSeparator());
        }
    }

    /**
     * A host that does not resolve is a gateway that could not be reached, like nothing listening: exit 1 with the
     * never-connected line (docs/java-client.md), not a usage error.
     */
    @Test
    void shouldExitOneWhenTheGatewayHostDoesNotResolve()
    {
        final int status = run("watch", "AAPL", "--gateway", "no-such-host.invalid:18080", "--duration", "1");

        assertThat(status).as(out.toString()).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tickgate watch: never connected to ws://no-such-host.invalid:18080/ws: " +
            "cannot connect to ws://no-such-host.invalid:18080/ws: unknown host" + System.lineSeparator());
    }

    @Test
    void shouldPrintTheSpreadExactlyAlsoWhereAskMinusBidOverflowsALong()
    {
        assertThat(WatchCommand.spread(10_250, 10_000, 2)).isEqualTo("2.50");
        assertThat(WatchCommand.spread(Long.MIN_VALUE, Long.MAX_VALUE, 2)).isEqualTo("-184467440737095516.15");
    }

    @Test
    void shouldExitTwoWithOneLineOnBadFlags()
    {
        assertBadUsage(new String[] { "watch" }, "Missing required parameter");
        assertBadUsage(new String[] { "watch", "AAPL", "--refresh-ms", "0" }, "--refresh-ms must be positive");
        assertBadUsage(new String[] { "watch", "AAPL", "--duration", "-1" }, "--duration must be positive");
        assertBadUsage(new String[] { "watch", "AAPL", "--gateway", "nohostport" }, "expected HOST:PORT");
        assertBadUsage(new String[] { "watch", "AAPL", "--gateway", "bad host:1" }, "not a host name in 'bad host:1'");
        assertBadUsage(new String[] { "watch", "AAPL", "--gateway", "h_1:18410" }, "not a host name in 'h_1:18410'");
        for (final String elsewhere : List.of("127.0.0.1/x:18410", "127.0.0.1?x:18410", "127.0.0.1#x:18410",
            "user@127.0.0.1:18410"))
        {
            assertBadUsage(new String[] { "watch", "AAPL", "--gateway", elsewhere, "--duration", "1" },
                "not a host name");
        }
        assertBadUsage(new String[] { "watch", "AAPL", "--bogus" }, "Unknown option");
        assertBadUsage(new String[] { "watch", "AAPL", "--heartbeat-ms", "x" }, "--heartbeat-ms");
        assertBadUsage(new String[] { "watch", "AAPL", "ABCDEFGHIJKLMNOPQ" }, "not a symbol name");
        assertBadUsage(new String[] { "watch", "a b" }, "not a symbol name");
    }

    private void assertBadUsage(final String[] args, final String message)
    {
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
        final String[] lines = err.toString().split("\n");
        assertThat(lines[0]).startsWith("tickgate: ").contains(message);
        assertThat(err.toString()).contains("Usage: tickgate watch")
            .doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static String lastLineStartingWith(final String[] lines, final String prefix)
    {
        for (int i = lines.length - 1; i >= 0; i--)
        {
            if (lines[i].startsWith(prefix))
            {
                return lines[i];
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in:\n" + String.join("\n", lines));
    }
}

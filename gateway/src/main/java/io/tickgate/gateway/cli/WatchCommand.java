package io.tickgate.gateway.cli;

import io.tickgate.client.ClientError;
import io.tickgate.client.ConnectionStatus;
import io.tickgate.client.MarketData;
import io.tickgate.client.TickgateClient;
import io.tickgate.client.TickgateListener;
import io.tickgate.simulator.recording.ProgressBar;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tickgate watch AAPL MSFT}: the Java client as a terminal program, redrawing a table of the symbols' latest
 * values. It runs on the main thread and reads the client's values by copy; the client's own threads only report
 * status lines and rejections. A symbol the gateway rejects gets a line on standard error and a row saying so; if
 * one is still rejected at the end, the exit status is {@value #EXIT_SYMBOLS_REJECTED}.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = TickgateCommand.Version.class,
    description = "Subscribe to symbols on a gateway and print a live table of their latest values.")
final class WatchCommand implements Callable<Integer>
{
    private static final String ANSI_HOME_AND_CLEAR = "\033[H\033[2J";
    /** Ran, but the gateway rejected a symbol it was asked for, and it was not watched at the end. */
    static final int EXIT_SYMBOLS_REJECTED = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SYMBOL", description = "symbols to watch")
    private List<String> symbols;

    @Option(names = "--gateway", paramLabel = "HOST:PORT", converter = HostPortConverter.Unresolved.class,
        description = "the gateway's HTTP/WebSocket address (127.0.0.1:8080)")
    private InetSocketAddress gateway = InetSocketAddress.createUnresolved("127.0.0.1", 8080);

    @Option(names = "--refresh-ms", paramLabel = "N", description = "redraw interval (250)")
    private long refreshMs = 250;

    @Option(names = "--heartbeat-ms", paramLabel = "N",
        description = "the gateway's heartbeat interval; no frame for 3 of them means reconnect (1000)")
    private long heartbeatMs = 1_000;

    @Option(names = "--duration", paramLabel = "S", description = "seconds to run; until Ctrl-C when absent")
    private Double durationSeconds;

    @Option(names = "--plain",
        description = "print each table below the last instead of redrawing (always so when output is not a terminal)")
    private boolean plain;

    /** The newest status or error line; written by the client's threads, read by the main thread. */
    private volatile String lastEvent = "";
    /** The newest error alone, without the status around it ("; reconnecting in ..."), for the final line. */
    private volatile String lastError = "";
    /** The newest rejection reason by symbol; written by the client's threads, read by the main thread. */
    private final Map<String, String> rejections = new ConcurrentHashMap<>();
    /** Rejections not yet printed; queued by the client's threads, printed to standard error by the main thread. */
    private final Queue<String> rejectionLines = new ConcurrentLinkedQueue<>();

    @Override
    public Integer call() throws InterruptedException
    {
        validate();
        symbols = List.copyOf(new LinkedHashSet<>(symbols)); // one row per symbol, in the order first named
        final URI uri = HostPortConverter.webSocketUri(gateway);
        final boolean redraw = !plain && ProgressBar.isTerminal();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final CountDownLatch stop = new CountDownLatch(1);
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            TickgateClient client = TickgateClient.connect(new TickgateClient.Context()
                .uri(uri)
                .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(heartbeatMs))
                .listener(new EventLine())))
        {
            final Thread signalWaiter = new Thread(() ->
            {
                barrier.await();
                stop.countDown();
            }, "tickgate-watch-signal");
            signalWaiter.setDaemon(true);
            signalWaiter.start();

            client.subscribe(symbols.toArray(new String[0]));
            // Counted from here, not from JVM start: loading the HTTP client can take a good part of a second.
            final long deadlineNs = null == durationSeconds ? Long.MAX_VALUE :
                System.nanoTime() + (long)(durationSeconds * 1e9);
            final MarketData row = new MarketData();
            final StringBuilder table = new StringBuilder(256);
            while (true)
            {
                final long leftNs = deadlineNs - System.nanoTime();
                final boolean last = leftNs <= 0 ||
                    stop.await(Math.min(TimeUnit.MILLISECONDS.toNanos(refreshMs), leftNs), TimeUnit.NANOSECONDS);
                table.setLength(0);
                render(client, uri, row, table.append(redraw ? ANSI_HOME_AND_CLEAR : ""));
                out.print(table);
                out.flush();
                printRejections(err);
                if (last || System.nanoTime() - deadlineNs >= 0)
                {
                    break;
                }
            }
            final TickgateClient.Counters counters = client.counters();
            out.printf("tickgate watch: %d frames, %d entries, %d frameSeq gaps, %d seq regressions, %d reconnects%n",
                counters.frames(), counters.entries(), counters.frameGaps(), counters.seqRegressions(),
                counters.reconnects());
            out.flush();
            printRejections(err);
            if (0 == counters.connectionsOpened())
            {
                // Nothing was watched: a script must not take the empty tables for a quiet market.
                err.println("tickgate watch: never connected to " + uri + ": " +
                    (lastError.isEmpty() ? "still connecting when --duration ended" : lastError));
                err.flush();
                return 1;
            }
            // Not 2: the flags were right; a script must still tell a dropped symbol from a quiet one.
            return symbols.stream().anyMatch(symbol -> null != rejectionOf(client, symbol, row)) ?
                EXIT_SYMBOLS_REJECTED : 0;
        }
    }

    private void printRejections(final PrintWriter err)
    {
        for (String line = rejectionLines.poll(); null != line; line = rejectionLines.poll())
        {
            err.println("tickgate watch: " + line);
        }
        err.flush();
    }

    /**
     * Why the gateway rejected {@code symbol}, or null when it is watched: the client forgets a symbol rejected
     * for good ({@code LIMIT_EXCEEDED}), and holds one it asks for again ({@code UNKNOWN_SYMBOL}) with the reason.
     */
    private String rejectionOf(final TickgateClient client, final String symbol, final MarketData row)
    {
        if (!client.read(symbol, row))
        {
            return rejections.getOrDefault(symbol, "not subscribed");
        }
        return row.rejectReason();
    }

    private void validate()
    {
        final CommandLine commandLine = spec.commandLine();
        if (refreshMs <= 0)
        {
            throw new CommandLine.ParameterException(commandLine, "--refresh-ms must be positive: " + refreshMs);
        }
        if (heartbeatMs <= 0)
        {
            throw new CommandLine.ParameterException(commandLine, "--heartbeat-ms must be positive: " + heartbeatMs);
        }
        if (null != durationSeconds && !(durationSeconds > 0))
        {
            throw new CommandLine.ParameterException(commandLine, "--duration must be positive: " + durationSeconds);
        }
        for (final String symbol : symbols)
        {
            if (symbol.isBlank())
            {
                throw new CommandLine.ParameterException(commandLine, "a symbol must not be blank");
            }
            if (!TickgateClient.isSymbolName(symbol))
            {
                throw new CommandLine.ParameterException(commandLine, TickgateClient.notASymbolName(symbol));
            }
        }
    }

    private void render(final TickgateClient client, final URI uri, final MarketData row, final StringBuilder table)
    {
        final TickgateClient.Counters counters = client.counters();
        final ConnectionStatus status = client.status();
        table.append(String.format("tickgate watch %s  %s  frames %d  reconnects %d  gaps %d%s%n", uri, status,
            counters.frames(), counters.reconnects(), counters.frameGaps(),
            lastEvent.isEmpty() ? "" : "  (" + lastEvent + ")"));
        table.append(String.format("%-10s %14s %10s %14s %10s %12s %14s %10s %10s %6s %s%n", "SYMBOL", "BID", "BID SZ",
            "ASK", "ASK SZ", "SPREAD", "LAST", "LAST SZ", "SEQ", "CONFL", "FLAGS"));
        for (final String symbol : symbols)
        {
            final String rejection = rejectionOf(client, symbol, row);
            if (null != rejection || !row.hasValue())
            {
                table.append(String.format("%-10s %s%n", symbol, null == rejection ? "-" : "rejected: " + rejection));
                continue;
            }
            final int ps = row.priceScale();
            table.append(String.format("%-10s %14s %10s %14s %10s %12s %14s %10s %10d %6d %s%n", symbol,
                row.hasQuote() ? scaled(row.bidPrice(), ps) : "-",
                row.hasQuote() ? scaled(row.bidSize(), row.sizeScale()) : "-",
                row.hasQuote() ? scaled(row.askPrice(), ps) : "-",
                row.hasQuote() ? scaled(row.askSize(), row.sizeScale()) : "-",
                row.hasQuote() ? spread(row.askPrice(), row.bidPrice(), ps) : "-",
                row.hasTrade() ? scaled(row.lastPrice(), ps) : "-",
                row.hasTrade() ? scaled(row.lastSize(), row.sizeScale()) : "-",
                row.seq(), row.conflated(), row.isStale() ? "STALE" : ""));
        }
    }

    /**
     * Mantissa and scale as a decimal: exact, where a double would print 189.00999999.
     */
    static String scaled(final long mantissa, final int scale)
    {
        return BigDecimal.valueOf(mantissa, scale).toPlainString();
    }

    /**
     * Ask minus bid as a decimal, exact also where the difference does not fit in a long.
     */
    static String spread(final long ask, final long bid, final int scale)
    {
        return new BigDecimal(BigInteger.valueOf(ask).subtract(BigInteger.valueOf(bid)), scale).toPlainString();
    }

    /**
     * Keeps the newest status or error as one line for the table's header.
     */
    private final class EventLine implements TickgateListener
    {
        @Override
        public void onStatus(final ConnectionStatus status, final String detail)
        {
            lastEvent = detail;
        }

        @Override
        public void onError(final ClientError error, final String message)
        {
            lastError = message;
            // A rejected symbol shows on its own row ("rejected: ..."), which updates once it is accepted, and in
            // one line on standard error; in the header it would stay after that.
            if (ClientError.SYMBOL_REJECTED == error)
            {
                final int colon = message.lastIndexOf(": ");
                rejections.put(message.substring(0, colon), message.substring(colon + 2));
                rejectionLines.add(message.substring(0, colon) + " rejected: " + message.substring(colon + 2));
            }
            else
            {
                lastEvent = error + ": " + message;
            }
        }
    }
}

package io.tickgate.gateway.cli;

import io.tickgate.simulator.MarketSimulator;
import io.tickgate.simulator.FeedSimulator;
import io.tickgate.simulator.UdpFeedSender;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tickgate simulate}: a synthetic feed sent as TKF1 datagrams to a gateway.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = TickgateCommand.Version.class,
    description = "Send a synthetic feed (random-walk quotes and trades, bursts, periodic definitions) over UDP.")
final class SimulateCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "where datagrams go (127.0.0.1:9999)",
        converter = HostPortConverter.class)
    private InetSocketAddress to = new InetSocketAddress("127.0.0.1", 9999);

    @Option(names = "--symbols", paramLabel = "N", description = "symbols (50)")
    private int symbols = 50;

    @Option(names = "--rate", paramLabel = "R", description = "ticks per second over all symbols (1000)")
    private double rate = 1_000;

    @Option(names = "--duration", paramLabel = "S", description = "seconds to run; until stopped when absent")
    private Double durationSeconds;

    @Option(names = "--uniform", description = "every symbol equally busy (by default activity is skewed like a " +
        "real market's: symbol i is picked with weight i^-0.9)")
    private boolean uniform;

    @Option(names = "--seed", paramLabel = "N", description = "random seed, for a repeatable feed (42)")
    private long seed = 42;

    @Override
    public Integer call() throws Exception
    {
        if (symbols < 1 || symbols > MarketSimulator.MAX_SYMBOL_COUNT)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--symbols must be from 1 to " + MarketSimulator.MAX_SYMBOL_COUNT + ": " + symbols);
        }
        if (!(rate > 0) || Double.isInfinite(rate))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be positive: " + rate);
        }
        if (null != durationSeconds && !(durationSeconds > 0))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--duration must be positive: " + durationSeconds);
        }

        // At least 1 ns: 0 means no limit, which a positive duration under a nanosecond is not.
        final long durationNs = null == durationSeconds ? 0 : Math.max(1, (long)(durationSeconds * 1e9));
        final CountDownLatch finished = new CountDownLatch(1);
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            UdpFeedSender sender = new UdpFeedSender(to))
        {
            final FeedSimulator agent = new FeedSimulator(
                new MarketSimulator(symbols, seed, uniform), sender, rate, durationNs, SystemNanoClock.INSTANCE);
            final AgentRunner runner = new AgentRunner(
                new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, agent);
            final long startNs = System.nanoTime();
            final Thread thread = AgentRunner.startOnThread(runner);
            final PrintWriter out = spec.commandLine().getOut();
            out.printf("tickgate simulate: %d symbols at %.0f ticks/s to %s%n", symbols, rate, GatewayRun.format(to));
            out.flush();

            final Thread waiter = new Thread(() ->
            {
                try
                {
                    thread.join();
                }
                catch (final InterruptedException ignore)
                {
                    Thread.currentThread().interrupt();
                }
                finished.countDown();
            }, "tickgate-simulate-wait");
            waiter.setDaemon(true);
            waiter.start();

            final Thread signalWaiter = new Thread(() ->
            {
                barrier.await();
                finished.countDown();
            }, "tickgate-simulate-signal");
            signalWaiter.setDaemon(true);
            signalWaiter.start();

            finished.await();
            runner.close();
            sender.flush();
            // Ticks over seconds is the rate really offered, which a benchmark compares with what clients received:
            // only those of datagrams the kernel took, so a refused send is no tick a gateway seems to have lost.
            out.printf(Locale.ROOT, "tickgate simulate: sent %d datagrams, %d messages (%d ticks in %.3f s, " +
                "%d send errors)%n", sender.datagramsSent(), sender.messagesSent(), sender.ticksSent(),
                (System.nanoTime() - startNs) / 1e9, sender.sendErrors());
            out.flush();
            if (sender.sendErrors() > 0)
            {
                // Linux reports an ICMP port unreachable on the next send to a connected UDP socket: the ticks of
                // the refused datagrams never reached a gateway, so the run did not do what it was asked.
                final PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "tickgate simulate: %,d datagrams were refused by %s: is a gateway " +
                    "listening there?%n", sender.sendErrors(), GatewayRun.format(to));
                err.flush();
                return 1;
            }
        }
        return 0;
    }
}

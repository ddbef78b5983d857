package io.tickgate.gateway.cli;

import io.tickgate.simulator.ReceiverQueue;
import io.tickgate.simulator.UdpFeedSender;
import io.tickgate.simulator.recording.MaxSpeedPacer;
import io.tickgate.simulator.recording.ProgressBar;
import io.tickgate.simulator.recording.Replayer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tickgate.simulator.recording.RecordingInspector.count;

/**
 * {@code tickgate replay}: sends a recording as TKF1 datagrams at a chosen speed, definitions first, and prints
 * the datagrams and messages sent.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = TickgateCommand.Version.class,
    description = "Send a recording over UDP (TKF1 datagrams) to a gateway at the recorded pace, faster, or max.")
final class ReplayCommand implements Callable<Integer>
{
    /**
     * What {@code --speed max} sends at most by default to a receiver on another host, whose queue cannot be
     * watched: a UDP receive buffer gives no back-pressure, so beyond what the receiver drains the kernel drops
     * datagrams; measured lossless into a gateway on a two-core host (docs/recording.md). A receiver on this host
     * gets no cap by default: the replay waits while its queue is above a high water instead.
     */
    static final long MAX_RATE_DEFAULT = 500_000;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", converter = PathConverter.class, paramLabel = "DIR", description = "the recording")
    private Path dir;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "where datagrams go (127.0.0.1:9999)",
        converter = HostPortConverter.class)
    private InetSocketAddress to = new InetSocketAddress("127.0.0.1", 9999);

    @Option(names = "--speed", paramLabel = "X", converter = SpeedConverter.class,
        description = "1 = recorded pace, 10 = ten times faster, max = as fast as the receiver takes without loss (1)")
    private double speed = 1;

    @Option(names = "--max-rate", paramLabel = "N",
        description = "with --speed max: quotes and trades a second at most; 0 for no cap (none when the receiver " +
            "is on this host and its queue can be watched, else " + MAX_RATE_DEFAULT + ")")
    private Long maxRate;

    @Option(names = "--duration", paramLabel = "S", description = "replay only the first S seconds of recorded time")
    private Double durationSeconds;

    // The signal barrier is held, not used, for the length of the replay.
    @Override
    @SuppressWarnings("try")
    public Integer call()
    {
        validateOptions();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        // At least 1 ns: 0 means no limit, which a positive duration under a nanosecond is not.
        final long durationNs = null == durationSeconds ? 0 : Math.max(1, (long)(durationSeconds * 1e9));
        int status = 0;
        // Ctrl-C or SIGTERM ends the replay early; the summary still says what was sent.
        final AtomicBoolean stopped = new AtomicBoolean();
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(() -> stopped.set(true));
            UdpFeedSender sender = new UdpFeedSender(to);
            ReceiverQueue receiver = 0 == speed ? ReceiverQueue.find(to) : null)
        {
            final long cap = null != maxRate ? maxRate : null != receiver ? 0 : MAX_RATE_DEFAULT;
            final MaxSpeedPacer pacer = new MaxSpeedPacer(cap, receiver, MaxSpeedPacer.DEFAULT_HIGH_WATER_BYTES);
            final Replayer replayer = new Replayer(dir, sender, speed, pacer, durationNs, SystemNanoClock.INSTANCE,
                TimeUnit.SECONDS.toNanos(5));
            replayer.onStart();
            final int noted = printNotes(err, replayer, 0);
            final ProgressBar progress = new ProgressBar(err, ProgressBar.isTerminal(), "msg");
            final IdleStrategy idle = new BackoffIdleStrategy();
            final long startNs = System.nanoTime();
            try
            {
                while (!replayer.isDone() && !stopped.get())
                {
                    idle.idle(replayer.doWork());
                    progress.update(replayer.ticksSent(), replayer.ticksTotal());
                }
            }
            finally
            {
                replayer.onClose();
                progress.finish();
            }
            sender.flush();
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            printSummary(out, sender, replayer, seconds, stopped.get());
            if (0 == speed)
            {
                out.println(pacing(cap, receiver, pacer));
            }
            out.flush();
            if (sender.sendErrors() > 0)
            {
                // Linux reports an ICMP port unreachable on the next send to a connected UDP socket.
                err.printf("tickgate replay: %s %s refused by %s: is a gateway listening there?%n",
                    count(sender.sendErrors(), "datagram"), 1 == sender.sendErrors() ? "was" : "were",
                    GatewayRun.format(to));
                err.flush();
                status = 1;
            }
            else if (sender.datagramsRefused() > 0)
            {
                err.printf("tickgate replay: %s lost: this host's send buffer was full (lower --max-rate)%n",
                    count(sender.datagramsRefused(), "datagram"));
                err.flush();
                status = 1;
            }
            printNotes(err, replayer, noted);
            if (null != replayer.note())
            {
                err.println("tickgate replay: note: " + replayer.note());
                err.flush();
            }
            if (null != replayer.failure())
            {
                throw replayer.failure();
            }
        }
        return status;
    }

    private void validateOptions()
    {
        if (!Files.exists(dir))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such recording: " + dir);
        }
        if (null != maxRate && maxRate < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-rate must not be negative: " + maxRate);
        }
        if (null != maxRate && 0 != speed)
        {
            // It caps only --speed max; accepted with another speed it would be silently ignored.
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-rate applies only with --speed max");
        }
        if (null != durationSeconds && !(durationSeconds > 0))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--duration must be positive: " + durationSeconds);
        }
    }

    private void printSummary(
        final PrintWriter out, final UdpFeedSender sender, final Replayer replayer, final double seconds,
        final boolean stoppedEarly)
    {
        final long lost = sender.sendErrors() + sender.datagramsRefused();
        if (0 == lost)
        {
            out.printf("tickgate replay: sent %s, %s (%s, %s) to %s in %.3f s, %,.0f messages/s%s%n",
                count(sender.datagramsSent(), "datagram"), count(sender.messagesSent(), "message"),
                ticks(replayer.ticksSent()), count(replayer.definitionsSent(), "definition"),
                GatewayRun.format(to), seconds,
                sender.messagesSent() / seconds, stoppedEarly ? ", stopped early" : "");
        }
        else
        {
            // The breakdown by kind is of what was read and handed on; the totals sent leave the lost out.
            final long replayed = replayer.ticksSent() + replayer.definitionsSent();
            out.printf("tickgate replay: sent %s, %s to %s in %.3f s, %,.0f messages/s%s; " +
                "%,d more %s lost: %,d of the %s replayed (%s, %s)%n", count(sender.datagramsSent(), "datagram"),
                count(sender.messagesSent(), "message"), GatewayRun.format(to), seconds,
                sender.messagesSent() / seconds, stoppedEarly ? ", stopped early" : "", lost,
                1 == lost ? "datagram" : "datagrams", replayed - sender.messagesSent(), count(replayed, "message"),
                ticks(replayer.ticksSent()), count(replayer.definitionsSent(), "definition"));
        }
    }

    /**
     * The replayer's notes on scales from the {@code from}th on, one line each: a symbol sent at other scales than
     * some of its segments record, or ticks left out because they do not fit them.
     *
     * @return how many notes there are now.
     */
    private static int printNotes(final PrintWriter err, final Replayer replayer, final int from)
    {
        final java.util.List<String> notes = replayer.scaleNotes();
        for (int i = from; i < notes.size(); i++)
        {
            err.println("tickgate replay: note: " + notes.get(i));
        }
        err.flush();
        return notes.size();
    }

    /**
     * One line on how max paced: the cap, and what the receiver's queue said when it was watched.
     */
    static String pacing(final long cap, final ReceiverQueue receiver, final MaxSpeedPacer pacer)
    {
        final String capText = 0 == cap ? "no rate cap" : "capped at " + count(cap, "message") + "/s";
        if (null == receiver)
        {
            return "tickgate replay: max pacing: " + capText + "; no receiving socket found on this host, so its " +
                "queue was not watched";
        }
        return String.format("tickgate replay: max pacing: %s; sending paused %s while the receiver's queue " +
            "held over %,d bytes; the receiving socket dropped %s", capText, count(pacer.receiverWaits(), "time"),
            MaxSpeedPacer.DEFAULT_HIGH_WATER_BYTES, count(pacer.receiverDrops(), "datagram"));
    }

    private static String ticks(final long n)
    {
        return String.format("%,d %s", n, 1 == n ? "quote or trade" : "quotes and trades");
    }
}

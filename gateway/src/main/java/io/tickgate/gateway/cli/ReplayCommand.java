package io.tickgate.gateway.cli;

import io.tickgate.simulator.UdpFeedSender;
import io.tickgate.simulator.recording.ProgressBar;
import io.tickgate.simulator.recording.Replayer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
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

/**
 * {@code tickgate replay}: sends a recording as TKF1 datagrams at a chosen speed, definitions first, and prints
 * the datagrams and messages sent.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Send a recording over UDP (TKF1 datagrams) to a gateway at the recorded pace, faster, or max.")
final class ReplayCommand implements Callable<Integer>
{
    /**
     * What {@code --speed max} sends at most by default: a gateway's UDP receive buffer gives no back-pressure, so
     * beyond what its feed thread drains the kernel drops datagrams; measured lossless on a two-core host
     * (docs/recording.md).
     */
    static final long MAX_RATE_DEFAULT = 500_000;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the recording")
    private Path dir;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "where datagrams go (127.0.0.1:9999)",
        converter = HostPortConverter.class)
    private InetSocketAddress to = new InetSocketAddress("127.0.0.1", 9999);

    @Option(names = "--speed", paramLabel = "X", converter = SpeedConverter.class,
        description = "1 = recorded pace, 10 = ten times faster, max = as fast as --max-rate allows (1)")
    private double speed = 1;

    @Option(names = "--max-rate", paramLabel = "N",
        description = "with --speed max: quotes and trades a second at most; 0 for no cap (" + MAX_RATE_DEFAULT + ")")
    private long maxRate = MAX_RATE_DEFAULT;

    @Option(names = "--duration", paramLabel = "S", description = "replay only the first S seconds of recorded time")
    private Double durationSeconds;

    @Override
    public Integer call()
    {
        if (!Files.exists(dir))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such recording: " + dir);
        }
        if (maxRate < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-rate must not be negative: " + maxRate);
        }
        if (null != durationSeconds && !(durationSeconds > 0))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--duration must be positive: " + durationSeconds);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final long durationNs = null == durationSeconds ? 0 : (long)(durationSeconds * 1e9);
        try (UdpFeedSender sender = new UdpFeedSender(to))
        {
            final Replayer replayer = new Replayer(dir, sender, speed, maxRate, durationNs, SystemNanoClock.INSTANCE,
                TimeUnit.SECONDS.toNanos(5));
            replayer.onStart();
            final ProgressBar progress = new ProgressBar(err, ProgressBar.isTerminal(), "msg");
            final IdleStrategy idle = new BackoffIdleStrategy();
            final long startNs = System.nanoTime();
            try
            {
                while (!replayer.isDone())
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
            out.printf("tickgate replay: sent %,d datagrams, %,d messages (%,d quotes and trades, %,d definitions) " +
                "to %s in %.3f s, %,.0f messages/s%s%n", sender.datagramsSent(), sender.messagesSent(),
                replayer.ticksSent(), replayer.definitionsSent(), GatewayRun.format(to), seconds,
                sender.messagesSent() / seconds, sender.sendErrors() + sender.datagramsRefused() > 0 ?
                    String.format(" (%d datagrams not sent)", sender.sendErrors() + sender.datagramsRefused()) : "");
            out.flush();
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
        return 0;
    }
}

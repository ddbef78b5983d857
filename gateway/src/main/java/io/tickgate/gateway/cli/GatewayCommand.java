package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tickgate gateway}: the gateway fed over UDP and/or an embedded simulator.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = TickgateCommand.Version.class,
    description = "Run the gateway, fed over UDP (TKF1 datagrams), an embedded simulator and/or a recording.")
final class GatewayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private final GatewayOptions common = new GatewayOptions();

    @Option(names = "--bind", paramLabel = "ADDR", description = "listen address (0.0.0.0)")
    private String bind;

    @Option(names = "--feed-port", paramLabel = "N",
        description = "UDP feed port (9999); 0 picks a free one, -1 runs without a UDP feed")
    private Integer feedPort;

    @Option(names = "--simulate", paramLabel = "N", description = "also run an embedded simulator with N symbols (0)")
    private Integer simulate;

    @Option(names = "--simulate-rate", paramLabel = "R",
        description = "ticks per second of the embedded simulator, all symbols together (2000)")
    private Double simulateRate;

    @Option(names = "--record", converter = PathConverter.class, paramLabel = "DIR",
        description = "journal every ingested tick into a new segment of the recording in DIR")
    private Path record;

    @Option(names = "--replay", converter = PathConverter.class, paramLabel = "DIR",
        description = "feed the gateway from the recording in DIR, no UDP (unless --feed-port is given)")
    private Path replay;

    @Option(names = "--speed", paramLabel = "X", converter = SpeedConverter.class,
        description = "with --replay: 1 = recorded pace, 10 = ten times faster, max = as fast as possible (1)")
    private Double speed;

    @Override
    public Integer call()
    {
        if (null != replay)
        {
            if (!Files.exists(replay))
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such recording: " + replay);
            }
        }
        return GatewayRun.run(spec.commandLine(), common, this::apply);
    }

    private void apply(final Gateway.Context ctx)
    {
        if (null != bind)
        {
            ctx.bindAddress(bind);
        }
        if (null != feedPort)
        {
            ctx.feedPort(feedPort);
        }
        if (null != simulate)
        {
            ctx.simulatorSymbols(simulate);
        }
        if (null != simulateRate)
        {
            ctx.simulatorRate(simulateRate);
        }
        if (null != speed && null == replay)
        {
            throw new IllegalArgumentException("--speed needs --replay DIR");
        }
        if (null != replay)
        {
            ctx.replay(replay, null == speed ? 1 : speed);
            if (null == feedPort)
            {
                ctx.feedPort(-1);
            }
        }
        if (null != replay && null != record && canonical(replay).equals(canonical(record)))
        {
            throw new IllegalArgumentException("--record and --replay name the same directory, " + record +
                ": the replay would read back what it records");
        }
        ctx.recordDir(record);
    }

    /**
     * The directory itself, whichever way it is spelled: its real path when it exists (symbolic links resolved),
     * else its normalised absolute path.
     */
    private static Path canonical(final Path dir)
    {
        try
        {
            return dir.toRealPath();
        }
        catch (final IOException ex)
        {
            return dir.toAbsolutePath().normalize();
        }
    }
}

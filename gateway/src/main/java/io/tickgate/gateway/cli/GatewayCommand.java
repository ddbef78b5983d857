package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code tickgate gateway}: the gateway fed over UDP and/or an embedded simulator.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Run the gateway, fed over UDP (TKF1 datagrams) and/or by an embedded simulator.")
final class GatewayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private final GatewayOptions common = new GatewayOptions();

    @Option(names = "--bind", paramLabel = "ADDR", description = "listen address (0.0.0.0)")
    private String bind;

    @Option(names = "--feed-port", paramLabel = "N", description = "UDP feed port (9999); 0 picks a free one")
    private Integer feedPort;

    @Option(names = "--simulate", paramLabel = "N", description = "also run an embedded simulator with N symbols (0)")
    private Integer simulate;

    @Option(names = "--simulate-rate", paramLabel = "R",
        description = "ticks per second of the embedded simulator, all symbols together (2000)")
    private Double simulateRate;

    @Override
    public Integer call()
    {
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
    }
}

package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code tickgate demo}: a gateway with an embedded simulated feed, serving the watchlist page on localhost.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a gateway with an embedded simulated feed (about 50 symbols); open http://localhost:8080.")
final class DemoCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private final GatewayOptions common = new GatewayOptions();

    @Option(names = "--bind", paramLabel = "ADDR", description = "listen address (127.0.0.1)")
    private String bind = "127.0.0.1";

    @Option(names = "--symbols", paramLabel = "N", description = "simulated symbols (50)")
    private int symbols = 50;

    @Option(names = "--rate", paramLabel = "R", description = "simulated ticks per second, all symbols (2000)")
    private double rate = 2_000;

    @Option(names = "--feed-port", paramLabel = "N",
        description = "UDP feed port, for an extra feed beside the simulator; 0 picks a free one (0)")
    private int feedPort = 0;

    @Override
    public Integer call()
    {
        return GatewayRun.run(spec.commandLine(), common, ctx -> ctx
            .bindAddress(bind)
            .feedPort(feedPort)
            .simulatorSymbols(symbols)
            .simulatorRate(rate));
    }
}

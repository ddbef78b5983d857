package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import io.tickgate.gateway.GatewayConfiguration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code tickgate demo}: a gateway with an embedded simulated feed, serving the watchlist page on localhost. Its
 * defaults (localhost, 50 symbols, any free feed port) apply only where neither a flag nor a {@code tickgate.*}
 * system property or {@code --config} file gives a value.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = TickgateCommand.Version.class,
    description = { "Run a gateway with an embedded simulated feed (about 50 symbols).",
        "The trading UI is at http://localhost:8080 (or the --http-port given)." })
final class DemoCommand implements Callable<Integer>
{
    private static final String BIND_DEFAULT = "127.0.0.1";
    private static final int SYMBOLS_DEFAULT = 50;
    private static final int FEED_PORT_DEFAULT = 0;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private final GatewayOptions common = new GatewayOptions();

    @Option(names = "--bind", paramLabel = "ADDR", description = "listen address (127.0.0.1)")
    private String bind;

    @Option(names = "--symbols", paramLabel = "N", description = "simulated symbols (50)")
    private Integer symbols;

    @Option(names = "--rate", paramLabel = "R", description = "simulated ticks per second, all symbols (2000)")
    private Double rate;

    @Option(names = "--feed-port", paramLabel = "N",
        description = "UDP feed port, for an extra feed beside the simulator; 0 picks a free one, -1 none (0)")
    private Integer feedPort;

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
        else if (!common.isConfigured(GatewayConfiguration.BIND_ADDRESS_PROP_NAME))
        {
            ctx.bindAddress(BIND_DEFAULT);
        }
        if (null != symbols)
        {
            ctx.simulatorSymbols(symbols);
        }
        else if (!common.isConfigured(GatewayConfiguration.SIMULATOR_SYMBOLS_PROP_NAME))
        {
            ctx.simulatorSymbols(SYMBOLS_DEFAULT);
        }
        if (null != feedPort)
        {
            ctx.feedPort(feedPort);
        }
        else if (!common.isConfigured(GatewayConfiguration.FEED_PORT_PROP_NAME))
        {
            ctx.feedPort(FEED_PORT_DEFAULT);
        }
        // The demo's rate is the configuration's default, so only a flag needs applying.
        if (null != rate)
        {
            ctx.simulatorRate(rate);
        }
    }
}

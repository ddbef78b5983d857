package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Starts a gateway for {@code demo} or {@code gateway}, prints the listening line, and runs until Ctrl-C or
 * SIGTERM, when every session is sent 1001 "going away" before the process exits.
 */
final class GatewayRun
{
    private GatewayRun()
    {
    }

    /**
     * @param commandSettings the subcommand's own settings, applied after the config file and before the
     *                        shared flags.
     */
    static int run(
        final CommandLine commandLine, final GatewayOptions options, final Consumer<Gateway.Context> commandSettings)
    {
        final Gateway.Context ctx;
        try
        {
            // The context reads its defaults from system properties, then the file.
            ctx = new Gateway.Context(options.loadConfig());
            commandSettings.accept(ctx);
            options.applyTo(ctx);
            ctx.conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(commandLine, ex.getMessage());
        }

        // The barrier's signal hook holds the JVM until it is closed, so sessions hear 1001 before the exit.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            Gateway gateway = Gateway.launch(ctx))
        {
            final PrintWriter out = commandLine.getOut();
            out.println("tickgate listening http=" + format(gateway.httpAddress()) + " feed=" +
                (null == gateway.feedAddress() ? "none" : format(gateway.feedAddress())));
            out.flush();
            barrier.await();
            out.println("tickgate stopping: closing sessions with 1001 going away");
            out.flush();
        }
        return 0;
    }

    /**
     * HOST:PORT as scripts expect it: a wildcard bind prints as 0.0.0.0, an IPv6 host in brackets.
     */
    static String format(final InetSocketAddress address)
    {
        final java.net.InetAddress host = address.getAddress();
        final String text = host.isAnyLocalAddress() ? "0.0.0.0" :
            host instanceof java.net.Inet6Address ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
        return text + ":" + address.getPort();
    }
}

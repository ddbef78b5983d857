package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts a gateway for {@code demo} or {@code gateway}, prints the listening line, and runs until Ctrl-C or
 * SIGTERM, when every session is sent 1001 "going away" before the process exits, or until the gateway fails
 * (a damaged {@code --replay} recording): then one line and exit status 1. A signal while the gateway starts is
 * answered once it has started: one line ({@code tickgate stopping: SIGTERM while starting}), and the exit status
 * of that signal.
 */
final class GatewayRun
{
    private static final long FAILURE_POLL_MS = 100;

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
        final StartupSignals startup = StartupSignals.hold();
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            Gateway gateway = launch(ctx, startup))
        {
            final PrintWriter out = commandLine.getOut();
            if (null != startup.received())
            {
                out.println("tickgate stopping: SIG" + startup.received() + " while starting");
                out.flush();
                return startup.exitStatus();
            }
            out.println("tickgate listening http=" + format(gateway.httpAddress()) + " feed=" +
                (null == gateway.feedAddress() ? "none" : format(gateway.feedAddress())));
            out.flush();
            final String failure = awaitSignalOrFailure(barrier, gateway);
            if (null != failure)
            {
                // Closing the gateway on the way out still sends every session 1001.
                throw new IllegalStateException(failure);
            }
            out.println("tickgate stopping: closing sessions with 1001 going away");
            out.flush();
        }
        return 0;
    }

    /**
     * Launches the gateway with Ctrl-C and SIGTERM held ({@link StartupSignals}), and gives them back to the JVM.
     */
    private static Gateway launch(final Gateway.Context ctx, final StartupSignals startup)
    {
        try
        {
            return Gateway.launch(ctx);
        }
        finally
        {
            startup.release();
        }
    }

    /**
     * Waits for Ctrl-C or SIGTERM (null) or a failure of the running gateway (its one line): a gateway that
     * can no longer serve what it was started for must not look healthy to a supervisor.
     */
    private static String awaitSignalOrFailure(final ShutdownSignalBarrier barrier, final Gateway gateway)
    {
        final CountDownLatch signalled = new CountDownLatch(1);
        final Thread signalWaiter = new Thread(() ->
        {
            barrier.await();
            signalled.countDown();
        }, "tickgate-signal-wait");
        signalWaiter.setDaemon(true);
        signalWaiter.start();
        try
        {
            while (!signalled.await(FAILURE_POLL_MS, TimeUnit.MILLISECONDS))
            {
                final String failure = gateway.failure();
                if (null != failure)
                {
                    return failure;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return null;
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

package io.tickgate.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a connection that has not become a session may cost the gateway (operations.md, the {@code tickgate.http.*}
 * settings): its headers are bounded, it is closed when it sends nothing, and connections as a whole stop short of
 * the descriptor limit, so the gateway goes on accepting once they leave. Real sockets, a real gateway.
 */
class HttpLimitsSystemTest
{
    private static final Pattern LISTENING = Pattern.compile("listening http=127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path tmp;

    private GatewayFixture fixture;
    private Process child;

    @AfterEach
    void stop() throws InterruptedException
    {
        if (null != fixture)
        {
            fixture.close();
        }
        if (null != child)
        {
            child.destroy();
            if (!child.waitFor(20, TimeUnit.SECONDS))
            {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void shouldRefuseARequestWhoseHeadersPassTheLimitAndServeOneWithin()
    {
        fixture = GatewayFixture.launch(ctx -> ctx.httpMaxHeaderBytes(4 * 1024));
        final int port = fixture.gateway.httpAddress().getPort();

        final String within = exchange(port, "GET /health HTTP/1.1\r\nHost: a\r\nX-Pad: " + "a".repeat(2_000) +
            "\r\nConnection: close\r\n\r\n");
        final String beyond = exchange(port, "GET /health HTTP/1.1\r\nHost: a\r\nX-Pad: " + "a".repeat(6_000) +
            "\r\nConnection: close\r\n\r\n");

        assertThat(within).startsWith("HTTP/1.1 200 ");
        assertThat(beyond).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void shouldAnswerAPathWithADotSegmentNotFoundRatherThanRedirectToTheClientsHost()
    {
        fixture = GatewayFixture.launch(ctx -> ctx);
        final int port = fixture.gateway.httpAddress().getPort();

        for (final String path : List.of("/tickgate-client.js/..", "/app.js/.", "/./", "/a/../"))
        {
            final String response = exchange(port, "GET " + path + " HTTP/1.1\r\nHost: evil.example\r\n" +
                "Connection: close\r\n\r\n");

            assertThat(response).as(path).startsWith("HTTP/1.1 404 ").doesNotContain("Location:");
        }
        assertThat(exchange(port, "GET /tickgate-client.js HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
            .startsWith("HTTP/1.1 200 ");
    }

    @Test
    void shouldCloseAConnectionThatSendsNothingOnceTheRequestTimeoutHasPassed() throws IOException
    {
        fixture = GatewayFixture.launch(ctx -> ctx.httpRequestTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300)));

        try (Socket idle = new Socket("127.0.0.1", fixture.gateway.httpAddress().getPort()))
        {
            // Far below Undertow's own 60 s, far above the 300 ms the gateway was given.
            idle.setSoTimeout(20_000);
            assertThat(idle.getInputStream().read()).as("end of stream: the gateway closed it").isEqualTo(-1);
        }
    }

    /**
     * With 256 descriptors, 250 idle connections would once have run the process out of them: every accept then
     * failed ("too many open files"), /health stopped answering, and the server backed off accepting for up to 30 s
     * after they had gone. Now it takes no connection past the limit, and takes the next at once when one closes.
     */
    @Test
    void shouldStopShortOfTheDescriptorLimitAndAcceptAgainAsSoonAsConnectionsLeave() throws Exception
    {
        final Path log = tmp.resolve("gateway.log");
        final List<String> gateway = Tests.tickgateCommand(List.of("gateway", "--bind", "127.0.0.1",
            "--http-port", "0", "--feed-port", "-1", "--simulate", "5"));
        final List<String> command = new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -n 256 && exec \"$@\"", "-"));
        command.addAll(gateway);
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final int port = awaitListening(log);
        assertThat(health(port, 10_000)).isTrue();

        final List<Socket> idle = new ArrayList<>();
        try
        {
            for (int i = 0; i < 250; i++)
            {
                final Socket socket = new Socket();
                // Past the limit a connection waits in the listen backlog, so connecting still succeeds.
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                idle.add(socket);
            }
            // Held a while, as an attacker would: long enough for a server that had run out of descriptors to be
            // backing off for 16 s, short of the 10 s after which the gateway closes connections that send nothing.
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(6));
        }
        finally
        {
            for (final Socket socket : idle)
            {
                socket.close();
            }
        }

        assertThat(health(port, 5_000)).as("/health as soon as the idle connections have gone; log:%n%s",
            Files.readString(log)).isTrue();
        assertThat(Files.readString(log)).doesNotContain("Too many open files");
        assertThat(child.isAlive()).isTrue();
    }

    private static int awaitListening(final Path log)
    {
        final int[] port = new int[1];
        Tests.await(Duration.ofSeconds(60), () ->
        {
            try
            {
                final Matcher matcher = LISTENING.matcher(Files.readString(log));
                if (matcher.find())
                {
                    port[0] = Integer.parseInt(matcher.group(1));
                    return true;
                }
                return false;
            }
            catch (final IOException ex)
            {
                return false;
            }
        }, () -> "the gateway did not say where it listens");
        return port[0];
    }

    private static boolean health(final int port, final int timeoutMs)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            socket.getOutputStream().write(
                "GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .startsWith("HTTP/1.1 200 ");
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            throw new AssertionError("/health: " + ex, ex);
        }
    }

    private static String exchange(final int port, final String request)
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(request.substring(0, Math.min(40, request.length())) + ": " + ex, ex);
        }
    }
}

package io.tickgate.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The perf jar's entry point dispatches loadtest and side-by-side with the launcher's error conventions.
 */
class PerfCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = PerfCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldListBothSubcommands()
    {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("loadtest", "side-by-side");
    }

    @Test
    void shouldRejectABadLoadtestValueWithOneLineAndTheUsage()
    {
        assertThat(run("loadtest", "--url", "ws://127.0.0.1:9/ws", "--symbols", "5",
            "--symbols-per-connection", "6")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElse(""))
            .isEqualTo("tickgate: --symbols-per-connection 6 is more than --symbols 5");
        assertThat(err.toString()).contains("Usage: tickgate loadtest").doesNotContain("\tat ");
    }

    @Test
    void shouldRejectAPortOutOfRangeAndAnEmptyOutAsUsageErrors()
    {
        assertThat(run("loadtest", "--url", "ws://127.0.0.1:99999/ws")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElse(""))
            .isEqualTo("tickgate: --url: the port must be from 1 to 65535: ws://127.0.0.1:99999/ws");
        err.getBuffer().setLength(0);
        assertThat(run("loadtest", "--url", "ws://127.0.0.1:9/ws", "--out=")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElse("")).startsWith("tickgate: --out must name a directory");
    }

    @Test
    void shouldReportAnUnreachableServerInOneLine()
    {
        assertThat(run("loadtest", "--url", "ws://127.0.0.1:1/ws", "--duration", "1")).isEqualTo(1);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).startsWith("tickgate loadtest: cannot GET http://127.0.0.1:1/api/symbols");
    }

    @Test
    void shouldFailWhenTheServerClosesEveryConnectionBeforeTheWindowEnds(@TempDir final Path dir) throws Exception
    {
        final AtomicReference<Throwable> serverFailure = new AtomicReference<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))
        {
            final Thread serverThread = new Thread(() -> closeAfterSubscribe(server, serverFailure), "closing-server");
            serverThread.setDaemon(true);
            serverThread.start();

            final int status = run("loadtest", "--url", "ws://127.0.0.1:" + server.getLocalPort() + "/ws",
                "--connections", "2", "--symbols", "1", "--warmup", "0", "--duration", "5", "--out", dir.toString());

            assertThat(serverFailure.get()).as("the scripted server failed").isNull();
            assertThat(status).as(out + "\n" + err).isEqualTo(1);
            assertThat(err.toString().lines().toList()).containsExactly("tickgate loadtest: every connection was " +
                "closed before the measuring window ended (2 by the server, 0 abnormally); the figures above cover " +
                "part of the window only");
            assertThat(out.toString()).contains("0 at the end of the window", "2 closed by server");
            // No frame arrived: no per-frame figures and no accounting percentage made up from nothing.
            assertThat(out.toString()).contains("n/a ns per frame", "(n/a per frame)",
                "no updates offered on the subscribed symbols").doesNotContain("-1.00");
            assertThat(dir.resolve("summary.json")).exists();
            assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"openAtMeasureEnd\" : 0");
        }
    }

    /**
     * Answers the symbol list with 404, upgrades each WebSocket, and closes it (1001) soon after its subscribe.
     */
    private static void closeAfterSubscribe(final ServerSocket server, final AtomicReference<Throwable> failure)
    {
        while (!server.isClosed())
        {
            try
            {
                final Socket socket = server.accept();
                final Thread handler = new Thread(() -> answer(socket, failure), "closing-session");
                handler.setDaemon(true);
                handler.start();
            }
            catch (final IOException ex)
            {
                return; // the test closed the server
            }
        }
    }

    private static void answer(final Socket accepted, final AtomicReference<Throwable> failure)
    {
        try (Socket socket = accepted)
        {
            socket.setSoTimeout(10_000);
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final OutputStream output = socket.getOutputStream();
            final String request = LoadGeneratorWebSocketTest.readHead(in);
            final String key = request.lines().filter(line -> line.startsWith("Sec-WebSocket-Key:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse(null);
            if (null == key)
            {
                output.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            output.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + WebSocketClientFrames.expectedAccept(key) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            LoadGeneratorWebSocketTest.readClientFrame(in); // the subscribe
            Thread.sleep(500);
            output.write(new byte[] { (byte)0x88, 2, 0x03, (byte)0xE9 });
            output.flush();
            LoadGeneratorWebSocketTest.readClientFrame(in); // the client's close
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            failure.set(ex);
        }
    }

    @Test
    void shouldShowTheSideBySideOptions()
    {
        assertThat(run("side-by-side", "--help")).isZero();
        assertThat(out.toString()).contains("--scenarios", "--servers", "--skewed-feed");
    }
}

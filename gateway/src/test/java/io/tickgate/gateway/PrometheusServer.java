package io.tickgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus (the Debian {@code prometheus} package) for tests: its own process on a free loopback port, a
 * temporary storage directory and a generated configuration that scrapes one gateway every second as job
 * {@code tickgate} and evaluates the given rule files every second. {@link #close()} stops it and deletes the
 * directory. Missing binaries are a failure naming the package, never a skip.
 * <p>
 * Not thread-safe: one test thread.
 */
public final class PrometheusServer implements AutoCloseable
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(final Path dir, final Process process, final int port)
    {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts Prometheus scraping {@code target} (host:port) and returns once it reports ready.
     */
    public static PrometheusServer start(final String target, final List<Path> ruleFiles) throws IOException
    {
        final String binary = requireBinary("prometheus");
        final Path dir = Files.createTempDirectory("tickgate-prometheus");
        final StringBuilder config = new StringBuilder()
            .append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n")
            .append("rule_files:\n");
        for (final Path rules : ruleFiles)
        {
            config.append("  - '").append(rules.toAbsolutePath()).append("'\n");
        }
        config.append("scrape_configs:\n  - job_name: tickgate\n    static_configs:\n")
            .append("      - targets: ['").append(target).append("']\n");
        final Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);

        final int port = freePort();
        final Process process = new ProcessBuilder(
            binary,
            "--config.file=" + configFile,
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port,
            "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
        final PrometheusServer server = new PrometheusServer(dir, process, port);
        try
        {
            Tests.await(Duration.ofSeconds(30), server::isReady, () -> "Prometheus not ready: " + server.log());
        }
        catch (final AssertionError | RuntimeException ex)
        {
            server.close();
            throw ex;
        }
        return server;
    }

    /**
     * The absolute path of a binary on the PATH, or an {@link AssertionError} naming the Debian package.
     */
    public static String requireBinary(final String name)
    {
        final String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (final String directory : path.split(":"))
        {
            final Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " not found on PATH: apt-get install prometheus (the CI script .ci/run " +
            "installs it)");
    }

    /**
     * The repository's {@code grafana/} directory, found upwards from the working directory.
     */
    public static Path grafanaDir()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (null != dir)
        {
            if (Files.isDirectory(dir.resolve("grafana").resolve("prometheus")))
            {
                return dir.resolve("grafana");
            }
            dir = dir.getParent();
        }
        throw new AssertionError("no grafana/ directory above " + Path.of("").toAbsolutePath());
    }

    public boolean isReady()
    {
        try
        {
            return 200 == http.send(HttpRequest.newBuilder(uri("/-/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * GETs an API path and returns the JSON {@code data}, failing on any status but success.
     */
    public JsonNode api(final String pathAndQuery)
    {
        try
        {
            final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
            final JsonNode body = MAPPER.readTree(response.body());
            if (!"success".equals(body.path("status").asText()))
            {
                throw new AssertionError("Prometheus " + pathAndQuery + " answered " + response.statusCode() + ": " +
                    response.body());
            }
            return body.get("data");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The result array of an instant query.
     */
    public JsonNode query(final String promql)
    {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result");
    }

    /**
     * The value of an instant query that returns one sample, or NaN when it returns none.
     */
    public double value(final String promql)
    {
        final JsonNode result = query(promql);
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).get("value").get(1).asText());
    }

    /**
     * Whether every active target of job {@code tickgate} is up.
     */
    public boolean targetUp()
    {
        final JsonNode targets = api("/api/v1/targets?state=active").get("activeTargets");
        if (targets.isEmpty())
        {
            return false;
        }
        for (final JsonNode target : targets)
        {
            if (!"up".equals(target.path("health").asText()))
            {
                return false;
            }
        }
        return true;
    }

    public String log()
    {
        try
        {
            final List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    private URI uri(final String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}

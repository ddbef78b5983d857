package io.tickgate.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Prometheus files through {@code promtool} (Debian package {@code prometheus}): the configuration and
 * the alert rules check clean, the unit tests of every alert pass, and a gateway's exposition lints clean.
 */
class PromtoolRulesTest
{
    private final Path prometheusDir = PrometheusServer.grafanaDir().resolve("prometheus");

    @Test
    void shouldCheckConfigurationAndRules() throws Exception
    {
        promtool("check", "config", prometheusDir.resolve("prometheus.yml").toString());
        promtool("check", "rules", prometheusDir.resolve("tickgate-alerts.yml").toString());
    }

    @Test
    void shouldPassUnitTestsOfEveryAlert() throws Exception
    {
        final String out = promtool("test", "rules", prometheusDir.resolve("tickgate-alerts.test.yml").toString());
        assertThat(out).contains("SUCCESS");
    }

    /**
     * The exposition itself, of a gateway that has written entries (so the window summary holds numbers), through
     * promtool's linter: names, units, suffixes and types as Prometheus wants them, so an operator's CI can gate
     * on it.
     */
    @Test
    void shouldLintTheExpositionClean(@TempDir final Path tmp) throws Exception
    {
        try (GatewayFixture fixture = GatewayFixture.launch(ctx -> ctx))
        {
            fixture.feed.define(1, "LINT", 4, 0);
            fixture.awaitSymbol("LINT");
            final TestClient client = fixture.client();
            client.awaitReply(client.subscribe("LINT"));
            fixture.feed.quote(1, 5, 1, 6, 1).flush();
            final String window = "tickgate_latency_tick_to_wire_window_seconds_count";
            Tests.await(Duration.ofSeconds(10), () -> fixture.metric(window) >= 1, () -> "no entry in the window");
            final Path scrape = Files.writeString(tmp.resolve("metrics.txt"), fixture.gateway.metrics().scrape());

            final String out = promtool(scrape, "check", "metrics");
            assertThat(out).as("promtool check metrics").isEmpty();
            assertThat(Files.readString(scrape)).contains("# TYPE tickgate_latency_tick_to_wire_window_seconds summary",
                "tickgate_latency_tick_to_wire_window_seconds{quantile=\"0.99\"} ");
        }
    }

    private String promtool(final String... args) throws IOException, InterruptedException
    {
        return promtool(null, args);
    }

    private String promtool(final Path input, final String... args) throws IOException, InterruptedException
    {
        final String[] command = new String[args.length + 1];
        command[0] = PrometheusServer.requireBinary("promtool");
        System.arraycopy(args, 0, command, 1, args.length);
        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(prometheusDir.toFile())
            .redirectErrorStream(true);
        if (null != input)
        {
            builder.redirectInput(input.toFile());
        }
        final Process process = builder.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }
}

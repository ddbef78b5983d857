package io.tickgate.gateway;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Prometheus files through {@code promtool} (Debian package {@code prometheus}): the configuration and
 * the alert rules check clean, and the unit tests of every alert pass.
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

    private String promtool(final String... args) throws IOException, InterruptedException
    {
        final String[] command = new String[args.length + 1];
        command[0] = PrometheusServer.requireBinary("promtool");
        System.arraycopy(args, 0, command, 1, args.length);
        final Process process = new ProcessBuilder(command)
            .directory(prometheusDir.toFile())
            .redirectErrorStream(true)
            .start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }
}

package io.tickgate.perf.sidebyside;

import io.tickgate.gateway.cli.TickgateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class SideBySideCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = TickgateCommand.withUserFacingErrors(new CommandLine(new SideBySideCommand()));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldRejectAnUnknownScenarioWithOneLineAndTheUsage()
    {
        assertThat(run("--scenarios", "light,heavy")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElse(""))
            .isEqualTo("tickgate: --scenarios: no scenario 'heavy' (light, watchlist, overload, wide)");
        assertThat(err.toString()).contains("Usage:").doesNotContain("Exception", "\tat ");
    }

    @Test
    void shouldRejectAnUnknownServerAndANonPositiveDuration()
    {
        assertThat(run("--servers", "tickgate,nginx")).isEqualTo(2);
        assertThat(err.toString()).startsWith("tickgate: --servers: no server 'nginx' (tickgate, bun, ws)");
        assertThat(run("--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("tickgate: --duration must be positive: 0.0");
    }

    @Test
    void shouldListItsOptionsInTheHelp()
    {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--scenarios", "--servers", "--duration", "--warmup", "--out");
    }

    @Test
    void shouldWriteIntoTodaysDirectoryOrAddTheTimeWhenItExists(@TempDir final Path results) throws Exception
    {
        final LocalDateTime now = LocalDateTime.of(2026, 12, 4, 17, 5, 9);

        assertThat(SideBySideCommand.defaultOut(results, now)).isEqualTo(results.resolve("2026-12-04"));
        Files.createDirectories(results.resolve("2026-12-04"));
        assertThat(SideBySideCommand.defaultOut(results, now)).isEqualTo(results.resolve("2026-12-04-170509"));
    }
}

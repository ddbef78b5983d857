package io.tickgate.perf;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

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
    void shouldReportAnUnreachableServerInOneLine()
    {
        assertThat(run("loadtest", "--url", "ws://127.0.0.1:1/ws", "--duration", "1")).isEqualTo(1);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).startsWith("tickgate loadtest: cannot GET http://127.0.0.1:1/api/symbols");
    }

    @Test
    void shouldShowTheSideBySideOptions()
    {
        assertThat(run("side-by-side", "--help")).isZero();
        assertThat(out.toString()).contains("--scenarios", "--servers", "--skewed-feed");
    }
}

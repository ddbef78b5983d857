package io.tickgate.perf.sidebyside;

import io.tickgate.gateway.Gateway;
import io.tickgate.perf.PerfCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tickgate loadtest} as its own JVM under a file-descriptor limit lower than its connections need, against a
 * real gateway in this JVM: the connections past the limit fail, the tool says that the limit is why, and the run
 * still measures and writes its summary, without a stack trace.
 */
class LoadTestDescriptorLimitTest
{
    private static final int DESCRIPTOR_LIMIT = 256;
    private static final int CONNECTIONS = 400;

    @Test
    void shouldNameTheDescriptorLimitAndStillWriteTheSummaryWhenConnectionsExhaustIt(@TempDir final Path dir)
        throws Exception
    {
        try (Gateway gateway = Gateway.launch(new Gateway.Context()
            .bindAddress("127.0.0.1").httpPort(0).feedPort(-1).simulatorSymbols(20).simulatorRate(1_000)))
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (gateway.registry().count() < 20 && System.nanoTime() < deadlineNs)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            final List<String> command = new ArrayList<>(List.of("bash", "-c",
                "ulimit -n " + DESCRIPTOR_LIMIT + " && exec \"$@\"", "bash"));
            command.addAll(JavaCommand.ofThisJvm().command(List.of(), PerfCommand.class.getName(), List.of(
                "loadtest", "--url", "ws://127.0.0.1:" + gateway.httpAddress().getPort() + "/ws",
                "--connections", Integer.toString(CONNECTIONS), "--duration", "1", "--warmup", "0",
                "--out", dir.resolve("out").toString())));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("loadtest.out").toFile()).start();
            try
            {
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("loadtest finished").isTrue();
            }
            finally
            {
                process.destroyForcibly();
            }
            final String output = Files.readString(dir.resolve("loadtest.out"), StandardCharsets.UTF_8);

            assertThat(output).containsPattern("\\d+ connections failed: too many open files \\(the limit is " +
                DESCRIPTOR_LIMIT + "; raise ulimit -n\\)")
                .doesNotContain("Exception", "\tat ");
            assertThat(dir.resolve("out").resolve("summary.json")).as(output).exists();
            assertThat(output).contains("tickgate loadtest: wrote ");
        }
    }
}

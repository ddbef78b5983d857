package io.tickgate.perf.sidebyside;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JavaCommandTest
{
    @Test
    void shouldPassTheLibrariesFlagsAndTheGatewaysPropertiesButNotTheRunnersOwnOptions()
    {
        final List<String> kept = JavaCommand.libraryFlags(List.of(
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dchronicle.disk.monitor.disable=true",
            "-Dtickgate.conflator.idle.strategy=feed",
            "-Xmx4g",
            "-XX:+UseParallelGC",
            "-Dother.property=1"));

        assertThat(kept).containsExactly(
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dchronicle.disk.monitor.disable=true",
            "-Dtickgate.conflator.idle.strategy=feed");
    }
}

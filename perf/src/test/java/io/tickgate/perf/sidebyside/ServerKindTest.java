package io.tickgate.perf.sidebyside;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Why a peer cannot run, in a tree laid out by hand: its script is in the repository, its runtime or library comes
 * from {@code npm ci}, and the reason says which of the two is missing.
 */
class ServerKindTest
{
    private static void touch(final Path file) throws Exception
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "");
    }

    @Test
    void shouldNameNpmCiWhenBunsPackageIsNotInstalled(@TempDir final Path root) throws Exception
    {
        assertThat(ServerKind.BUN.missing(root)).isEqualTo("perf/peers/bun-server.mjs is missing");

        touch(root.resolve("perf/peers/bun-server.mjs"));
        assertThat(ServerKind.BUN.missing(root)).isEqualTo("perf/peers/node_modules/.bin/bun is missing: install " +
            "the peers' packages with (cd perf/peers && npm ci)");

        touch(root.resolve("perf/peers/node_modules/.bin/bun"));
        assertThat(ServerKind.BUN.missing(root)).isNull();
        assertThat(ServerKind.TICKGATE.missing(root)).isNull();
    }

    @Test
    void shouldNameNpmCiWhenTheWsPackageIsNotInstalled(@TempDir final Path root) throws Exception
    {
        assumeTrue(null != ServerKind.onPath("node"), "node is on the PATH");
        touch(root.resolve("perf/peers/ws-server.mjs"));

        assertThat(ServerKind.WS.missing(root)).isEqualTo("perf/peers/node_modules/ws/package.json is missing: " +
            "install the peers' packages with (cd perf/peers && npm ci)");

        touch(root.resolve("perf/peers/node_modules/ws/package.json"));
        assertThat(ServerKind.WS.missing(root)).isNull();
    }
}

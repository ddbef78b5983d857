package io.tickgate.perf.sidebyside;

import io.tickgate.gateway.cli.TickgateCommand;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers compared: Tickgate and the two peers in {@code perf/peers/}. Each takes a WebSocket port and a UDP
 * feed port on a bind address. Tickgate is ready when {@code GET /health} answers 200; a peer prints one line
 * {@code ready ws=<P> feed=<F>} when bound, and on SIGTERM one JSON line of counters. Peers do not conflate and
 * number their frames across sessions, so their {@code frameSeq} gaps mean nothing.
 */
enum ServerKind
{
    TICKGATE("tickgate", "Tickgate"),
    BUN("bun", "Bun"),
    WS("ws", "Node ws");

    static final String PEERS_DIR = "perf/peers";
    static final String READY_PREFIX = "ready ws=";

    final String id;
    final String title;

    ServerKind(final String id, final String title)
    {
        this.id = id;
        this.title = title;
    }

    static ServerKind byId(final String id)
    {
        for (final ServerKind kind : values())
        {
            if (kind.id.equals(id))
            {
                return kind;
            }
        }
        return null;
    }

    boolean isPeer()
    {
        return TICKGATE != this;
    }

    /**
     * Why this server cannot run from {@code root}, or null when it can.
     */
    String missing(final Path root)
    {
        return switch (this)
        {
            case TICKGATE -> null;
            case BUN -> missing(root, "bun-server.mjs", "node_modules/.bin/bun");
            case WS -> null == onPath("node") ? "node is not on the PATH" :
                missing(root, "ws-server.mjs", "node_modules/ws/package.json");
        };
    }

    /**
     * The peer's own script is part of the tree; its runtime or library comes from npm into {@code node_modules},
     * which a fresh checkout does not have, so that reason names the command that brings it.
     */
    private static String missing(final Path root, final String script, final String installed)
    {
        if (!Files.exists(root.resolve(PEERS_DIR).resolve(script)))
        {
            return PEERS_DIR + "/" + script + " is missing";
        }
        if (!Files.exists(root.resolve(PEERS_DIR).resolve(installed)))
        {
            return PEERS_DIR + "/" + installed + " is missing: install the peers' packages with " +
                "(cd " + PEERS_DIR + " && npm ci)";
        }
        return null;
    }

    List<String> command(
        final Path root, final JavaCommand java, final Scenario scenario, final int wsPort, final int feedPort)
    {
        final List<String> listen = List.of(
            TICKGATE == this ? "--http-port" : "--ws-port", Integer.toString(wsPort),
            "--feed-port", Integer.toString(feedPort), "--bind", ServerRun.LOOPBACK);
        final List<String> command = new ArrayList<>();
        switch (this)
        {
            case TICKGATE ->
            {
                final List<String> args = new ArrayList<>(List.of("gateway"));
                args.addAll(listen);
                // As the launcher starts it (see the tickgate script): no boxing in JDK 17's epoll selector, and
                // no concurrent refinement of the cards the JDK's socket write lock dirties on every write.
                final List<String> jvm = new ArrayList<>(List.of(
                    "-XX:AutoBoxCacheMax=65536", "-XX:G1ConcRefinementThreads=0"));
                if (null != scenario.maxHeap())
                {
                    jvm.add("-Xmx" + scenario.maxHeap());
                }
                return java.command(jvm, TickgateCommand.class.getName(), args);
            }
            case BUN ->
            {
                command.add(root.resolve(PEERS_DIR + "/node_modules/.bin/bun").toString());
                command.add(root.resolve(PEERS_DIR + "/bun-server.mjs").toString());
            }
            case WS ->
            {
                command.add(onPath("node").toString());
                command.add(root.resolve(PEERS_DIR + "/ws-server.mjs").toString());
            }
        }
        command.addAll(listen);
        return command;
    }

    static Path onPath(final String program)
    {
        final String path = System.getenv("PATH");
        for (final String dir : null == path ? new String[0] : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

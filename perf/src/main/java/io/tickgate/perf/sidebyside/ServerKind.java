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
            case BUN -> missingFile(root, PEERS_DIR + "/bun-server.mjs", PEERS_DIR + "/node_modules/.bin/bun");
            case WS -> null == onPath("node") ? "node is not on the PATH" :
                missingFile(root, PEERS_DIR + "/ws-server.mjs");
        };
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

    private static String missingFile(final Path root, final String... files)
    {
        for (final String file : files)
        {
            if (!Files.exists(root.resolve(file)))
            {
                return file + " is missing (the peers are not in this tree yet?)";
            }
        }
        return null;
    }

    private static Path onPath(final String program)
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

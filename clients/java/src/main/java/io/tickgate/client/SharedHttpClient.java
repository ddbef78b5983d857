package io.tickgate.client;

import java.net.http.HttpClient;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK {@link HttpClient} that every client in the process opens its WebSockets with, made when the first
 * client connects (the holder class is loaded then). An HttpClient has a selector thread and a worker pool that
 * last until it is garbage collected: Java 17 has no way to shut one down. One per client, each closed client
 * left its threads behind until a GC (33 for 11 clients, 3 s after closing them). Shared, they are a few for the
 * process: the JDK's selector thread, for as long as the process runs, and workers, named here so that thread
 * dumps tell them from the application's, that end after 60 s idle (the JDK's own pool does the same). All are
 * daemons. Nothing in it is per client: the connect timeout is set per WebSocket, and WebSocket connections are
 * not pooled.
 * <p>
 * Thread-safe: the instance is published by class initialisation and {@link HttpClient} is thread-safe; the worker
 * counter is atomic.
 */
final class SharedHttpClient
{
    private static final AtomicInteger WORKERS = new AtomicInteger();
    static final HttpClient INSTANCE = HttpClient.newBuilder()
        .executor(Executors.newCachedThreadPool(task ->
            TickgateClient.daemon(task, "tickgate-client-ws-" + WORKERS.incrementAndGet())))
        .build();

    private SharedHttpClient()
    {
    }
}

package io.tickgate.gateway.http;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;

import java.net.InetSocketAddress;

/**
 * The gateway's Undertow server: one listener, all endpoints on it.
 */
public final class HttpServer implements AutoCloseable
{
    private final Undertow undertow;

    public HttpServer(
        final String bindAddress,
        final int port,
        final int ioThreads,
        final HttpHandler webSocket,
        final GatewayStatus status)
    {
        final JsonHandlers json = new JsonHandlers(status);
        final PathHandler paths = Handlers.path(
            Handlers.resource(new ClassPathResourceManager(HttpServer.class.getClassLoader(), "web"))
                .setWelcomeFiles("index.html")
                .setDirectoryListingEnabled(false))
            .addExactPath("/ws", webSocket)
            .addExactPath("/metrics", json.metrics())
            .addExactPath("/health", json.health())
            .addExactPath("/api/symbols", json.symbols());

        undertow = Undertow.builder()
            .addHttpListener(port, bindAddress)
            .setIoThreads(ioThreads)
            .setWorkerThreads(Math.max(2, ioThreads * 2))
            .setHandler(paths)
            .build();
    }

    public void start()
    {
        undertow.start();
    }

    public InetSocketAddress address()
    {
        return (InetSocketAddress)undertow.getListenerInfo().get(0).getAddress();
    }

    @Override
    public void close()
    {
        undertow.stop();
    }
}

package io.tickgate.gateway.http;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.io.UncheckedIOException;
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
        final long requestTimeoutMs,
        final XnioWorker worker,
        final HttpHandler webSocket,
        final GatewayStatus status)
    {
        final JsonHandlers json = new JsonHandlers(status);
        final PathHandler paths = Handlers.path(
            JsonHandlers.readOnly(
                new ResourceHandler(new ClassPathResourceManager(HttpServer.class.getClassLoader(), "web"),
                    HttpServer::notFound)
                    .setWelcomeFiles("index.html")
                    .setDirectoryListingEnabled(false)))
            .addExactPath("/ws", webSocket)
            .addExactPath("/metrics", json.metrics())
            .addExactPath("/health", json.health())
            .addExactPath("/api/symbols", json.symbols());

        undertow = Undertow.builder()
            .addHttpListener(port, bindAddress)
            // A request begun and never finished (a stalled client, a slow-loris) would hold its connection, unseen
            // by any session count, until the descriptors ran out; Undertow sets no limit by default.
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int)requestTimeoutMs)
            .setWorker(worker)
            .setHandler(paths)
            .build();
    }

    /**
     * The XNIO worker for the server, made by the gateway so that the "io" layout can register its feed socket
     * with an IO thread: the options Undertow would use for its own worker. Its owner shuts it down; the server's
     * {@link #close()} does not.
     */
    public static XnioWorker createWorker(final int ioThreads)
    {
        final int workerThreads = Math.max(2, ioThreads * 2);
        try
        {
            return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
                .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .getMap());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start the IO threads", ex);
        }
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

    /**
     * A path that is none of the endpoints and no file of the UI: 404 saying which path, and what there is.
     */
    private static void notFound(final HttpServerExchange exchange)
    {
        exchange.setStatusCode(StatusCodes.NOT_FOUND);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send("not found: " + exchange.getRequestPath() +
            " (the gateway serves /, /ws, /health, /metrics and /api/symbols)\n");
    }
}

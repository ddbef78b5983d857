package io.tickgate.gateway.http;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
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
    private static final HttpString X_CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
    private static final HttpString CONTENT_SECURITY_POLICY = new HttpString("Content-Security-Policy");
    private static final int MAX_ECHOED_PATH = 200;

    private final Undertow undertow;

    public HttpServer(
        final String bindAddress,
        final int port,
        final long requestTimeoutMs,
        final int maxHeaderBytes,
        final int maxConnections,
        final XnioWorker worker,
        final HttpHandler webSocket,
        final GatewayStatus status)
    {
        final JsonHandlers json = new JsonHandlers(status);
        final ResourceHandler ui = new ResourceHandler(
            new ClassPathResourceManager(HttpServer.class.getClassLoader(), "web"), HttpServer::notFound)
            .setWelcomeFiles("index.html")
            .setDirectoryListingEnabled(false)
            // Revalidated on every load (a 304 while unchanged): a restarted, newer gateway's UI is never stale.
            .setCacheTime(0);
        final PathHandler paths = Handlers.path(
            JsonHandlers.readOnly(exchange ->
            {
                // The UI may not be framed by another site's page (clickjacking).
                exchange.getResponseHeaders().put(Headers.X_FRAME_OPTIONS, "DENY");
                exchange.getResponseHeaders().put(CONTENT_SECURITY_POLICY, "frame-ancestors 'none'");
                if (hasDotSegment(exchange.getRequestPath()))
                {
                    // Canonicalised, "/tickgate-client.js/.." is the UI's root, which the resource handler would
                    // redirect to a URL built from the client's Host header; no file is named that way.
                    notFound(exchange);
                    return;
                }
                ui.handleRequest(exchange);
            }))
            .addExactPath("/ws", webSocket)
            .addExactPath("/metrics", json.metrics())
            .addExactPath("/health", json.health())
            .addExactPath("/api/symbols", json.symbols());

        undertow = Undertow.builder()
            .addHttpListener(port, bindAddress)
            // A request begun and never finished (a stalled client, a slow-loris) would hold its connection, unseen
            // by any session count, until the descriptors ran out; Undertow sets no limit by default.
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int)requestTimeoutMs)
            // A connection that sends nothing gets the same time, not Undertow's 60 s: idle ones from anyone who can
            // reach the port would otherwise hold descriptors six times as long. Upgraded sessions are not affected.
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int)requestTimeoutMs)
            .setServerOption(UndertowOptions.MAX_HEADER_SIZE, maxHeaderBytes)
            .setSocketOption(Options.CONNECTION_HIGH_WATER, maxConnections)
            .setSocketOption(Options.CONNECTION_LOW_WATER, maxConnections)
            .setWorker(worker)
            // Browsers send ^ | { } \ ` unencoded in a query (/?symbols=^GSPC); Undertow's strict check refused
            // such requests with an empty 400.
            .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
            .setHandler(exchange ->
            {
                // Every response is what its Content-Type says, never sniffed into something else.
                exchange.getResponseHeaders().put(X_CONTENT_TYPE_OPTIONS, "nosniff");
                if (declaresBody(exchange))
                {
                    // No endpoint reads a body, and Undertow reads an unread one to its end before it ends the
                    // exchange, with no time limit: a body that never came held its connection for ever, and a
                    // 405 waited for it. Such a request is answered at once and its connection closed after.
                    Connectors.terminateRequest(exchange);
                    exchange.setPersistent(false);
                }
                paths.handleRequest(exchange);
            })
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
     * Whether the request says a body follows: a non-zero {@code Content-Length}, or any {@code Transfer-Encoding}
     * (RFC 9112 6.3).
     */
    public static boolean declaresBody(final HttpServerExchange exchange)
    {
        final HeaderMap headers = exchange.getRequestHeaders();
        if (headers.contains(Headers.TRANSFER_ENCODING))
        {
            return true;
        }
        final String length = headers.getFirst(Headers.CONTENT_LENGTH);
        return null != length && !"0".equals(length.trim());
    }

    /**
     * Whether the path has a "." or ".." segment.
     */
    static boolean hasDotSegment(final String path)
    {
        for (final String segment : path.split("/", -1))
        {
            if (".".equals(segment) || "..".equals(segment))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A path that is none of the endpoints and no file of the UI: 404 saying which path, and what there is.
     */
    private static void notFound(final HttpServerExchange exchange)
    {
        exchange.setStatusCode(StatusCodes.NOT_FOUND);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send("not found: " + printable(exchange.getRequestPath()) +
            " (the gateway serves /, /ws, /health, /metrics and /api/symbols)\n");
    }

    /**
     * The path as a reader should see it: control characters shown as escapes, and at most 200 characters.
     */
    static String printable(final String path)
    {
        final StringBuilder text = new StringBuilder();
        int i = 0;
        for (; i < path.length() && text.length() < MAX_ECHOED_PATH; i++)
        {
            final char c = path.charAt(i);
            if (Character.isISOControl(c))
            {
                text.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                text.append(c);
            }
        }
        return i < path.length() ? text.append("...").toString() : text.toString();
    }
}

package io.tickgate.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.symbols.Symbol;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.protocol.FrameDescriptor;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@code /health}, {@code /api/symbols} and {@code /metrics}. Each handler hops to a worker thread first, so a
 * scrape of a large registry never delays frames on an IO thread. Thread-safe.
 */
final class JsonHandlers
{
    private final GatewayStatus status;
    private final ObjectMapper mapper = new ObjectMapper();

    JsonHandlers(final GatewayStatus status)
    {
        this.status = status;
    }

    HttpHandler health()
    {
        return onWorker(exchange ->
        {
            final ObjectNode body = mapper.createObjectNode();
            final ArrayNode feeds = mapper.createArrayNode();
            String overall = "none";
            final long nowNs = status.epochNanoTime();
            final String[] sources = status.sourceNames();
            for (int sourceId = 0; sourceId < sources.length; sourceId++)
            {
                if (null == sources[sourceId])
                {
                    continue;
                }
                final long lastTickNs = status.lastTickEpochNs(sourceId);
                final String state = 0 == lastTickNs ? "none" : status.isSourceStale(sourceId) ? "stale" : "receiving";
                if ("receiving".equals(state) || ("stale".equals(state) && "none".equals(overall)))
                {
                    overall = state;
                }
                final ObjectNode feed = feeds.addObject().put("source", sources[sourceId]).put("state", state);
                if (0 != lastTickNs)
                {
                    feed.put("lastTickAgeMs", Math.max(0, (nowNs - lastTickNs) / 1_000_000));
                }
            }
            final boolean stopping = status.stopping();
            body.put("status", stopping ? "STOPPING" : "UP")
                .put("uptimeMs", status.uptimeMs())
                .put("sessions", status.sessionsOpen())
                .put("heartbeatMs", status.heartbeatMs())
                .put("symbols", status.registry().count())
                .put("feed", overall)
                .set("feeds", feeds);
            if (stopping)
            {
                // A load balancer or supervisor that probes /health sends no new clients to a gateway on its way out.
                exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            }
            sendJson(exchange, mapper.writeValueAsBytes(body));
        });
    }

    HttpHandler symbols()
    {
        return onWorker(exchange ->
        {
            final SymbolRegistry registry = status.registry();
            final LastValueCache.ValueView view = new LastValueCache.ValueView();
            final ArrayNode body = mapper.createArrayNode();
            for (int sid = 0, count = registry.count(); sid < count; sid++)
            {
                final Symbol symbol = registry.bySid(sid);
                if (null == symbol)
                {
                    continue;
                }
                status.cache().read(sid, view);
                body.addObject()
                    .put("symbol", symbol.name())
                    .put("sid", sid)
                    .put("priceScale", symbol.priceScale())
                    .put("sizeScale", symbol.sizeScale())
                    .put("stale", 0 != (view.flags & FrameDescriptor.FLAG_STALE))
                    // Like the frame's flags: a symbol that has only quoted has no last trade, not one at 0.
                    .put("quote", 0 != (view.flags & FrameDescriptor.FLAG_QUOTE))
                    .put("trade", 0 != (view.flags & FrameDescriptor.FLAG_TRADE))
                    .put("seq", view.seq)
                    .put("bidPrice", view.bidPrice)
                    .put("bidSize", view.bidSize)
                    .put("askPrice", view.askPrice)
                    .put("askSize", view.askSize)
                    .put("lastPrice", view.lastPrice)
                    .put("lastSize", view.lastSize)
                    .put("exchangeTime", view.exchangeTimeNs)
                    .put("ingestTime", view.ingestTimeNs);
            }
            sendJson(exchange, mapper.writeValueAsBytes(body));
        });
    }

    HttpHandler metrics()
    {
        return onWorker(exchange ->
        {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(ByteBuffer.wrap(
                status.scrapeMetrics().getBytes(StandardCharsets.UTF_8)));
        });
    }

    private static void sendJson(final HttpServerExchange exchange, final byte[] body)
    {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private static HttpHandler onWorker(final HttpHandler handler)
    {
        return readOnly(exchange ->
        {
            if (exchange.isInIoThread())
            {
                exchange.dispatch(handler);
                return;
            }
            handler.handleRequest(exchange);
        });
    }

    /**
     * Passes GET and HEAD on; anything else gets 405 with {@code Allow: GET, HEAD}: nothing here takes a body.
     * Methods are case-sensitive (RFC 7230 3.1.1), though {@code HttpString} compares them ignoring case.
     */
    static HttpHandler readOnly(final HttpHandler next)
    {
        return exchange ->
        {
            final String method = exchange.getRequestMethod().toString();
            if (!Methods.GET_STRING.equals(method) && !Methods.HEAD_STRING.equals(method))
            {
                exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
                exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
                exchange.endExchange();
                return;
            }
            next.handleRequest(exchange);
        };
    }
}

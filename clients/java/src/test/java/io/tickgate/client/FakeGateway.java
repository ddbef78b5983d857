package io.tickgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted WebSocket server on Undertow, for what a real gateway never does: skip a frameSeq, go silent.
 * The script answers each text request; connections are numbered from 1 so it can behave differently after a
 * reconnect. Callbacks run on Undertow's IO thread.
 */
final class FakeGateway implements AutoCloseable
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Answers one request on one connection. */
    interface Script
    {
        void onRequest(Peer peer, JsonNode request);
    }

    /** One accepted connection. */
    record Peer(int connection, WebSocketChannel channel)
    {
        void text(final String json)
        {
            WebSockets.sendText(json, channel, null);
        }

        void binary(final byte[] frame)
        {
            WebSockets.sendBinary(ByteBuffer.wrap(frame), channel, null);
        }

        void close(final int code, final String reason)
        {
            WebSockets.sendClose(code, reason, channel, null);
        }

        /**
         * Closes the TCP connection without a close frame {@code delayMs} from now.
         */
        void dropAfter(final long delayMs)
        {
            channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), delayMs, TimeUnit.MILLISECONDS);
        }

        /**
         * A {@code subscribed} reply accepting every requested symbol, symbol i getting sid i + 1.
         */
        void subscribed(final JsonNode request)
        {
            final StringBuilder json = new StringBuilder("{\"op\":\"subscribed\",\"id\":")
                .append(request.path("id").asLong()).append(",\"symbols\":[");
            int sid = 1;
            for (final JsonNode symbol : request.path("symbols"))
            {
                json.append(sid > 1 ? "," : "").append("{\"symbol\":\"").append(symbol.asText())
                    .append("\",\"sid\":").append(sid++).append(",\"priceScale\":4,\"sizeScale\":0}");
            }
            text(json.append("],\"rejected\":[]}").toString());
        }
    }

    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final Undertow server;

    FakeGateway(final Script script)
    {
        server = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setIoThreads(1)
            .setWorkerThreads(1)
            .setHandler(Handlers.path().addPrefixPath("/ws", Handlers.websocket((exchange, channel) ->
            {
                final Peer peer = new Peer(connections.incrementAndGet(), channel);
                peers.add(peer);
                channel.getReceiveSetter().set(new AbstractReceiveListener()
                {
                    @Override
                    protected void onFullTextMessage(final WebSocketChannel ch, final BufferedTextMessage message)
                        throws IOException
                    {
                        // getData() hands the text over once; a second call returns nothing.
                        final String text = message.getData();
                        requests.add(text);
                        script.onRequest(peer, MAPPER.readTree(text));
                    }
                });
                channel.resumeReceives();
            })))
            .build();
        server.start();
    }

    URI uri()
    {
        final InetSocketAddress address = (InetSocketAddress)server.getListenerInfo().get(0).getAddress();
        return URI.create("ws://127.0.0.1:" + address.getPort() + "/ws");
    }

    @Override
    public void close()
    {
        server.stop();
    }
}

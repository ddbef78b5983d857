package io.tickgate.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One WebSocket connection attempt: the JDK's listener for it and its chain of sends. Its callbacks take the
 * client's monitor and do nothing once the client has moved on to another connection; demand for the next message
 * is signalled after the monitor is released.
 * <p>
 * Its mutable fields are guarded by the client's monitor, {@link ClientConductor#lock}, like the rest of the
 * client's state; the JDK calls back one callback at a time per connection, on its worker threads.
 */
final class Connection implements WebSocket.Listener
{
    private final ClientConductor conductor;
    final long generation;
    /** Set on open; guarded by the client's monitor. */
    WebSocket webSocket;
    /** The sends under way, one after another (the JDK WebSocket allows one); guarded by the client's monitor. */
    CompletableFuture<WebSocket> sendChain;
    /** When the last message of any kind arrived, for the watchdog; guarded by the client's monitor. */
    long lastMessageNs;
    /** Whether a binary frame has arrived on it; guarded by the client's monitor. */
    boolean working;

    Connection(final ClientConductor conductor, final long generation)
    {
        this.conductor = conductor;
        this.generation = generation;
    }

    boolean isOpen()
    {
        return null != webSocket;
    }

    void opened(final WebSocket webSocket)
    {
        this.webSocket = webSocket;
        sendChain = CompletableFuture.completedFuture(webSocket);
        lastMessageNs = System.nanoTime();
    }

    /**
     * Sends after any send still under way (the JDK WebSocket allows one); a send that fails ends the connection.
     */
    void enqueue(final String what, final Function<WebSocket, CompletableFuture<WebSocket>> send)
    {
        sendChain = sendChain.thenCompose(send);
        sendChain.whenComplete((ws, ex) ->
        {
            if (null != ex)
            {
                synchronized (conductor.lock)
                {
                    conductor.drop(this, ClientError.CONNECTION_LOST,
                        "cannot send " + what + ": " + FailureReason.describe(ex));
                }
            }
        });
    }

    /**
     * Closes with code 1000 once the sends under way are done, and aborts after a second at the latest.
     */
    void closeNormally()
    {
        if (null != webSocket)
        {
            final WebSocket socket = webSocket;
            sendChain
                .thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "client closing"))
                .orTimeout(1, TimeUnit.SECONDS)
                .whenComplete((ws, ex) -> socket.abort());
        }
    }

    void abort()
    {
        if (null != webSocket)
        {
            webSocket.abort();
        }
    }

    @Override
    public void onOpen(final WebSocket socket)
    {
        synchronized (conductor.lock)
        {
            conductor.onOpen(this, socket);
        }
        socket.request(1);
    }

    @Override
    public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
    {
        final boolean more;
        synchronized (conductor.lock)
        {
            more = conductor.onText(this, data, last);
        }
        return demandNextIf(more, socket);
    }

    @Override
    public CompletionStage<?> onBinary(final WebSocket socket, final ByteBuffer data, final boolean last)
    {
        final boolean more;
        synchronized (conductor.lock)
        {
            more = conductor.onBinary(this, data, last);
        }
        return demandNextIf(more, socket);
    }

    /**
     * Asks for the next message, outside the monitor, unless the connection was dropped while handling this one.
     */
    private static CompletionStage<?> demandNextIf(final boolean more, final WebSocket socket)
    {
        if (more)
        {
            socket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(final WebSocket socket, final int statusCode, final String reason)
    {
        synchronized (conductor.lock)
        {
            conductor.drop(this, ClientError.CONNECTION_LOST, FailureReason.closed(statusCode, reason));
        }
        return null;
    }

    @Override
    public void onError(final WebSocket socket, final Throwable error)
    {
        synchronized (conductor.lock)
        {
            conductor.drop(this, ClientError.CONNECTION_LOST, FailureReason.failed(error));
        }
    }
}

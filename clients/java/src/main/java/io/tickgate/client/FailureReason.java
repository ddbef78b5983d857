package io.tickgate.client;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;

/**
 * The words a lost or failed connection is reported in: what the JDK's exceptions and close codes mean to a person
 * reading {@code onError} and {@code onStatus}, rather than the class names of the wrappers they come in.
 * <p>
 * Stateless, so thread-safe.
 */
final class FailureReason
{
    /** The JDK's own code for a connection that ended without a close frame (RFC 6455 7.1.5). */
    private static final int ABNORMAL_CLOSURE = 1006;

    private FailureReason()
    {
    }

    static String describe(final Throwable ex)
    {
        // The wrappers' messages are often only the class name of their cause: say what the cause means instead.
        Throwable root = ex;
        for (Throwable cause = ex; null != cause; cause = cause == cause.getCause() ? null : cause.getCause())
        {
            if (cause instanceof ConnectException)
            {
                if (cause.getCause() instanceof UnresolvedAddressException)
                {
                    return "unknown host";
                }
                return null == cause.getMessage() || cause.getMessage().isBlank() ? "connection refused" :
                    cause.getMessage();
            }
            if (cause instanceof WebSocketHandshakeException)
            {
                return "the WebSocket handshake was refused: HTTP " +
                    ((WebSocketHandshakeException)cause).getResponse().statusCode();
            }
            root = cause;
        }
        return null == root.getMessage() || root.getMessage().isBlank() ? root.getClass().getSimpleName() :
            root.getMessage();
    }

    /**
     * Why an attempt failed. One that ran out its connect timeout says so, with the timeout, whatever the JDK's
     * exception says: it reports the one timeout as {@code request timed out}, {@code HTTP connect timed out}, or
     * by the connection it closed because of it ({@code connection closed locally}), depending on which of its
     * steps notices first. The JDK sets its deadline after the attempt started, on a clock of its own: a
     * millisecond of slack covers the two clocks' granularity.
     */
    static String notOpened(final Throwable ex, final long elapsedNs, final long connectTimeoutNs)
    {
        boolean timedOut = elapsedNs >= connectTimeoutNs - TimeUnit.MILLISECONDS.toNanos(1);
        for (Throwable cause = ex; null != cause && !timedOut; cause = cause == cause.getCause() ? null :
            cause.getCause())
        {
            timedOut = cause instanceof HttpTimeoutException;
        }
        return timedOut ? "timed out after " + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNs) + " ms" :
            describe(ex);
    }

    /**
     * A close the WebSocket reported: the gateway's own code and reason, or the JDK's 1006 for none at all.
     */
    static String closed(final int statusCode, final String reason)
    {
        return ABNORMAL_CLOSURE == statusCode ?
            "connection lost without a close frame (1006)" :
            "closed by the gateway: " + statusCode + (reason.isEmpty() ? "" : " " + reason);
    }

    /**
     * A failure the WebSocket reported. The JDK's WebSocket throws InternalError from its own demand accounting when
     * a connection ends while a listener method runs (seen on a gateway killed under load): say what happened
     * instead.
     */
    static String failed(final Throwable error)
    {
        return error instanceof InternalError ?
            "connection lost (the JDK's WebSocket failed at its end: InternalError)" :
            "connection failed: " + describe(error);
    }
}

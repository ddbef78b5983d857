package io.tickgate.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the gateway's JSON replies and dispatches them: a {@code subscribed} reply binds and rejects symbols in the
 * {@link SymbolTable} and answers its subscribe calls, the others complete their requests' futures, and an
 * {@code error} undoes what the refused request had changed.
 * <p>
 * Not thread-safe: runs on the WebSocket's callback thread with the client's monitor, {@link ClientConductor#lock},
 * held.
 */
final class ReplyAdapter
{
    private static final String LIMIT_EXCEEDED = "LIMIT_EXCEEDED";

    private final GuardedListener listener;
    private final FrameAdapter adapter;
    private final SymbolTable symbols;
    private final RequestTable requests;
    private final ClientTimer timer;

    ReplyAdapter(
        final GuardedListener listener,
        final FrameAdapter adapter,
        final SymbolTable symbols,
        final RequestTable requests,
        final ClientTimer timer)
    {
        this.listener = listener;
        this.adapter = adapter;
        this.symbols = symbols;
        this.requests = requests;
        this.timer = timer;
    }

    /**
     * A whole text message, on the connection of {@code generation}, the client's current one. The generation is
     * read before any listener call: the listener may close the client, and that clears its connection.
     */
    void onReply(final String message, final long generation)
    {
        final JsonNode reply;
        try
        {
            reply = ControlMessageCodec.decodeReply(message);
        }
        catch (final IOException ex)
        {
            listener.onError(ClientError.MALFORMED_MESSAGE,
                "text message is not JSON: " + FailureReason.describe(ex));
            return;
        }
        final Pending request = reply.hasNonNull("id") ? requests.remove(reply.get("id").asLong()) : null;
        switch (reply.path("op").asText(""))
        {
            case "subscribed" -> onSubscribed(reply, request, generation);
            case "unsubscribed" ->
            {
                if (null != request && null != request.unsubscribed)
                {
                    request.unsubscribed.complete(null);
                }
            }
            case "throttled" ->
            {
                if (null != request && null != request.throttled)
                {
                    request.throttled.complete(reply.path("maxRateHz").asInt());
                }
            }
            case "pong" ->
            {
                if (null != request && null != request.pong)
                {
                    request.pong.complete(reply.path("serverTime").asLong());
                }
            }
            case "error" -> onRefused(reply, request, generation);
            default -> listener.onError(ClientError.MALFORMED_MESSAGE, "unexpected reply " + message);
        }
    }

    private void onRefused(final JsonNode reply, final Pending request, final long generation)
    {
        final String code = reply.path("code").asText("UNKNOWN");
        final String text = reply.path("message").asText("");
        listener.onError(ClientError.REQUEST_FAILED, code + ": " + text);
        if (null != request)
        {
            symbols.forgetRefused(request.added, generation);
            restoreForgotten(request.forgotten);
            timer.answered(request);
            request.fail(new RequestFailedException(code, text));
        }
    }

    /**
     * An unsubscribe refused as a whole removed nothing at the gateway: its names are held again, unless subscribed
     * anew meanwhile, and asked for again. Updates that came while they were unbound were dropped, and one whose
     * subscribe was still in flight was never bound: the subscribe's reply binds them and its snapshot brings each
     * to the gateway's current value.
     */
    private void restoreForgotten(final List<MarketData> forgotten)
    {
        final List<String> again = symbols.restore(forgotten);
        if (!again.isEmpty() && requests.isConnected())
        {
            requests.sendInParts("subscribe", again);
        }
    }

    private void onSubscribed(final JsonNode reply, final Pending request, final long current)
    {
        final List<String> accepted = new ArrayList<>();
        for (final JsonNode entry : reply.path("symbols"))
        {
            final String name = entry.path("symbol").asText();
            accepted.add(name);
            final MarketData data = symbols.get(name);
            if (null == data)
            {
                continue;   // unsubscribed while the request was in flight; its unsubscribe follows
            }
            final boolean fresh = data.acceptedGeneration != current;
            if (fresh)
            {
                data.forgetSeq();
            }
            if (SymbolTable.UNKNOWN_SYMBOL.equals(data.rejectReason()))
            {
                // The gateway has learnt a symbol it did not know (its feed is defining them): others may follow.
                timer.unknownSymbolLearnt();
            }
            data.accepted(entry.path("sid").asInt(), entry.path("priceScale").asInt(),
                entry.path("sizeScale").asInt(), current);
            adapter.bind(data.sid(), data, fresh);
        }
        final Map<String, String> rejected = new LinkedHashMap<>();
        for (final JsonNode entry : reply.path("rejected"))
        {
            final String name = entry.path("symbol").asText();
            final String reason = entry.path("reason").asText();
            rejected.put(name, reason);
            final MarketData data = symbols.get(name);
            if (null != data && data.acceptedGeneration != current)
            {
                onRejected(name, reason, data);
            }
        }
        if (null != request)
        {
            timer.answered(request);
            final SubscribeResult result = new SubscribeResult(accepted, rejected);
            request.subscribers.forEach(subscriber -> subscriber.answer(result));
        }
    }

    private void onRejected(final String name, final String reason, final MarketData data)
    {
        final boolean firstTime = !reason.equals(data.rejectReason());
        data.rejected(reason);
        if (firstTime)
        {
            listener.onError(ClientError.SYMBOL_REJECTED, name + ": " + reason);
        }
        if (data.hasValue())
        {
            // This session has no value for it (say, a restarted gateway that has not heard of it yet):
            // what an earlier session left is not the truth any more.
            data.clearValue();
            listener.onUpdate(data, true);
        }
        if (LIMIT_EXCEEDED.equals(reason))
        {
            // Asking again cannot succeed, and would take room in every resubscribe.
            symbols.remove(name);
        }
    }
}

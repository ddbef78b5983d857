package io.tickgate.gateway.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgate.gateway.symbols.Symbol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import static io.tickgate.protocol.WebSocketFrameDescriptor.OPCODE_TEXT;
import static io.tickgate.protocol.WebSocketFrameDescriptor.serverFrame;

/**
 * One session's control requests (PROTOCOL.md 1.1-1.2), validated by {@link ControlMessageAdapter}: each changes
 * the session's subscriptions or throttle, and queues its JSON reply ahead of the next update frame. Kept apart
 * from {@link Session}'s frame path: a request allocates (its JSON tree, its reply) where a frame allocates nothing.
 * <p>
 * Not thread-safe: runs on the session's IO thread.
 */
final class SessionRequests implements ControlListener
{
    private final Session session;
    private final SessionDispatcher dispatcher;

    SessionRequests(final Session session, final SessionDispatcher dispatcher)
    {
        this.session = session;
        this.dispatcher = dispatcher;
    }

    Session session()
    {
        return session;
    }

    @Override
    public void onSubscribe(final Long id, final List<String> symbols)
    {
        final SubscriptionTable table = session.table();
        final ObjectNode reply = reply("subscribed", id);
        final ArrayNode accepted = reply.putArray("symbols");
        final ArrayNode rejected = reply.putArray("rejected");
        final int[] newSids = new int[symbols.size()];
        final int[] newSlots = new int[symbols.size()];
        int added = 0;
        for (final String name : new LinkedHashSet<>(symbols))
        {
            final Symbol symbol = dispatcher.registry().byName(name);
            if (null == symbol)
            {
                rejected.addObject().put("symbol", echoed(name)).put("reason", "UNKNOWN_SYMBOL");
                continue;
            }
            int slot = table.slotOf(symbol.sid());
            if (SubscriptionTable.NO_SID == slot)
            {
                slot = table.add(symbol.sid());
                if (slot < 0)
                {
                    rejected.addObject().put("symbol", name).put("reason", "LIMIT_EXCEEDED");
                    continue;
                }
                newSids[added] = symbol.sid();
                newSlots[added++] = slot;
            }
            SubscriptionTable.set(table.snapshot, slot);
            accepted.addObject()
                .put("symbol", symbol.name())
                .put("sid", symbol.sid())
                .put("priceScale", symbol.priceScale())
                .put("sizeScale", symbol.sizeScale());
        }

        // Owed before the reply is queued: no update frame may come between "subscribed" and the snapshot.
        session.owesSnapshot();
        reply(reply);
        if (added > 0)
        {
            dispatcher.proxy().subscribe(session, Arrays.copyOf(newSids, added), Arrays.copyOf(newSlots, added));
        }
        session.pump();
    }

    /**
     * A requested name as a rejection repeats it: whole up to {@link Session#MAX_ECHOED_NAME} characters, which no
     * symbol reaches, else cut there and marked, so that a reply stays short whatever the text message limit.
     */
    static String echoed(final String name)
    {
        return name.length() <= Session.MAX_ECHOED_NAME ? name : name.substring(0, Session.MAX_ECHOED_NAME) + "...";
    }

    @Override
    public void onUnsubscribe(final Long id, final List<String> symbols)
    {
        final SubscriptionTable table = session.table();
        final ObjectNode reply = reply("unsubscribed", id);
        final ArrayNode removed = reply.putArray("symbols");
        final int[] sids = new int[symbols.size()];
        final int[] slots = new int[symbols.size()];
        int count = 0;
        for (final String name : new LinkedHashSet<>(symbols))
        {
            final Symbol symbol = dispatcher.registry().byName(name);
            if (null == symbol)
            {
                continue;
            }
            final int slot = table.remove(symbol.sid());
            if (slot >= 0)
            {
                sids[count] = symbol.sid();
                slots[count++] = slot;
                removed.add(symbol.name());
            }
        }
        if (count > 0)
        {
            dispatcher.proxy().unsubscribe(session, Arrays.copyOf(sids, count), Arrays.copyOf(slots, count));
        }
        reply(reply);
        session.pump();
    }

    @Override
    public void onThrottle(final Long id, final int maxRateHz)
    {
        final long newIntervalNs = 0 == maxRateHz ? 0 : 1_000_000_000L / maxRateHz;
        if ((0 == session.minIntervalNs()) != (0 == newIntervalNs))
        {
            if (0 == newIntervalNs)
            {
                dispatcher.counters().sessionsThrottled.decrement();
            }
            else
            {
                dispatcher.counters().sessionsThrottled.increment();
            }
        }
        session.minIntervalNs(newIntervalNs);
        reply(reply("throttled", id).put("maxRateHz", maxRateHz));
        session.pump();
    }

    @Override
    public void onPing(final Long id)
    {
        reply(reply("pong", id).put("serverTime", dispatcher.epochNanoTime()));
        session.pump();
    }

    @Override
    public void onBadRequest(final Long id, final String code, final String message)
    {
        dispatcher.counters().badRequests.increment();
        reply(error(id, code, message));
        session.pump();
    }

    ObjectNode error(final Long id, final String code, final String message)
    {
        return reply("error", id).put("code", code).put("message", message);
    }

    private ObjectNode reply(final String op, final Long id)
    {
        final ObjectNode node = dispatcher.mapper().createObjectNode().put("op", op);
        if (null != id)
        {
            node.put("id", id.longValue());
        }
        return node;
    }

    void reply(final ObjectNode reply)
    {
        final byte[] json;
        try
        {
            json = dispatcher.mapper().writeValueAsBytes(reply);
        }
        catch (final IOException ex)
        {
            // Cannot happen for a tree of our own; if it did, the request would go unanswered: a bug, closed 1011.
            throw new UncheckedIOException("could not serialise a reply", ex);
        }
        session.queueFrame(serverFrame(OPCODE_TEXT, json, json.length));
    }
}

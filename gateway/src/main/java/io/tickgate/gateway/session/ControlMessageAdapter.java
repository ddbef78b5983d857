package io.tickgate.gateway.session;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one text message of the client protocol (PROTOCOL.md 1.1) with Jackson and dispatches it to a
 * {@link ControlListener}, or reports exactly what is wrong with it.
 * <p>
 * Thread-safe (stateless; the mapper is shared). Control messages are rare next to ticks, so allocation here is
 * accepted. Not final: a test replaces it with one that fails the way a bug would.
 */
class ControlMessageAdapter
{
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String TOO_LARGE = "TOO_LARGE";
    static final String RATE_LIMITED = "RATE_LIMITED";
    static final int MAX_THROTTLE_HZ = 1_000_000;

    private final ObjectMapper mapper;
    private final int maxSymbolsPerRequest;

    ControlMessageAdapter(final ObjectMapper mapper, final int maxSymbolsPerRequest)
    {
        this.mapper = mapper;
        this.maxSymbolsPerRequest = maxSymbolsPerRequest;
    }

    ObjectMapper mapper()
    {
        return mapper;
    }

    void onMessage(final byte[] bytes, final int length, final ControlListener listener)
    {
        final JsonNode request;
        final boolean trailing;
        try (JsonParser parser = mapper.createParser(bytes, 0, length))
        {
            request = mapper.readTree(parser);
            // One object per message: a second one after it would otherwise be dropped without a reply.
            trailing = null != request && hasMore(parser);
        }
        catch (final StreamConstraintsException ex)
        {
            // Well-formed, but past one of the parser's limits (docs/protocol.md 1.2): said as such, not "malformed".
            listener.onBadRequest(null, BAD_REQUEST, "request too complex: " + limitExceeded(ex));
            return;
        }
        catch (final IOException ex)
        {
            listener.onBadRequest(null, BAD_REQUEST, "malformed JSON");
            return;
        }
        if (null == request || !request.isObject())
        {
            listener.onBadRequest(null, BAD_REQUEST, "a request must be a JSON object");
            return;
        }

        final JsonNode idNode = request.get("id");
        Long id = null;
        if (null != idNode)
        {
            // null is not "no id": the request would be carried out and answered with nothing to match it by.
            if (idNode.isNull())
            {
                listener.onBadRequest(null, BAD_REQUEST, "id must be an integer; leave it out to send none");
                return;
            }
            if (!idNode.isIntegralNumber())
            {
                listener.onBadRequest(null, BAD_REQUEST, "id must be an integer");
                return;
            }
            if (!idNode.canConvertToLong())
            {
                listener.onBadRequest(null, BAD_REQUEST, "id must be a signed 64-bit integer, from " + Long.MIN_VALUE +
                    " to " + Long.MAX_VALUE);
                return;
            }
            id = idNode.longValue();
        }
        if (trailing)
        {
            listener.onBadRequest(id, BAD_REQUEST, "a text message holds one JSON object; something follows it");
            return;
        }

        final JsonNode opNode = request.get("op");
        if (null == opNode || !opNode.isTextual())
        {
            listener.onBadRequest(id, BAD_REQUEST, "op must be a string");
            return;
        }

        final String op = opNode.textValue();
        switch (op)
        {
            case "subscribe":
            case "unsubscribe":
                onSymbolsRequest(id, op, request.get("symbols"), listener);
                break;

            case "throttle":
                onThrottleRequest(id, request.get("maxRateHz"), listener);
                break;

            case "ping":
                listener.onPing(id);
                break;

            default:
                listener.onBadRequest(id, BAD_REQUEST, "unknown op: " + abbreviate(op));
                break;
        }
    }

    /**
     * Whether anything but white space follows the value just read. What follows need not be JSON: once a whole
     * request was read, its id is known and the error reply can carry it.
     */
    private static boolean hasMore(final JsonParser parser)
    {
        try
        {
            return null != parser.nextToken();
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    private void onSymbolsRequest(
        final Long id, final String op, final JsonNode symbols, final ControlListener listener)
    {
        if (null == symbols || !symbols.isArray())
        {
            listener.onBadRequest(id, BAD_REQUEST, "symbols must be an array of strings");
            return;
        }
        if (symbols.size() > maxSymbolsPerRequest)
        {
            listener.onBadRequest(id, BAD_REQUEST, "at most " + maxSymbolsPerRequest + " symbols per request");
            return;
        }
        final List<String> names = new ArrayList<>(symbols.size());
        for (final JsonNode symbol : symbols)
        {
            if (!symbol.isTextual())
            {
                listener.onBadRequest(id, BAD_REQUEST, "symbols must be an array of strings");
                return;
            }
            names.add(symbol.textValue());
        }

        if ("subscribe".equals(op))
        {
            listener.onSubscribe(id, names);
        }
        else
        {
            listener.onUnsubscribe(id, names);
        }
    }

    private static void onThrottleRequest(final Long id, final JsonNode rate, final ControlListener listener)
    {
        if (null == rate || !rate.isIntegralNumber() || !rate.canConvertToInt() || rate.intValue() < 0 ||
            rate.intValue() > MAX_THROTTLE_HZ)
        {
            listener.onBadRequest(id, BAD_REQUEST, "maxRateHz must be an integer from 0 to " + MAX_THROTTLE_HZ);
            return;
        }
        listener.onThrottle(id, rate.intValue());
    }

    /**
     * Which limit: Jackson's own words up to where they name its configuration class.
     */
    private static String limitExceeded(final StreamConstraintsException ex)
    {
        final String message = String.valueOf(ex.getOriginalMessage());
        final int from = message.indexOf(", from ");
        final String limit = from > 0 ? message.substring(0, from) + ")" : message;
        final String plain = limit.replace("`", "");
        return plain.length() <= 160 ? plain : plain.substring(0, 160) + "...";
    }

    private static String abbreviate(final String text)
    {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}

package io.tickgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Collection;

/**
 * The JSON of the protocol's control messages (docs/protocol.md 1.2): requests written, replies read, and the
 * size a name adds to a request, for keeping requests within the gateway's limits. Control messages are rare, so
 * they may allocate; binary frames never come here.
 * <p>
 * Stateless, so thread-safe (Jackson's {@link ObjectMapper} is, once configured).
 */
final class ControlMessageCodec
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ControlMessageCodec()
    {
    }

    /**
     * A request: {@code op} and {@code id}, then {@code symbols} unless {@code names} is null, then
     * {@code maxRateHz} unless it is negative.
     */
    static String encodeRequest(final String op, final long id, final Collection<String> names, final int maxRateHz)
    {
        final ObjectNode request = MAPPER.createObjectNode().put("op", op).put("id", id);
        if (null != names)
        {
            final ArrayNode array = request.putArray("symbols");
            names.forEach(array::add);
        }
        if (maxRateHz >= 0)
        {
            request.put("maxRateHz", maxRateHz);
        }
        return request.toString();
    }

    /**
     * UTF-8 bytes of {@code name} as a JSON string, with its separating comma.
     */
    static int nameBytes(final String name)
    {
        try
        {
            return MAPPER.writeValueAsBytes(name).length + 1;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot encode a symbol name", ex);
        }
    }

    static JsonNode decodeReply(final String message) throws IOException
    {
        return MAPPER.readTree(message);
    }
}

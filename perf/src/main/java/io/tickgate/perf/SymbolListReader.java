package io.tickgate.perf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tickgate.gateway.conflation.LastValueCache;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of a {@code GET /api/symbols} that answered 200: a JSON array of objects, each with the symbol's
 * name as a string {@code symbol} and its {@code sid} as a whole number. Those two are all the plan needs; every
 * other field is ignored (the gateway adds the scales, flags and latest value, the peers the scales). Anything else
 * is refused with one line that names the URL and what was wrong, never the parser's own text. Stateless.
 */
final class SymbolListReader
{
    static final String EXPECTED = "expected a JSON array of {\"symbol\": \"...\", \"sid\": N, ...}";

    /**
     * No gateway hands out a higher sid (its last-value cache holds at most this many symbols), and the load
     * generator indexes a table by sid, so a larger one is a broken list, not a big one.
     */
    static final int MAX_SID = LastValueCache.MAX_CAPACITY - 1;

    private static final int QUOTED_BODY_LENGTH = 40;
    private static final ObjectReader READER =
        LoadTest.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SymbolListReader()
    {
    }

    /**
     * The symbols in the order listed; throws naming {@code uri} when {@code body} is not the symbol list.
     */
    static List<SubscriptionPlan.SymbolRef> read(final URI uri, final String body) throws IOException
    {
        final List<SubscriptionPlan.SymbolRef> symbols = new ArrayList<>();
        final String wrong = parse(body, symbols);
        if (null != wrong)
        {
            throw new IOException("GET " + uri + " answered 200 with a body that is not the symbol list (" +
                EXPECTED + "): " + wrong);
        }
        return symbols;
    }

    /**
     * Fills {@code symbols} and returns null, or returns what is wrong with {@code body}.
     */
    private static String parse(final String body, final List<SubscriptionPlan.SymbolRef> symbols)
    {
        if (body.isBlank())
        {
            return "the body is empty";
        }
        final JsonNode list;
        try
        {
            list = READER.readTree(body);
        }
        catch (final JsonProcessingException ex)
        {
            return "the body is not JSON: " + quote(body);
        }
        if (!list.isArray())
        {
            return "the body is " + describe(list) + ", not an array";
        }
        final Map<String, Integer> indexByName = new HashMap<>();
        final Map<Integer, String> nameBySid = new HashMap<>();
        for (int i = 0; i < list.size(); i++)
        {
            final JsonNode entry = list.get(i);
            if (!entry.isObject())
            {
                return "entry " + i + " is " + describe(entry) + ", not an object";
            }
            final JsonNode symbol = entry.get("symbol");
            if (null == symbol || !symbol.isTextual() || symbol.asText().isEmpty())
            {
                return "entry " + i + " has " + (null == symbol ? "no \"symbol\"" :
                    "\"symbol\" " + describe(symbol) + ", not a name");
            }
            final String name = symbol.asText();
            final JsonNode sid = entry.get("sid");
            if (null == sid || !sid.isIntegralNumber() || !sid.canConvertToInt() || sid.asInt() < 0 ||
                sid.asInt() > MAX_SID)
            {
                return "entry " + i + " (" + quote(name) + ") has " + (null == sid ? "no \"sid\"" :
                    "\"sid\" " + describe(sid) + ", not a whole number from 0 to " + MAX_SID);
            }
            final Integer earlier = indexByName.putIfAbsent(name, i);
            if (null != earlier)
            {
                return "entries " + earlier + " and " + i + " both list " + quote(name);
            }
            final String sameSid = nameBySid.putIfAbsent(sid.asInt(), name);
            if (null != sameSid)
            {
                return quote(sameSid) + " and " + quote(name) + " both have sid " + sid.asInt();
            }
            symbols.add(new SubscriptionPlan.SymbolRef(name, sid.asInt()));
        }
        return null;
    }

    private static String describe(final JsonNode node)
    {
        return switch (node.getNodeType())
        {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string " + quote(node.asText());
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> node.asText();
            default -> "null";
        };
    }

    /**
     * Up to {@link #QUOTED_BODY_LENGTH} characters in quotes, control characters shown as {@code ?}, so a page or
     * binary answer stays on one short line.
     */
    private static String quote(final String text)
    {
        final String start = text.length() > QUOTED_BODY_LENGTH ? text.substring(0, QUOTED_BODY_LENGTH) : text;
        final StringBuilder quoted = new StringBuilder(start.length() + 5).append('"');
        start.codePoints().forEach(c -> quoted.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return quoted.append(text.length() > QUOTED_BODY_LENGTH ? "...\"" : "\"").toString();
    }
}

package io.tickgate.perf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which symbols each connection subscribes to: connection {@code i} takes the {@code symbolsPerConnection}
 * consecutive symbols from index {@code i * symbolsPerConnection} (mod the symbol count), so the subscriptions walk
 * round the symbol list and every symbol ends up with the same number of subscribers, give or take one.
 * Immutable.
 */
final class SubscriptionPlan
{
    /**
     * One symbol to subscribe to; {@code sid} is -1 when the server did not list it (it is then learned from the
     * {@code subscribed} reply).
     */
    record SymbolRef(String name, int sid)
    {
    }

    private final List<SymbolRef> symbols;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final int connections;
    private final int symbolsPerConnection;
    private final int[] subscribersBySymbol;

    SubscriptionPlan(final List<SymbolRef> symbols, final int connections, final int symbolsPerConnection)
    {
        if (symbols.isEmpty())
        {
            throw new IllegalArgumentException("the gateway knows no symbols yet");
        }
        if (symbolsPerConnection > symbols.size())
        {
            throw new IllegalArgumentException("--symbols-per-connection " + symbolsPerConnection +
                " is more than the " + symbols.size() + " symbols the gateway knows");
        }
        this.symbols = List.copyOf(symbols);
        this.connections = connections;
        this.symbolsPerConnection = symbolsPerConnection;
        this.subscribersBySymbol = new int[symbols.size()];
        for (int i = 0; i < symbols.size(); i++)
        {
            indexByName.put(symbols.get(i).name(), i);
        }
        for (int i = 0; i < connections; i++)
        {
            for (int j = 0; j < symbolsPerConnection; j++)
            {
                subscribersBySymbol[symbolIndex(i, j)]++;
            }
        }
    }

    int connections()
    {
        return connections;
    }

    int symbolsPerConnection()
    {
        return symbolsPerConnection;
    }

    int symbolCount()
    {
        return symbols.size();
    }

    int firstSymbolIndex(final int connection)
    {
        return (int)(((long)connection * symbolsPerConnection) % symbols.size());
    }

    int symbolIndex(final int connection, final int slot)
    {
        return (firstSymbolIndex(connection) + slot) % symbols.size();
    }

    SymbolRef symbol(final int index)
    {
        return symbols.get(index);
    }

    /**
     * The plan index of the symbol named {@code name}, or -1 when it is not in the plan.
     */
    int indexOf(final String name)
    {
        return indexByName.getOrDefault(name, -1);
    }

    int minSubscribersPerSymbol()
    {
        return Arrays.stream(subscribersBySymbol).min().orElse(0);
    }

    int maxSubscribersPerSymbol()
    {
        return Arrays.stream(subscribersBySymbol).max().orElse(0);
    }

    /**
     * Index by sid of each symbol's place in the plan, -1 for sids not in it (or not known yet); what
     * {@link FrameRecorder} looks up.
     */
    int[] symbolIndexBySid()
    {
        final int maxSid = symbols.stream().mapToInt(SymbolRef::sid).max().orElse(0);
        final int[] bySid = new int[Math.max(0, maxSid) + 1];
        Arrays.fill(bySid, -1);
        for (int i = 0; i < symbols.size(); i++)
        {
            final int sid = symbols.get(i).sid();
            if (sid >= 0)
            {
                bySid[sid] = i;
            }
        }
        return bySid;
    }

    /**
     * The text of connection {@code i}'s subscribe request.
     */
    String subscribeRequest(final int connection)
    {
        final StringBuilder json = new StringBuilder(32 + symbolsPerConnection * 12)
            .append("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[");
        for (int j = 0; j < symbolsPerConnection; j++)
        {
            if (j > 0)
            {
                json.append(',');
            }
            final String name = symbol(symbolIndex(connection, j)).name();
            json.append('"').append(name.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append("]}").toString();
    }
}

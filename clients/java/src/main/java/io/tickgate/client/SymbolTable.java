package io.tickgate.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wanted symbols, in the order they were first subscribed, each with its latest value: what every resubscribe
 * asks for, what {@code read} copies from, and what the frame adapter's sid bindings point into.
 * <p>
 * Not thread-safe: guarded by the client's monitor, {@link ClientConductor#lock}.
 */
final class SymbolTable
{
    static final String UNKNOWN_SYMBOL = "UNKNOWN_SYMBOL";

    private final FrameAdapter adapter;
    private final LinkedHashMap<String, MarketData> symbols = new LinkedHashMap<>();

    SymbolTable(final FrameAdapter adapter)
    {
        this.adapter = adapter;
    }

    MarketData get(final String name)
    {
        return symbols.get(name);
    }

    void remove(final String name)
    {
        symbols.remove(name);
    }

    /**
     * Makes {@code names} wanted.
     *
     * @return the names that were not wanted already, in the order asked.
     */
    List<String> add(final String[] names)
    {
        final List<String> added = new ArrayList<>();
        for (final String name : names)
        {
            if (!symbols.containsKey(name))
            {
                symbols.put(name, new MarketData(name));
                added.add(name);
            }
        }
        return added;
    }

    /**
     * Stops wanting {@code names}; from now on no update reaches them.
     *
     * @param current the client's connection, null while it has none.
     * @return what was held for the names that were wanted, in the order asked, each once.
     */
    Map<String, MarketData> remove(final String[] names, final Connection current)
    {
        final Map<String, MarketData> removed = new LinkedHashMap<>();
        for (final String name : names)
        {
            final MarketData data = symbols.remove(name);
            if (null != data)
            {
                // A sid is only this session's if this session accepted the symbol; an older one may be reused.
                if (null != current && data.acceptedGeneration == current.generation)
                {
                    adapter.unbind(data.sid());
                }
                removed.put(name, data);
            }
        }
        return removed;
    }

    /**
     * A subscribe refused as a whole accepted none of its names: the ones it added are not wanted, or every
     * resubscribe after a reconnect would carry them and be refused in turn. One the session accepted meanwhile
     * stays.
     */
    void forgetRefused(final List<String> added, final long generation)
    {
        for (final String name : added)
        {
            final MarketData data = symbols.get(name);
            if (null != data && data.acceptedGeneration != generation)
            {
                symbols.remove(name);
            }
        }
    }

    /**
     * Holds {@code forgotten} again, each unless subscribed anew meanwhile.
     *
     * @return the names held again, to ask the gateway for.
     */
    List<String> restore(final List<MarketData> forgotten)
    {
        final List<String> again = new ArrayList<>();
        for (final MarketData data : forgotten)
        {
            if (null == symbols.putIfAbsent(data.symbol(), data))
            {
                again.add(data.symbol());
            }
        }
        return again;
    }

    /**
     * The names the gateway last rejected as {@link #UNKNOWN_SYMBOL}, in table order.
     */
    List<String> unknown()
    {
        final List<String> unknown = new ArrayList<>();
        for (final MarketData data : symbols.values())
        {
            if (UNKNOWN_SYMBOL.equals(data.rejectReason()))
            {
                unknown.add(data.symbol());
            }
        }
        return unknown;
    }

    /**
     * Every wanted name, in a list of its own that the caller may keep.
     */
    List<String> names()
    {
        return new ArrayList<>(symbols.keySet());
    }

    /**
     * @return false, with {@code into} unchanged, when {@code symbol} is not wanted.
     */
    boolean read(final String symbol, final MarketData into)
    {
        final MarketData data = symbols.get(symbol);
        if (null == data)
        {
            return false;
        }
        into.copyFrom(data);
        return true;
    }
}

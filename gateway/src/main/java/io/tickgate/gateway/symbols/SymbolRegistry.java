package io.tickgate.gateway.symbols;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Symbol name to {@code sid} and back. A symbol keeps its sid for the life of the gateway, so a feed that
 * restarts, or a second source that defines the same name, maps onto the same last-value slot.
 * <p>
 * Thread-safe. {@link #register} is called by feed sources when a definition arrives (rare, allocation is
 * fine); lookups by sid are a plain array read and never allocate. A later definition with other scales
 * replaces the symbol object under the same sid, so readers see the newest scales.
 */
public final class SymbolRegistry
{
    private final int capacity;
    private final ConcurrentHashMap<String, Symbol> byName = new ConcurrentHashMap<>();
    /** Each slot is release-stored after its symbol is built, so a reader that sees it sees it whole. */
    private final AtomicReferenceArray<Symbol> bySid;
    /** Next sid to hand out; may pass capacity when the table is full. */
    private final AtomicInteger nextSid = new AtomicInteger();

    public SymbolRegistry(final int capacity)
    {
        this.capacity = capacity;
        this.bySid = new AtomicReferenceArray<>(capacity);
    }

    /**
     * Registers or refreshes a definition.
     *
     * @return the symbol, or null when the table is full (the caller counts it and drops the definition).
     */
    public Symbol register(final String name, final int priceScale, final int sizeScale, final int sourceId)
    {
        final Symbol existing = byName.get(name);
        if (null != existing && existing.priceScale() == priceScale && existing.sizeScale() == sizeScale &&
            existing.sourceId() == sourceId)
        {
            return existing;
        }

        return byName.compute(name, (key, old) ->
        {
            final int sid;
            if (null == old)
            {
                sid = nextSid.getAndIncrement();
                if (sid >= capacity)
                {
                    return null;
                }
            }
            else
            {
                sid = old.sid();
            }
            final Symbol symbol = new Symbol(key, sid, priceScale, sizeScale, sourceId);
            bySid.set(sid, symbol);
            return symbol;
        });
    }

    public Symbol bySid(final int sid)
    {
        return sid >= 0 && sid < capacity ? bySid.get(sid) : null;
    }

    public Symbol byName(final String name)
    {
        return byName.get(name);
    }

    /**
     * Number of sids handed out so far. A sid just handed out may still read null from {@link #bySid} for the
     * moment its definition is being stored, so iterating readers skip nulls.
     */
    public int count()
    {
        return Math.min(nextSid.get(), capacity);
    }

    public int capacity()
    {
        return capacity;
    }
}

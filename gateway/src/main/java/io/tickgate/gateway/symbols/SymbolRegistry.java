package io.tickgate.gateway.symbols;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Symbol name to {@code sid} and back. A symbol keeps its sid for the life of the gateway, so a feed that
 * restarts, or a second source that defines the same name, maps onto the same last-value slot.
 * <p>
 * Thread-safe. {@link #register} is called by feed sources when a definition arrives (rare, allocation is
 * fine); lookups by sid are a plain array read and never allocate. A symbol's scales are fixed by its first
 * definition: clients learn them once, in their {@code subscribed} reply, and the protocol has no message to tell
 * them of a change, so a definition with other scales is refused (the caller sees the symbol it got back does not
 * have the scales it asked for).
 */
public final class SymbolRegistry
{
    private static final Logger LOG = LoggerFactory.getLogger(SymbolRegistry.class);

    private final int capacity;
    private final ConcurrentHashMap<String, Symbol> byName = new ConcurrentHashMap<>();
    /** Each slot is release-stored after its symbol is built, so a reader that sees it sees it whole. */
    private final AtomicReferenceArray<Symbol> bySid;
    /** Next sid to hand out; may pass capacity when the table is full. */
    private final AtomicInteger nextSid = new AtomicInteger();
    /** Names whose refused redefinition was logged: once per name, not at every repeat of the definition. */
    private final ConcurrentHashMap<String, String> refusalsLogged = new ConcurrentHashMap<>();

    public SymbolRegistry(final int capacity)
    {
        this.capacity = capacity;
        this.bySid = new AtomicReferenceArray<>(capacity);
    }

    /**
     * Registers or refreshes a definition.
     *
     * @return the symbol, null when the table is full (the caller counts it and drops the definition), or the
     *         symbol as it stands when it has other scales (see {@link Symbol#hasScales}; the caller refuses it).
     */
    public Symbol register(final String name, final int priceScale, final int sizeScale, final int sourceId)
    {
        final Symbol existing = byName.get(name);
        if (null != existing && existing.hasScales(priceScale, sizeScale) && existing.sourceId() == sourceId)
        {
            return existing;
        }

        final Symbol symbol = byName.compute(name, (key, old) ->
        {
            if (null != old && !old.hasScales(priceScale, sizeScale))
            {
                return old;
            }
            final int sid;
            if (null == old)
            {
                // Never past the capacity: a full table refuses every new name, however often feeds repeat them.
                sid = nextSid.getAndUpdate(next -> next < capacity ? next + 1 : next);
                if (sid >= capacity)
                {
                    return null;
                }
            }
            else
            {
                sid = old.sid();
            }
            final Symbol defined = new Symbol(key, sid, priceScale, sizeScale, sourceId);
            bySid.set(sid, defined);
            return defined;
        });
        if (null != symbol && !symbol.hasScales(priceScale, sizeScale) &&
            null == refusalsLogged.putIfAbsent(name, name))
        {
            LOG.warn("a definition of {} with price scale {} and size scale {} was refused: its scales are {} and " +
                "{} for the life of the gateway (clients hold them); its ticks are dropped until a definition with " +
                "those scales arrives. A rescaled instrument needs a new symbol name, or a gateway restart.",
                name, priceScale, sizeScale, symbol.priceScale(), symbol.sizeScale());
        }
        return symbol;
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

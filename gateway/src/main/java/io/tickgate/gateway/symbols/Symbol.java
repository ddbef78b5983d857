package io.tickgate.gateway.symbols;

/**
 * An immutable symbol definition: name, gateway {@code sid}, scales and the feed source it belongs to.
 */
public final class Symbol
{
    private final String name;
    private final int sid;
    private final int priceScale;
    private final int sizeScale;
    private final int sourceId;

    public Symbol(final String name, final int sid, final int priceScale, final int sizeScale, final int sourceId)
    {
        this.name = name;
        this.sid = sid;
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
        this.sourceId = sourceId;
    }

    public boolean hasScales(final int priceScale, final int sizeScale)
    {
        return this.priceScale == priceScale && this.sizeScale == sizeScale;
    }

    public String name()
    {
        return name;
    }

    public int sid()
    {
        return sid;
    }

    public int priceScale()
    {
        return priceScale;
    }

    public int sizeScale()
    {
        return sizeScale;
    }

    public int sourceId()
    {
        return sourceId;
    }

    @Override
    public String toString()
    {
        return name + "(sid=" + sid + ")";
    }
}

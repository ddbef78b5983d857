package io.tickgate.perf;

import java.util.Arrays;

/**
 * What one connection has received: the last {@code frameSeq}, the last entry {@code seq} per subscribed symbol and
 * the entries counted since the measurement began. Subscribed symbols are the {@code symbolsPerConnection}
 * consecutive indices (mod the symbol count) from {@code firstSymbolIndex}, so an entry's slot is found by
 * arithmetic instead of a per-connection map.
 * <p>
 * Not thread-safe; touched only by the selector thread.
 */
final class SessionTally
{
    final int firstSymbolIndex;
    final int symbolCount;
    final long[] lastSeqBySlot;
    long lastFrameSeq;
    long entries;
    long frames;
    /** Σ of how far {@code seq} advanced per subscribed symbol since the measurement began (see FrameRecorder). */
    long seqAdvance;

    SessionTally(final int firstSymbolIndex, final int symbolsPerConnection, final int symbolCount)
    {
        this.firstSymbolIndex = firstSymbolIndex;
        this.symbolCount = symbolCount;
        this.lastSeqBySlot = new long[symbolsPerConnection];
        Arrays.fill(lastSeqBySlot, Long.MIN_VALUE);
    }

    /**
     * Slot of the symbol at {@code symbolIndex}, or -1 when this connection did not subscribe to it.
     */
    int slotOf(final int symbolIndex)
    {
        final int slot = Math.floorMod(symbolIndex - firstSymbolIndex, symbolCount);
        return slot < lastSeqBySlot.length ? slot : -1;
    }

    void resetCounts()
    {
        entries = 0;
        frames = 0;
        seqAdvance = 0;
    }
}

package io.tickgate.gateway.session;

import org.agrona.collections.Int2IntHashMap;

import java.util.Arrays;

/**
 * One session's subscriptions: a slot per subscribed sid, and per slot what was last sent (seq, feed update
 * count, time) so entries are never repeated, conflated counts are exact and throttling is per symbol.
 * {@code dirty} holds the slots with something to send (taken from the pending set, or held back by the
 * throttle); {@code snapshot} the slots owed a snapshot entry.
 * <p>
 * Not thread-safe: touched only by the session's IO thread. Arrays grow with the subscription count, never with
 * the feed rate.
 */
final class SubscriptionTable
{
    static final int NO_SID = -1;

    private final int maxSlots;
    private final Int2IntHashMap slotBySid = new Int2IntHashMap(NO_SID);
    private int[] freeSlots = new int[8];
    private int freeCount;
    private int highWater;

    int[] sidBySlot = new int[8];
    long[] lastSentSeq = new long[8];
    long[] lastSentUpdates = new long[8];
    long[] lastSentNs = new long[8];
    final long[] dirty;
    final long[] snapshot;

    SubscriptionTable(final int maxSlots)
    {
        this.maxSlots = maxSlots;
        final int words = (maxSlots + Long.SIZE - 1) / Long.SIZE;
        dirty = new long[words];
        snapshot = new long[words];
        Arrays.fill(sidBySlot, NO_SID);
    }

    int count()
    {
        return slotBySid.size();
    }

    /**
     * Most entries one frame can carry: every slot ever handed out, so never below {@link #count()}. A plain field,
     * cheaper per frame than asking the sid map for its size.
     */
    int maxEntries()
    {
        return highWater;
    }

    int slotOf(final int sid)
    {
        return slotBySid.get(sid);
    }

    /**
     * @return the new slot, or -1 when the session holds its maximum.
     */
    int add(final int sid)
    {
        final int slot;
        if (freeCount > 0)
        {
            slot = freeSlots[--freeCount];
        }
        else if (highWater < maxSlots)
        {
            slot = highWater++;
            ensureCapacity(highWater);
        }
        else
        {
            return -1;
        }
        sidBySlot[slot] = sid;
        lastSentSeq[slot] = 0;
        lastSentUpdates[slot] = 0;
        lastSentNs[slot] = Long.MIN_VALUE / 2;
        slotBySid.put(sid, slot);
        return slot;
    }

    /**
     * @return the freed slot, or -1 when the sid was not subscribed.
     */
    int remove(final int sid)
    {
        final int slot = slotBySid.remove(sid);
        if (NO_SID == slot)
        {
            return -1;
        }
        sidBySlot[slot] = NO_SID;
        clear(dirty, slot);
        clear(snapshot, slot);
        if (freeCount == freeSlots.length)
        {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
        return slot;
    }

    /**
     * Calls back every subscribed sid with its slot, for unsubscribing them all at close.
     */
    int[] subscribedSids()
    {
        final int[] sids = new int[slotBySid.size()];
        int i = 0;
        for (int slot = 0; slot < highWater; slot++)
        {
            if (NO_SID != sidBySlot[slot])
            {
                sids[i++] = sidBySlot[slot];
            }
        }
        return sids;
    }

    static void set(final long[] bits, final int slot)
    {
        bits[slot >>> 6] |= 1L << slot;
    }

    static void clear(final long[] bits, final int slot)
    {
        bits[slot >>> 6] &= ~(1L << slot);
    }

    /**
     * Words of the slot bitmaps that can hold a bit: slots are handed out from the bottom, so those below the
     * highest slot ever used. A session with 20 symbols scans one word per frame, not the 64 of the limit.
     */
    int usedWords()
    {
        return (highWater + Long.SIZE - 1) >>> 6;
    }

    /**
     * Reads the table and the start of its arrays, for {@link Session#readAhead}; returns a sum of what it read.
     */
    long readAheadArrays()
    {
        return highWater + dirty[0] + sidBySlot.length + lastSentSeq.length + lastSentUpdates.length
            + lastSentNs.length;
    }

    /**
     * Reads the per-slot state of the slots below 64 marked in {@code pendingHint} or dirty, for
     * {@link Session#readAhead}; slots past the arrays (never handed out) are skipped. Returns a sum of what it read.
     */
    long readAheadSlots(final long pendingHint)
    {
        long bits = pendingHint | dirty[0];
        long sum = 0;
        final int[] sids = sidBySlot;
        final long[] seqs = lastSentSeq;
        final long[] updates = lastSentUpdates;
        final long[] times = lastSentNs;
        while (0 != bits)
        {
            final int slot = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            if (slot < sids.length)
            {
                sum += sids[slot] + seqs[slot] + updates[slot] + times[slot];
            }
        }
        return sum;
    }

    boolean hasDirty()
    {
        for (int word = 0, words = usedWords(); word < words; word++)
        {
            if (0 != dirty[word])
            {
                return true;
            }
        }
        return false;
    }

    private void ensureCapacity(final int slots)
    {
        if (slots > sidBySlot.length)
        {
            final int oldLength = sidBySlot.length;
            final int newLength = Math.min(Math.max(slots, oldLength * 2), maxSlots);
            sidBySlot = Arrays.copyOf(sidBySlot, newLength);
            Arrays.fill(sidBySlot, oldLength, newLength, NO_SID);
            lastSentSeq = Arrays.copyOf(lastSentSeq, newLength);
            lastSentUpdates = Arrays.copyOf(lastSentUpdates, newLength);
            lastSentNs = Arrays.copyOf(lastSentNs, newLength);
        }
    }
}

package io.tickgate.gateway.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The subscription slots of one session that changed since its last flush: one bit per slot, so its size is
 * bounded by the number of subscriptions whatever the feed rate. A summary word says which words have bits.
 * <p>
 * Two threads: the conflator's thread marks (atomic OR on the word, then on the summary), the session's IO thread
 * takes (atomic swap of the summary, then of each word it names). A bit marked after its word was taken leaves
 * its summary bit set too, so it is found by the next take; nothing is lost, at worst a take finds an empty word.
 * Marking a bit that is still set costs only a read: under load most marks find their bit set.
 */
public final class PendingSet
{
    public static final int MAX_SLOTS = Long.SIZE * Long.SIZE;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SUMMARY;

    static
    {
        try
        {
            SUMMARY = MethodHandles.lookup().findVarHandle(PendingSet.class, "summary", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] words;
    @SuppressWarnings("unused")
    private volatile long summary;

    public PendingSet(final int capacity)
    {
        if (capacity < 1 || capacity > MAX_SLOTS)
        {
            throw new IllegalArgumentException("pending set capacity must be 1.." + MAX_SLOTS + ": " + capacity);
        }
        words = new long[(capacity + Long.SIZE - 1) / Long.SIZE];
    }

    public int capacity()
    {
        return words.length * Long.SIZE;
    }

    /**
     * Marks a slot pending; on the conflator's thread only, after a full fence that follows its cache update (see
     * {@code Subscriber#markPending}).
     *
     * @return false when the slot was already marked and not yet taken.
     */
    public boolean mark(final int slot)
    {
        final int word = slot >>> 6;
        final long bit = 1L << slot;
        // Still set: the IO thread has not swapped this word yet, so its swap, and its read of the cache after it,
        // come after this read and after the caller's fenced cache update. Nothing to do.
        if (0 != ((long)WORDS.getOpaque(words, word) & bit))
        {
            return false;
        }
        WORDS.getAndBitwiseOr(words, word, bit);
        // The summary bit may be skipped when set: a taker clears the summary before it swaps the word, so a set
        // summary bit means the word is still to be taken.
        final long summaryBit = 1L << word;
        if (0 == ((long)SUMMARY.getAcquire(this) & summaryBit))
        {
            SUMMARY.getAndBitwiseOr(this, summaryBit);
        }
        return true;
    }

    /**
     * Moves every pending bit into {@code into} (OR) and clears it here. The session's IO thread only.
     *
     * @return true if any bit was taken.
     */
    public boolean takeInto(final long[] into)
    {
        long summaryBits = (long)SUMMARY.getAndSet(this, 0L);
        boolean taken = false;
        while (0 != summaryBits)
        {
            final int word = Long.numberOfTrailingZeros(summaryBits);
            summaryBits &= summaryBits - 1;
            final long bits = (long)WORDS.getAndSet(words, word, 0L);
            if (0 != bits)
            {
                into[word] |= bits;
                taken = true;
            }
        }
        return taken;
    }

    /**
     * The marks of slots 0 to 63, an opaque read (no ordering, never torn): a hint of what the next take finds, for
     * reading ahead. IO thread.
     */
    long peekFirstWord()
    {
        return (long)WORDS.getOpaque(words, 0);
    }

    /**
     * Number of slots marked here or in {@code alsoMarked} (same layout: bit {@code slot & 63} of word
     * {@code slot >> 6}), each counted once; a racy count for diagnostics.
     */
    public int sizeWith(final long[] alsoMarked)
    {
        int size = 0;
        for (int i = 0, n = Math.max(words.length, alsoMarked.length); i < n; i++)
        {
            final long marked = i < words.length ? (long)WORDS.getVolatile(words, i) : 0L;
            size += Long.bitCount(marked | (i < alsoMarked.length ? alsoMarked[i] : 0L));
        }
        return size;
    }

    /**
     * Number of slots currently marked; a racy count for tests and diagnostics.
     */
    public int size()
    {
        int size = 0;
        for (int i = 0; i < words.length; i++)
        {
            size += Long.bitCount((long)WORDS.getVolatile(words, i));
        }
        return size;
    }
}

package io.tickgate.gateway.conflation;

import org.agrona.collections.Object2IntHashMap;

import java.util.Arrays;

/**
 * The subscribers of one sid with the slot each one gave the subscription. Parallel arrays, grown by doubling, which
 * the conflator walks on every tick; removal by swapping in the last entry, found through an index by subscriber (a
 * session holds a sid once), so that thousands of sessions leaving a popular symbol at once cost each a lookup
 * rather than a scan of all the others.
 * <p>
 * Not thread-safe: touched only by tickgate-conflator.
 */
final class SubscriberList
{
    private static final int MISSING = -1;

    Subscriber[] subscribers = new Subscriber[4];
    int[] slots = new int[4];
    int size;
    private final Object2IntHashMap<Subscriber> positions = new Object2IntHashMap<>(8, 0.6f, MISSING);

    void add(final Subscriber subscriber, final int slot)
    {
        if (size == subscribers.length)
        {
            subscribers = Arrays.copyOf(subscribers, size * 2);
            slots = Arrays.copyOf(slots, size * 2);
        }
        subscribers[size] = subscriber;
        slots[size] = slot;
        positions.put(subscriber, size);
        size++;
    }

    boolean remove(final Subscriber subscriber, final int slot)
    {
        int index = positions.getValue(subscriber);
        if (MISSING == index || slots[index] != slot || subscribers[index] != subscriber)
        {
            index = scan(subscriber, slot);
            if (MISSING == index)
            {
                return false;
            }
        }
        final int last = --size;
        if (positions.getValue(subscriber) == index)
        {
            positions.removeKey(subscriber);
        }
        if (index != last)
        {
            subscribers[index] = subscribers[last];
            slots[index] = slots[last];
            positions.put(subscribers[index], index);
        }
        subscribers[last] = null;
        return true;
    }

    /**
     * Only if the index and the arrays disagree, which a session holding a sid once never causes.
     */
    private int scan(final Subscriber subscriber, final int slot)
    {
        for (int i = 0; i < size; i++)
        {
            if (subscribers[i] == subscriber && slots[i] == slot)
            {
                return i;
            }
        }
        return MISSING;
    }
}

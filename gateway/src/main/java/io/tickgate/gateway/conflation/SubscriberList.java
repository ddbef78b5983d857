package io.tickgate.gateway.conflation;

import java.util.Arrays;

/**
 * The subscribers of one sid with the slot each one gave the subscription. Parallel arrays, grown by doubling,
 * removal by swapping in the last entry.
 * <p>
 * Not thread-safe: touched only by tickgate-conflator.
 */
final class SubscriberList
{
    Subscriber[] subscribers = new Subscriber[4];
    int[] slots = new int[4];
    int size;

    void add(final Subscriber subscriber, final int slot)
    {
        if (size == subscribers.length)
        {
            subscribers = Arrays.copyOf(subscribers, size * 2);
            slots = Arrays.copyOf(slots, size * 2);
        }
        subscribers[size] = subscriber;
        slots[size] = slot;
        size++;
    }

    boolean remove(final Subscriber subscriber, final int slot)
    {
        for (int i = 0; i < size; i++)
        {
            if (subscribers[i] == subscriber && slots[i] == slot)
            {
                final int last = --size;
                subscribers[i] = subscribers[last];
                slots[i] = slots[last];
                subscribers[last] = null;
                return true;
            }
        }
        return false;
    }
}

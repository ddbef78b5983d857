package io.tickgate.gateway.conflation;

/**
 * Wakes the thread that flushes a group of subscribers (an IO thread). The conflator calls {@link #wake()} at most
 * once per waker per duty cycle, however many of its subscribers became pending.
 */
public interface SubscriberWaker
{
    void wake();
}

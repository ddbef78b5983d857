package io.tickgate.gateway.conflation;

/**
 * What the conflator knows of a session: a set of subscription slots it can mark pending.
 */
public interface Subscriber
{
    /**
     * Marks a subscription slot pending. Called only on tickgate-conflator; must not block or touch a socket. The
     * conflator issues a full fence after it updates the cache and before it marks that symbol's subscribers, so an
     * implementation may skip its own atomic when the slot is still marked: the IO thread's take of that mark comes
     * after this call's read of it, and therefore sees the update (store-load ordered on both sides).
     *
     * @return the waker of the subscriber's IO thread when this mark moved the subscriber from idle to scheduled,
     * so the conflator wakes that thread once at the end of its duty cycle; null when no wake is needed.
     */
    SubscriberWaker markPending(int slot);
}

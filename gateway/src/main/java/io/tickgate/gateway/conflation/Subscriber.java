package io.tickgate.gateway.conflation;

/**
 * What the conflator knows of a session: a set of subscription slots it can mark pending.
 */
public interface Subscriber
{
    /**
     * Marks a subscription slot pending. Called only on tickgate-conflator; must not block or touch a socket.
     *
     * @return the waker of the subscriber's IO thread when this mark moved the subscriber from idle to scheduled,
     * so the conflator wakes that thread once at the end of its duty cycle; null when no wake is needed.
     */
    SubscriberWaker markPending(int slot);
}

package io.tickgate.gateway.conflation;

import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

/**
 * How IO threads change the subscription table: each call enqueues a command that tickgate-conflator applies on
 * its next duty cycle. Thread-safe; lock-free.
 */
public final class ConflatorProxy
{
    private final ManyToOneConcurrentLinkedQueue<SubscriptionCommand> commands;
    /** Run after each enqueue; null when the conflator polls its queue anyway. */
    private final Runnable wake;

    ConflatorProxy(final ManyToOneConcurrentLinkedQueue<SubscriptionCommand> commands, final Runnable wake)
    {
        this.commands = commands;
        this.wake = wake;
    }

    /**
     * Adds subscriptions; the conflator marks each slot pending once it applied them, so a change that happened
     * between the caller's snapshot and the registration still reaches the subscriber.
     */
    public void subscribe(final Subscriber subscriber, final int[] sids, final int[] slots)
    {
        commands.offer(new SubscriptionCommand(SubscriptionCommand.SUBSCRIBE, subscriber, sids, slots));
        wake();
    }

    public void unsubscribe(final Subscriber subscriber, final int[] sids, final int[] slots)
    {
        commands.offer(new SubscriptionCommand(SubscriptionCommand.UNSUBSCRIBE, subscriber, sids, slots));
        wake();
    }

    private void wake()
    {
        if (null != wake)
        {
            wake.run();
        }
    }
}

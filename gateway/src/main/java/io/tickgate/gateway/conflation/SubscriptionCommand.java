package io.tickgate.gateway.conflation;

/**
 * A change to the subscription table, built on an IO thread and applied on tickgate-conflator. Immutable; the
 * queue it travels through gives the happens-before.
 */
final class SubscriptionCommand
{
    static final int SUBSCRIBE = 1;
    static final int UNSUBSCRIBE = 2;

    final int type;
    final Subscriber subscriber;
    final int[] sids;
    final int[] slots;

    SubscriptionCommand(final int type, final Subscriber subscriber, final int[] sids, final int[] slots)
    {
        this.type = type;
        this.subscriber = subscriber;
        this.sids = sids;
        this.slots = slots;
    }
}

package io.tickgate.gateway.conflation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriberListTest
{
    private record Entry(Subscriber subscriber, int slot)
    {
    }

    /** One instance per session, as sessions are (a lambda without captures would be one shared instance). */
    private static final class Session implements Subscriber
    {
        @Override
        public SubscriberWaker markPending(final int slot)
        {
            return null;
        }
    }

    @Test
    void shouldHoldExactlyTheSubscriptionsAddedAndNotRemovedWhateverTheOrder()
    {
        final Random random = new Random(7);
        final List<Subscriber> sessions = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            sessions.add(new Session());
        }
        final SubscriberList list = new SubscriberList();
        final List<Entry> model = new ArrayList<>();
        final Set<Subscriber> present = new HashSet<>();
        for (int step = 0; step < 20_000; step++)
        {
            if (!model.isEmpty() && random.nextInt(3) == 0)
            {
                final Entry gone = model.remove(random.nextInt(model.size()));
                present.remove(gone.subscriber());
                assertThat(list.remove(gone.subscriber(), gone.slot())).isTrue();
                assertThat(list.remove(gone.subscriber(), gone.slot())).as("removed once").isFalse();
            }
            else
            {
                final Subscriber session = sessions.get(random.nextInt(sessions.size()));
                if (present.add(session))
                {
                    final Entry added = new Entry(session, random.nextInt(4096));
                    model.add(added);
                    list.add(added.subscriber(), added.slot());
                }
            }
            if (step % 97 == 0)
            {
                assertSameEntries(list, model);
            }
        }
        assertSameEntries(list, model);
    }

    @Test
    void shouldRemoveOnlyTheSlotGivenAndReportOneNeverAdded()
    {
        final Subscriber a = new Session();
        final Subscriber b = new Session();
        final SubscriberList list = new SubscriberList();
        list.add(a, 1);
        list.add(b, 2);

        assertThat(list.remove(a, 2)).as("a holds this sid in slot 1, not 2").isFalse();
        assertThat(list.remove(new Session(), 1)).isFalse();
        assertThat(list.size).isEqualTo(2);
        assertThat(list.remove(a, 1)).isTrue();
        assertThat(list.size).isEqualTo(1);
        assertThat(list.subscribers[0]).isSameAs(b);
        assertThat(list.slots[0]).isEqualTo(2);
        assertThat(list.subscribers[1]).as("no reference kept past the end").isNull();
    }

    private static void assertSameEntries(final SubscriberList list, final List<Entry> model)
    {
        final List<Entry> held = new ArrayList<>();
        for (int i = 0; i < list.size; i++)
        {
            held.add(new Entry(list.subscribers[i], list.slots[i]));
        }
        assertThat(held).containsExactlyInAnyOrderElementsOf(model);
        for (int i = list.size; i < list.subscribers.length; i++)
        {
            assertThat(list.subscribers[i]).isNull();
        }
    }
}

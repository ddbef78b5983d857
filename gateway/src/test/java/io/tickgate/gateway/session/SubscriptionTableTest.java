package io.tickgate.gateway.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A session's slot table: freed slots are reused, and the frame size it reports always covers every subscription,
 * since the frame buffer is sized from it before a snapshot or update is encoded.
 */
class SubscriptionTableTest
{
    @Test
    void shouldReuseFreedSlotsAndKeepMaxEntriesAtLeastTheSubscriptionCount()
    {
        final SubscriptionTable table = new SubscriptionTable(200);
        for (int sid = 0; sid < 150; sid++)
        {
            assertThat(table.add(sid)).isEqualTo(sid);
            assertThat(table.maxEntries()).isGreaterThanOrEqualTo(table.count());
        }
        for (int sid = 0; sid < 150; sid += 2)
        {
            assertThat(table.remove(sid)).isEqualTo(sid);
        }
        assertThat(table.count()).isEqualTo(75);
        assertThat(table.maxEntries()).isEqualTo(150);

        for (int sid = 1000; sid < 1125; sid++)
        {
            assertThat(table.add(sid)).isNotNegative();
            assertThat(table.maxEntries()).isGreaterThanOrEqualTo(table.count());
        }
        assertThat(table.count()).isEqualTo(200);
        assertThat(table.maxEntries()).isEqualTo(200);
        assertThat(table.add(5000)).isEqualTo(-1);
        assertThat(table.remove(5000)).isEqualTo(-1);
        assertThat(table.subscribedSids()).hasSize(200).contains(1, 149, 1000, 1124).doesNotContain(0, 148);
    }

    @Test
    void shouldReadAheadOnlySlotsTheTableHolds()
    {
        final SubscriptionTable table = new SubscriptionTable(64);
        table.add(7);
        table.add(8);
        // The pending marks are a hint read without the take: they may name any of the first 64 slots, most of
        // them past the arrays, which grow with the slots handed out. Reading ahead must skip those, not throw on
        // the IO thread.
        assertThatCode(() -> table.readAheadSlots(-1L)).doesNotThrowAnyException();
        SubscriptionTable.set(table.dirty, 63);
        assertThatCode(() -> table.readAheadSlots(0L)).doesNotThrowAnyException();
    }
}

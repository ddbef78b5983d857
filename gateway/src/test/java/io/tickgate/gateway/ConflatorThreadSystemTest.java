package io.tickgate.gateway;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every end-to-end guarantee of {@link GatewaySystemTest} again with the conflator on a thread of its own (the
 * default runs it with the feed handler on the IO thread), and a burst that fills the smallest ring in each layout
 * where the feed handler and the conflator share a thread: that thread must conflate to make room, never wait for
 * itself.
 */
class ConflatorThreadSystemTest extends GatewaySystemTest
{
    @Override
    protected Gateway.Context configure(final Gateway.Context ctx)
    {
        return ctx.conflatorIdleStrategy("park");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io", "feed"})
    void shouldConflateToMakeRoomWhenABurstFillsTheRing(final String layout)
    {
        try (GatewayFixture fixture = GatewayFixture.launch(
            ctx -> ctx.conflatorIdleStrategy(layout).ringCapacity(64 * 1024)))
        {
            fixture.feed.define(1, "FULL", 2, 0);
            fixture.awaitSymbol("FULL");
            final TestClient client = fixture.client();
            client.awaitReply(client.subscribe("FULL"));

            final int ticks = 50_000;
            for (int i = 1; i <= ticks; i++)
            {
                fixture.feed.quote(1, i, 1, i + 1, 1);
            }
            fixture.feed.flush();
            fixture.awaitSeq("FULL", ticks);
            final int sid = fixture.sid("FULL");
            Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid) && client.latest(sid).seq() == ticks,
                () -> "client never got seq " + ticks);

            assertThat(fixture.metric("tickgate_ring_full_total")).as("the burst filled the 1,024-record ring")
                .isPositive();
            assertThat(GatewayFixture.accounted(client.entries(sid))).isEqualTo(ticks);
            assertThat(fixture.metric("tickgate_feed_gaps_total{source=\"udp\"}")).isZero();
        }
    }
}

package io.tickgate.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway at its descriptor limit can accept nothing, its health check and metrics included: sessions are
 * capped below the limit, so the one past the cap is refused with 1013 while a descriptor is there to refuse it.
 */
class SessionsWithinDescriptorsTest
{
    @Test
    void shouldKeepDescriptorsBackFromSessionsUnderALowLimit()
    {
        assertThat(Gateway.sessionsWithinDescriptors(20_000, 256)).isEqualTo(256 - Gateway.RESERVED_DESCRIPTORS);
        assertThat(Gateway.sessionsWithinDescriptors(20_000, 20_000))
            .isEqualTo(20_000 - Gateway.RESERVED_DESCRIPTORS);
    }

    @Test
    void shouldKeepTheConfiguredLimitWhenDescriptorsAreAmple()
    {
        assertThat(Gateway.sessionsWithinDescriptors(20_000, 1_048_576)).isEqualTo(20_000);
        assertThat(Gateway.sessionsWithinDescriptors(50, 1_024)).isEqualTo(50);
    }

    @Test
    void shouldHoldAtLeastOneSessionAndTrustAnUnknownLimit()
    {
        assertThat(Gateway.sessionsWithinDescriptors(20_000, 100)).isEqualTo(1);
        assertThat(Gateway.sessionsWithinDescriptors(20_000, -1)).isEqualTo(20_000);
    }

    @Test
    void shouldStopConnectionsShortOfTheDescriptorsFreeAtStart()
    {
        assertThat(Gateway.connectionsWithinDescriptors(256, 40))
            .isEqualTo(256 - 40 - Gateway.RESERVED_DESCRIPTORS / 2);
        assertThat(Gateway.connectionsWithinDescriptors(256, 250)).as("at least one").isEqualTo(1);
        assertThat(Gateway.connectionsWithinDescriptors(-1, 40)).as("unknown limit").isEqualTo(Integer.MAX_VALUE);
        assertThat(Gateway.connectionsWithinDescriptors(1L << 40, 40)).isEqualTo(Integer.MAX_VALUE);
    }
}

package io.tickgate.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest
{
    @Test
    void shouldDoubleWithJitterUpToCapAndStartOverAfterReset()
    {
        final Backoff backoff = new Backoff(100, 1_000);
        final long[] bases = { 100, 200, 400, 800, 1_000, 1_000 };
        for (final long base : bases)
        {
            assertThat(backoff.nextDelayNs()).isBetween(base / 2, base);
        }
        backoff.reset();
        assertThat(backoff.nextDelayNs()).isBetween(50L, 100L);
    }

    @Test
    void shouldNotOverflowWhenInitialDelayIsLarge()
    {
        final Backoff backoff = new Backoff(Long.MAX_VALUE / 4, Long.MAX_VALUE / 2);
        for (int i = 0; i < 64; i++)
        {
            assertThat(backoff.nextDelayNs()).isPositive();
        }
    }
}

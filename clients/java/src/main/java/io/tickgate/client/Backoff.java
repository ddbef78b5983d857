package io.tickgate.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential from an initial delay, capped, with "equal jitter" (half the delay fixed, half
 * random) so that many clients cut off by one gateway restart do not come back in lock step.
 * <p>
 * Not thread-safe: used with the owning {@link TickgateClient}'s monitor held.
 */
final class Backoff
{
    private final long initialDelayNs;
    private final long maxDelayNs;
    private int attempts;

    Backoff(final long initialDelayNs, final long maxDelayNs)
    {
        this.initialDelayNs = initialDelayNs;
        this.maxDelayNs = maxDelayNs;
    }

    /**
     * The delay before the next attempt; each call doubles the base delay until the cap.
     */
    long nextDelayNs()
    {
        final int shift = Math.min(attempts, 30);
        attempts++;
        // Compared before shifting, so a large initial delay cannot overflow into a negative one.
        final long base = initialDelayNs > (maxDelayNs >>> shift) ? maxDelayNs : initialDelayNs << shift;
        final long half = base / 2;
        return half + ThreadLocalRandom.current().nextLong(base - half + 1);
    }

    /**
     * A connection worked: the next failure starts again from the initial delay.
     */
    void reset()
    {
        attempts = 0;
    }

    int attempts()
    {
        return attempts;
    }
}

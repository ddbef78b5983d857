package io.tickgate.gateway.session;

/**
 * The share of an IO thread that reading and handling requests may take, as a leaky bucket: time spent reading is
 * owed, and {@code budgetNs} of every {@code windowNs} that pass pays it off. Reading may go on while less than
 * {@code budgetNs} is owed, so a turn that overran (a costly message) is paid for by the turns after it rather than
 * forgotten, and over time reading takes at most that share.
 * <p>
 * Not thread-safe: one IO thread.
 */
final class ReadBudget
{
    private final long budgetNs;
    private final long windowNs;
    private long owedNs;
    private long checkedNs;
    private boolean started;

    ReadBudget(final long budgetNs, final long windowNs)
    {
        this.budgetNs = budgetNs;
        this.windowNs = windowNs;
    }

    boolean mayRead(final long nowNs)
    {
        if (started)
        {
            final long elapsedNs = Math.max(0, nowNs - checkedNs);
            // elapsed * budget / window without overflow for any elapsed time
            final long paidNs = elapsedNs / windowNs * budgetNs + elapsedNs % windowNs * budgetNs / windowNs;
            owedNs = Math.max(0, owedNs - paidNs);
        }
        started = true;
        checkedNs = nowNs;
        return owedNs < budgetNs;
    }

    void spent(final long ns)
    {
        owedNs += Math.max(0, ns);
    }
}

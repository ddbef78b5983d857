package io.tickgate.gateway;

/**
 * Every end-to-end guarantee of {@link GatewaySystemTest} again with four IO threads: sessions spread over them,
 * the feed handler and conflator on the one XNIO bound the feed socket to, and every other thread's sessions woken
 * across threads.
 */
class IoThreadsSystemTest extends GatewaySystemTest
{
    @Override
    protected Gateway.Context configure(final Gateway.Context ctx)
    {
        return ctx.ioThreads(4);
    }
}

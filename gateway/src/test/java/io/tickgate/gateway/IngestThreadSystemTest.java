package io.tickgate.gateway;

/**
 * Every end-to-end guarantee of {@link GatewaySystemTest} again with the feed handler and the conflator on a thread
 * of their own, tickgate-ingest, which hands sessions to the IO thread (the default runs both on the IO thread).
 */
class IngestThreadSystemTest extends GatewaySystemTest
{
    @Override
    protected Gateway.Context configure(final Gateway.Context ctx)
    {
        return ctx.conflatorIdleStrategy("feed");
    }
}

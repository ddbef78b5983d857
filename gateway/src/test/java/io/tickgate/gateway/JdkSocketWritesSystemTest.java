package io.tickgate.gateway;

/**
 * Every end-to-end guarantee of {@link GatewaySystemTest} again with sessions writing through the JDK's socket
 * channel, the path taken where the native send(2) library is not available (the default uses it where it is).
 */
class JdkSocketWritesSystemTest extends GatewaySystemTest
{
    @Override
    protected Gateway.Context configure(final Gateway.Context ctx)
    {
        return ctx.socketWrites("jdk");
    }
}

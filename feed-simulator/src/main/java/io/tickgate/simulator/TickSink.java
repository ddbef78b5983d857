package io.tickgate.simulator;

/**
 * Where a {@link MarketSimulator} puts its messages: a {@link UdpFeedSender} turns them into TKF1 datagrams, and a
 * gateway that embeds the simulator implements it to write straight into its ingress ring. Prices and sizes are
 * fixed-point mantissas with the instrument's {@code priceScale} / {@code sizeScale}; times are epoch nanoseconds.
 * <p>
 * Called only by the thread that drives the simulator (tickgate-simulator), so implementations need not be
 * thread-safe; each call must allocate nothing, since it runs once per tick.
 */
public interface TickSink
{
    void onDefinition(int instrumentId, String symbol, int priceScale, int sizeScale);

    void onQuote(int instrumentId, long bidPrice, long bidSize, long askPrice, long askSize, long exchangeTimeNs);

    void onTrade(int instrumentId, long price, long size, long exchangeTimeNs);

    /** End of one duty cycle's batch: a UDP sink sends its partly filled datagram here. */
    default void flush()
    {
    }
}

/**
 * The synthetic market feed: a seeded random-walk market ({@link io.tickgate.simulator.MarketSimulator}), the
 * agent that paces it at a chosen rate ({@link io.tickgate.simulator.FeedSimulator}, role
 * {@code tickgate-simulator}) and the sinks its ticks go to through {@link io.tickgate.simulator.TickSink}.
 * <p>
 * Everything here is written only on tickgate-simulator: the market state, the datagram being built by
 * {@link io.tickgate.simulator.UdpFeedSender}, its sequence numbers. Other threads only read counters
 * ({@code ticksSent()}, {@code datagramsSent()}, ...), which the owner publishes once per batch or datagram.
 * <p>
 * Others reach the feed in one of two ways: over UDP as TKF1 datagrams (PROTOCOL.md §2) from
 * {@code UdpFeedSender}, for the {@code simulate} subcommand; or, when a gateway embeds the simulator, through its
 * own {@code TickSink}, which tickgate-simulator calls to write straight into the gateway's ingress ring. Nothing
 * allocates per tick.
 */
package io.tickgate.simulator;

package io.tickgate.protocol;

import org.agrona.DirectBuffer;

/**
 * Receives the messages of a valid feed datagram, in order. {@code seq} is the message's feed sequence
 * number (the header's seq plus the message's index in the datagram).
 */
public interface FeedMessageHandler
{
    /**
     * @param symbolBuffer holds the 16-byte, NUL-padded ASCII symbol at {@code symbolOffset}.
     */
    void onDefinition(
        long seq, int instrumentId, int priceScale, int sizeScale, DirectBuffer symbolBuffer, int symbolOffset);

    void onQuote(
        long seq, int instrumentId, long bidPrice, long bidSize, long askPrice, long askSize, long exchangeTimeNs);

    void onTrade(long seq, int instrumentId, long price, long size, long exchangeTimeNs);
}

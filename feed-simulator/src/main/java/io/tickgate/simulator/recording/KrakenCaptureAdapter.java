package io.tickgate.simulator.recording;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kraken WebSocket v1 public channels, data messages as arrays {@code [channelID, payload, channel, pair]}:
 * <ul>
 * <li>Q: every {@code ticker}: bid {@code b[0]}×{@code b[2]} (lot volume), ask {@code a[0]}×{@code a[2]}; the
 * ticker has no exchange time (0).</li>
 * <li>T: every entry of a {@code trade} message: price×volume, exchange time from its epoch-seconds field.</li>
 * <li>Events (heartbeat, systemStatus, subscriptionStatus) are skipped.</li>
 * </ul>
 * The pair name ({@code SC/EUR}) is the symbol. Not thread-safe; one importing thread.
 */
final class KrakenCaptureAdapter implements CaptureImporter.Adapter
{
    @Override
    public void onFrame(final JsonNode frame, final long receivedNs, final ImportBuffer buffer)
    {
        if (!frame.isArray() || frame.size() < 4)
        {
            return;
        }
        final String channel = frame.get(frame.size() - 2).asText();
        final ImportBuffer.Instrument instrument = buffer.decimal(frame.get(frame.size() - 1).asText());
        final JsonNode payload = frame.get(1);
        if ("ticker".equals(channel))
        {
            final JsonNode bid = payload.get("b");
            final JsonNode ask = payload.get("a");
            buffer.quote(instrument, receivedNs, 0,
                buffer.price(instrument, bid.get(0).asText()), buffer.size(instrument, bid.get(2).asText()),
                buffer.price(instrument, ask.get(0).asText()), buffer.size(instrument, ask.get(2).asText()));
        }
        else if ("trade".equals(channel))
        {
            for (final JsonNode trade : payload)
            {
                buffer.trade(instrument, receivedNs, ImportBuffer.parse(trade.get(2).asText(), 9),
                    buffer.price(instrument, trade.get(0).asText()), buffer.size(instrument, trade.get(1).asText()));
            }
        }
    }
}

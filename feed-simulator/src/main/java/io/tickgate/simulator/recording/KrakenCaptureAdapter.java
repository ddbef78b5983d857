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
        // Events (heartbeat, status) are objects; every array is a data message.
        if (!frame.isArray() || frame.size() < 2)
        {
            return;
        }
        final String last = frame.get(frame.size() - 1).asText();
        if (isImported(last))
        {
            // [channelID, payload, channel]: the pair name that ends every data message is missing.
            throw new IllegalArgumentException("kraken " + last + " without its pair name");
        }
        final String channel = frame.get(frame.size() - 2).asText();
        if (!isImported(channel))
        {
            return;
        }
        final String kind = "kraken " + channel;
        final JsonNode pair = frame.get(frame.size() - 1);
        if (!pair.isTextual() || pair.textValue().isEmpty() || frame.size() < 4)
        {
            throw new IllegalArgumentException(kind + " without its pair name");
        }
        final ImportBuffer.Instrument instrument = buffer.decimal(pair.textValue());
        final JsonNode payload = frame.get(1);
        if ("ticker".equals(channel))
        {
            final JsonNode bid = levels(payload, "b", kind);
            final JsonNode ask = levels(payload, "a", kind);
            buffer.quote(instrument, receivedNs, 0,
                decimal(bid, 0, kind + " b[0]"),
                decimal(bid, 2, kind + " b[2]"),
                decimal(ask, 0, kind + " a[0]"),
                decimal(ask, 2, kind + " a[2]"));
        }
        else
        {
            if (!payload.isArray())
            {
                throw new IllegalArgumentException(kind + " without its list of trades");
            }
            for (final JsonNode trade : payload)
            {
                if (!trade.isArray() || trade.size() < 3)
                {
                    throw new IllegalArgumentException(kind + " entry " + trade + " without price, volume and time");
                }
                final long timeNs;
                final String time = CaptureImporter.text(trade.get(2), kind + " time");
                try
                {
                    timeNs = ImportBuffer.parse(time, 9);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(kind + " time " + ex.getMessage(), ex);
                }
                buffer.trade(instrument, receivedNs, timeNs,
                    decimal(trade, 0, kind + " price"),
                    decimal(trade, 1, kind + " volume"));
            }
        }
    }

    private static boolean isImported(final String channel)
    {
        return "ticker".equals(channel) || "trade".equals(channel);
    }

    /**
     * A ticker's {@code b} or {@code a}: [price, whole lot volume, lot volume].
     */
    private static JsonNode levels(final JsonNode payload, final String field, final String kind)
    {
        final JsonNode levels = null == payload ? null : payload.get(field);
        if (null == levels || levels.isNull())
        {
            throw new IllegalArgumentException(kind + " without \"" + field + "\"");
        }
        if (!levels.isArray() || levels.size() < 3)
        {
            throw new IllegalArgumentException(kind + " \"" + field + "\" is " + levels +
                ", not [price, whole lot volume, lot volume]");
        }
        return levels;
    }

    private static ImportBuffer.Decimal decimal(final JsonNode array, final int index, final String name)
    {
        return CaptureImporter.decimal(CaptureImporter.text(array.get(index), name), name);
    }
}

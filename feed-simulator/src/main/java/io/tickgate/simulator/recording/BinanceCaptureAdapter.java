package io.tickgate.simulator.recording;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Binance (COIN-M futures) combined streams, {@code {"stream": "sym@channel", "data": {...}}}:
 * <ul>
 * <li>Q: every {@code bookTicker}: {@code b}×{@code B} / {@code a}×{@code A}, exchange time {@code T}.</li>
 * <li>T: every {@code aggTrade}: {@code p}×{@code q}, exchange time {@code T}.</li>
 * <li>{@code depthUpdate} and {@code kline} are skipped: the book ticker already gives the top of book.</li>
 * </ul>
 * Not thread-safe; one importing thread.
 */
final class BinanceCaptureAdapter implements CaptureImporter.Adapter
{
    private static final String BOOK_TICKER = "bookTicker";
    private static final String AGG_TRADE = "aggTrade";

    @Override
    public void onFrame(final JsonNode frame, final long receivedNs, final ImportBuffer buffer)
    {
        final JsonNode data = frame.get("data");
        // The event type, or the stream's channel when there is no data to hold it ("bchusd_perp@bookTicker").
        final String event = null != data && data.hasNonNull("e") ? data.get("e").asText() : channel(frame);
        if (!BOOK_TICKER.equals(event) && !AGG_TRADE.equals(event))
        {
            return;
        }
        final String kind = "binance " + event;
        if (null == data || !data.isObject())
        {
            throw new IllegalArgumentException(kind + " without \"data\"");
        }
        final ImportBuffer.Instrument instrument = CaptureImporter.instrument(buffer, data, "s", kind);
        if (BOOK_TICKER.equals(event))
        {
            buffer.quote(instrument, receivedNs, CaptureImporter.millisNs("binance \"T\"", data.get("T")),
                CaptureImporter.decimal(data, "b", kind),
                CaptureImporter.decimal(data, "B", kind),
                CaptureImporter.decimal(data, "a", kind),
                CaptureImporter.decimal(data, "A", kind));
        }
        else
        {
            buffer.trade(instrument, receivedNs, CaptureImporter.millisNs("binance \"T\"", data.get("T")),
                CaptureImporter.decimal(data, "p", kind),
                CaptureImporter.decimal(data, "q", kind));
        }
    }

    private static String channel(final JsonNode frame)
    {
        final JsonNode stream = frame.get("stream");
        if (null == stream || !stream.isTextual())
        {
            return "";
        }
        final String name = stream.textValue();
        return name.substring(name.indexOf('@') + 1);
    }
}

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
    @Override
    public void onFrame(final JsonNode frame, final long receivedNs, final ImportBuffer buffer)
    {
        final JsonNode data = frame.get("data");
        if (null == data || !data.has("e") || !data.has("s"))
        {
            return;
        }
        final String event = data.get("e").asText();
        if ("bookTicker".equals(event))
        {
            final ImportBuffer.Instrument instrument = buffer.decimal(data.get("s").asText());
            buffer.quote(instrument, receivedNs, CaptureImporter.millisNs(data.get("T")),
                buffer.price(instrument, data.get("b").asText()), buffer.size(instrument, data.get("B").asText()),
                buffer.price(instrument, data.get("a").asText()), buffer.size(instrument, data.get("A").asText()));
        }
        else if ("aggTrade".equals(event))
        {
            final ImportBuffer.Instrument instrument = buffer.decimal(data.get("s").asText());
            buffer.trade(instrument, receivedNs, CaptureImporter.millisNs(data.get("T")),
                buffer.price(instrument, data.get("p").asText()), buffer.size(instrument, data.get("q").asText()));
        }
    }
}

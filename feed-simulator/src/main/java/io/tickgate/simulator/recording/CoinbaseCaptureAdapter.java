package io.tickgate.simulator.recording;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Coinbase Pro {@code ticker}, {@code matches} and {@code level2} channels:
 * <ul>
 * <li>Q: every {@code ticker}: {@code best_bid} / {@code best_ask} (sizes from {@code best_bid_size} /
 * {@code best_ask_size} when the message has them, else 0), exchange time {@code time}.</li>
 * <li>T: every {@code match} and {@code last_match}: {@code price}×{@code size}.</li>
 * <li>{@code snapshot} and {@code l2update} are skipped: the ticker is the exchange's own top of book.</li>
 * </ul>
 * Not thread-safe; one importing thread.
 */
final class CoinbaseCaptureAdapter implements CaptureImporter.Adapter
{
    @Override
    public void onFrame(final JsonNode frame, final long receivedNs, final ImportBuffer buffer)
    {
        final JsonNode type = frame.get("type");
        if (null == type || !frame.has("product_id"))
        {
            return;
        }
        final String kind = type.asText();
        if ("ticker".equals(kind) && frame.has("best_bid") && frame.has("best_ask"))
        {
            final ImportBuffer.Instrument instrument = buffer.decimal(frame.get("product_id").asText());
            buffer.quote(instrument, receivedNs, CaptureImporter.isoNs(frame.get("time")),
                buffer.price(instrument, frame.get("best_bid").asText()),
                size(buffer, instrument, frame, "best_bid_size"),
                buffer.price(instrument, frame.get("best_ask").asText()),
                size(buffer, instrument, frame, "best_ask_size"));
        }
        else if (("match".equals(kind) || "last_match".equals(kind)) && frame.has("price") && frame.has("size"))
        {
            final ImportBuffer.Instrument instrument = buffer.decimal(frame.get("product_id").asText());
            buffer.trade(instrument, receivedNs, CaptureImporter.isoNs(frame.get("time")),
                buffer.price(instrument, frame.get("price").asText()),
                buffer.size(instrument, frame.get("size").asText()));
        }
    }

    private static long size(
        final ImportBuffer buffer, final ImportBuffer.Instrument instrument, final JsonNode frame, final String field)
    {
        final JsonNode node = frame.get(field);
        return null == node ? 0 : buffer.size(instrument, node.asText());
    }
}

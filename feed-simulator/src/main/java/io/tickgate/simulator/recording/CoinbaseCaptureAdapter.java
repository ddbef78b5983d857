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
        if (null == type)
        {
            return;
        }
        final String kind = type.asText();
        if ("ticker".equals(kind))
        {
            final String name = "coinbase ticker";
            final ImportBuffer.Instrument instrument = CaptureImporter.instrument(buffer, frame, "product_id", name);
            buffer.quote(instrument, receivedNs, CaptureImporter.isoNs(frame.get("time"), name + " time"),
                CaptureImporter.decimal(frame, "best_bid", name),
                size(frame, "best_bid_size", name),
                CaptureImporter.decimal(frame, "best_ask", name),
                size(frame, "best_ask_size", name));
        }
        else if ("match".equals(kind) || "last_match".equals(kind))
        {
            final String name = "coinbase " + kind;
            final ImportBuffer.Instrument instrument = CaptureImporter.instrument(buffer, frame, "product_id", name);
            buffer.trade(instrument, receivedNs, CaptureImporter.isoNs(frame.get("time"), name + " time"),
                CaptureImporter.decimal(frame, "price", name),
                CaptureImporter.decimal(frame, "size", name));
        }
    }

    /**
     * A ticker's size field, which older tickers do not have: 0 then.
     */
    private static ImportBuffer.Decimal size(final JsonNode frame, final String field, final String name)
    {
        return frame.hasNonNull(field) ? CaptureImporter.decimal(frame, field, name) : ImportBuffer.Decimal.ZERO;
    }
}

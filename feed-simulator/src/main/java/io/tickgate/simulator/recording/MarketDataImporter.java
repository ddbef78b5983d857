package io.tickgate.simulator.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Reads the files of one real market-data format into an {@link ImportBuffer}: which source events become quotes
 * (Q) and which trades (T) is each implementation's documented decision (docs/recording.md).
 * <p>
 * Implementations are stateless between calls; one importing thread at a time.
 */
public interface MarketDataImporter
{
    /**
     * @param bytesRead told the bytes of input consumed so far, now and then (for a progress bar).
     * @throws IllegalArgumentException naming the file and line of input it cannot read.
     */
    void read(List<Path> files, ImportBuffer buffer, LongConsumer bytesRead) throws IOException;

    /**
     * The importer of a format name: lobster, binance, coinbase, kraken, histdata.
     */
    static MarketDataImporter forFormat(final String format)
    {
        switch (format)
        {
            case "lobster":
                return new LobsterImporter();
            case "binance":
                return new CaptureImporter(new BinanceCaptureAdapter());
            case "coinbase":
                return new CaptureImporter(new CoinbaseCaptureAdapter());
            case "kraken":
                return new CaptureImporter(new KrakenCaptureAdapter());
            case "histdata":
                return new HistDataImporter();
            default:
                throw new IllegalArgumentException("unknown format '" + format +
                    "' (lobster, binance, coinbase, kraken, histdata)");
        }
    }
}

package io.tickgate.simulator.recording;

import io.tickgate.simulator.TickSink;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One symbol, one pair of scales across a recording's segments: a gateway keeps the scales of a symbol's first
 * definition and refuses the ticks under any other, so two imports whose values had different decimals lost a
 * segment's ticks on replay while every summary said they were sent.
 */
class SymbolScalesTest
{
    @TempDir
    Path dir;

    /** Every message a sink receives, as text. */
    private static final class TextSink implements TickSink
    {
        final List<String> messages = new ArrayList<>();

        @Override
        public void onDefinition(final int instrumentId, final String symbol, final int priceScale, final int sizeScale)
        {
            messages.add("D " + instrumentId + " " + symbol + " " + priceScale + "/" + sizeScale);
        }

        @Override
        public void onQuote(final int instrumentId, final long bidPrice, final long bidSize, final long askPrice,
            final long askSize, final long exchangeTimeNs)
        {
            messages.add("Q " + instrumentId + " " + bidPrice + "x" + bidSize + " " + askPrice + "x" + askSize);
        }

        @Override
        public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
            messages.add("T " + instrumentId + " " + price + "x" + size);
        }
    }

    private void writeTwoSegmentsWithDifferentPriceScales()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "first import"))
        {
            writer.definition(1, "X", 1, 0);
            writer.quote(1, 1, 0, 10, 1001, 5, 1002, 6);
            writer.quote(1, 2, 0, 20, 1003, 5, 1004, 6);
        }
        try (RecordingWriter writer = RecordingWriter.open(dir, "second import"))
        {
            writer.definition(1, "X", 2, 0);
            writer.quote(1, 1, 0, 30, 10055, 5, 10066, 6);
            writer.trade(1, 2, 0, 40, 10077, 7);
        }
    }

    @Test
    void shouldReplayEverySegmentOfASymbolAtItsLargestScalesWhenSegmentsDisagree()
    {
        writeTwoSegmentsWithDifferentPriceScales();
        final TextSink sink = new TextSink();
        final Replayer replayer = new Replayer(dir, sink, 0, 0, 0, SystemNanoClock.INSTANCE, Long.MAX_VALUE);
        replayer.onStart();
        while (!replayer.isDone())
        {
            replayer.doWork();
        }
        replayer.onClose();

        // Only the one definition a gateway would keep; segment 1's prices multiplied up to it, exactly.
        assertThat(sink.messages).containsExactly("D 1 X 2/0", "Q 1 10010x5 10020x6", "Q 1 10030x5 10040x6",
            "Q 1 10055x5 10066x6", "T 1 10077x7");
        assertThat(replayer.ticksSent()).isEqualTo(4);
        assertThat(replayer.scaleNotes()).containsExactly("X is defined with priceScale 1, sizeScale 0 " +
            "(segment-000001.tkr) and priceScale 2, sizeScale 0 (segment-000002.tkr); replay sends it at " +
            "priceScale 2, sizeScale 0, its other values multiplied up exactly");
    }

    /**
     * A segment removed while the replay ran threw out of doWork: replay lost its summary of what was sent and a
     * gateway fed by it logged a stack trace. It ends the replay as damage does, with what went before it sent.
     */
    @Test
    void shouldEndTheReplayKeepingWhatWasSentWhenASegmentIsRemovedWhileItRuns() throws IOException
    {
        writeTwoSegmentsWithDifferentPriceScales();
        final TextSink sink = new TextSink();
        final Replayer replayer = new Replayer(dir, sink, 0, 0, 0, SystemNanoClock.INSTANCE, Long.MAX_VALUE);
        replayer.onStart();
        Files.delete(dir.resolve("segment-000002.tkr"));
        while (!replayer.isDone())
        {
            replayer.doWork();
        }
        replayer.onClose();

        assertThat(replayer.ticksSent()).isEqualTo(2);
        assertThat(replayer.failure()).isInstanceOf(java.io.UncheckedIOException.class)
            .hasMessage("cannot read " + dir.resolve("segment-000002.tkr") + ": no such file or directory");
    }

    @Test
    void shouldNameASymbolDefinedWithDifferentScalesWhenInspected()
    {
        writeTwoSegmentsWithDifferentPriceScales();
        final StringWriter out = new StringWriter();
        new RecordingInspector(new PrintWriter(out)).inspect(dir, 0);
        assertThat(out.toString()).contains("conflict: X is defined with priceScale 1, sizeScale 0 " +
            "(segment-000001.tkr) and priceScale 2, sizeScale 0 (segment-000002.tkr)");
    }

    @Test
    void shouldTakeTheScalesTheRecordingGivesASymbolWhenImportingIntoIt() throws IOException
    {
        importBinance("first.log", "100.25", "3");
        importBinance("second.log", "100.1", "2");

        final List<String> definitions = new ArrayList<>();
        final List<Long> prices = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(dir.resolve("rec")))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                if (RecordingDescriptor.TYPE_DEFINITION == type)
                {
                    definitions.add(reader.symbol() + " " + reader.priceScale() + "/" + reader.sizeScale());
                }
                else
                {
                    prices.add(reader.price1());
                }
            }
        }
        assertThat(definitions).containsExactly("BTCUSD_PERP 2/0", "BTCUSD_PERP 2/0");
        assertThat(prices).containsExactly(10025L, 10010L);
    }

    @Test
    void shouldRefuseAnImportNeedingMoreDecimalsThanTheRecordingGivesTheSymbolAndWriteNothing() throws IOException
    {
        importBinance("first.log", "100.1", "3");
        final Path rec = dir.resolve("rec");
        final long before = Files.size(RecordingDescriptor.segments(rec).get(0));

        assertThatThrownBy(() -> importBinance("second.log", "100.25", "2"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("BTCUSD_PERP prices need 2 decimals, but " + rec + " already records BTCUSD_PERP with " +
                "priceScale 1, sizeScale 0 (this import: priceScale 2, sizeScale 0); nothing written: import into " +
                "a new --out directory, or import all of BTCUSD_PERP's files there in one command");
        assertThat(RecordingDescriptor.segments(rec)).hasSize(1);
        assertThat(Files.size(RecordingDescriptor.segments(rec).get(0))).isEqualTo(before);
    }

    @Test
    void shouldRefuseAnImportIntoADamagedRecordingAndWriteNothing() throws IOException
    {
        importBinance("first.log", "100.1", "3");
        final Path rec = dir.resolve("rec");
        final Path segment = RecordingDescriptor.segments(rec).get(0);
        final long size = Files.size(segment);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(segment,
            java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(size - 3);   // a record cut short, as by a full disk or a crash
        }

        // A segment added after the damage could never be read back: replay and inspect stop at the damage.
        assertThatThrownBy(() -> importBinance("second.log", "100.2", "2"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("damaged recording " + segment + " at offset ")
            .hasMessageEndingWith("; nothing written: a recording is read only up to its damage, so import into a " +
                "new --out directory");
        assertThat(RecordingDescriptor.segments(rec)).containsExactly(segment);
    }

    private void importBinance(final String name, final String price, final String quantity) throws IOException
    {
        final Path file = Files.writeString(dir.resolve(name),
            "1626916403.1: {\"stream\":\"btcusd_perp@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"BTCUSD_PERP\"," +
            "\"p\":\"" + price + "\",\"q\":\"" + quantity + "\",\"T\":1626916403000}}\n");
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("binance").read(List.of(file), buffer, done -> { });
        buffer.writeTo(dir.resolve("rec"), "import binance", null);
    }
}

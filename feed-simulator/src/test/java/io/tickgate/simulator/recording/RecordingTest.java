package io.tickgate.simulator.recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.tickgate.simulator.recording.RecordingDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingTest
{
    static final Path DATA = Path.of(System.getProperty("tickgate.shared.data", "../../shared/data"));
    static final Path LOBSTER = DATA.resolve("lobster-nasdaq-l1-2012-06-21");

    @TempDir
    Path dir;

    @Test
    void shouldImportLobsterWithReadmeCountsAndFinalValues() throws IOException
    {
        final ImportBuffer buffer = new ImportBuffer();
        MarketDataImporter.forFormat("lobster").read(List.of(
            LOBSTER.resolve("AMZN_2012-06-21_34200000_57600000_message_1.csv"),
            LOBSTER.resolve("GOOG_2012-06-21_34200000_57600000_orderbook_1.csv")), buffer, done -> { });
        final List<ImportBuffer.Instrument> instruments = buffer.instruments();
        assertThat(instruments).extracting(ImportBuffer.Instrument::symbol).containsExactly("AMZN", "GOOG");
        assertThat(instruments.get(0).quotes()).isEqualTo(55_071);
        assertThat(instruments.get(0).trades()).isEqualTo(11_419);
        assertThat(instruments.get(1).quotes()).isEqualTo(45_569);
        assertThat(instruments.get(1).trades()).isEqualTo(11_678);
        buffer.writeTo(dir, "import lobster", null);

        final long[][] last = new long[3][6];
        long previousRecorded = Long.MIN_VALUE;
        int records = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                records++;
                if (TYPE_QUOTE == type)
                {
                    final long[] values = last[reader.instrumentId()];
                    values[0] = reader.price1();
                    values[1] = reader.size1();
                    values[2] = reader.price2();
                    values[3] = reader.size2();
                }
                else if (TYPE_TRADE == type)
                {
                    final long[] values = last[reader.instrumentId()];
                    values[4] = reader.price1();
                    values[5] = reader.size1();
                }
                if (TYPE_DEFINITION != type)
                {
                    assertThat(reader.recordedTimeNs()).isGreaterThanOrEqualTo(previousRecorded);
                    previousRecorded = reader.recordedTimeNs();
                }
            }
            assertThat(reader.origin()).isEqualTo("import lobster");
        }
        assertThat(records).isEqualTo(2 + 55_071 + 11_419 + 45_569 + 11_678);
        assertThat(last[1]).containsExactly(2_205_100, 249, 2_206_400, 100, 2_205_100, 51);
        assertThat(last[2]).containsExactly(5_651_200, 200, 5_652_200, 42, 5_653_500, 100);
    }

    @Test
    void shouldReadAcrossManyChunksOfTheWriter()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "test", 64 * 1024))
        {
            writer.definition(7, "CHUNKY", 2, 0);
            for (int i = 1; i <= 100_000; i++)
            {
                writer.quote(7, i, 1_000L * i, 1_000L * i + 5, i, 1, i + 1, 2);
            }
            assertThat(writer.length()).isGreaterThan(10 * 64 * 1024);
        }
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            assertThat(reader.symbol()).isEqualTo("CHUNKY");
            for (int i = 1; i <= 100_000; i++)
            {
                assertThat(reader.next()).isEqualTo(TYPE_QUOTE);
                assertThat(reader.feedSeq()).isEqualTo(i);
                assertThat(reader.recordedTimeNs()).isEqualTo(1_000L * i + 5);
                assertThat(reader.price2()).isEqualTo(i + 1);
            }
            assertThat(reader.next()).isEqualTo(RecordingReader.END);
        }
    }

    @Test
    void shouldStartNewSegmentWhenReopened()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "first"))
        {
            writer.definition(1, "A", 0, 0);
            writer.trade(1, 1, 10, 10, 5, 1);
        }
        try (RecordingWriter writer = RecordingWriter.open(dir, "second"))
        {
            writer.trade(1, 2, 20, 20, 6, 1);
        }
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThat(reader.segments()).extracting(p -> p.getFileName().toString())
                .containsExactly("segment-000001.tkr", "segment-000002.tkr");
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            assertThat(reader.next()).isEqualTo(TYPE_TRADE);
            assertThat(reader.next()).isEqualTo(TYPE_TRADE);
            assertThat(reader.price1()).isEqualTo(6);
            assertThat(reader.recordedTimeNs()).isEqualTo(20);
            assertThat(reader.next()).isEqualTo(RecordingReader.END);
        }
    }

    @Test
    void shouldReadEverythingBeforeTruncationThenNameFileAndOffset() throws IOException
    {
        final long[] offsets = writeTen();
        final Path file = RecordingDescriptor.segments(dir).get(0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(offsets[7] + 6);
        }
        assertDamagedAt(file, offsets[7], 7);
    }

    @Test
    void shouldReadEverythingBeforeCorruptedByteThenNameFileAndOffset() throws IOException
    {
        final long[] offsets = writeTen();
        final Path file = RecordingDescriptor.segments(dir).get(0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offsets[4] + 9);
            final int b = raf.read();
            raf.seek(offsets[4] + 9);
            raf.write(b ^ 0x10);
        }
        assertDamagedAt(file, offsets[4], 4);

        final StringWriter text = new StringWriter();
        assertThatThrownBy(() -> new RecordingInspector(new PrintWriter(text)).inspect(dir, 0))
            .isInstanceOf(RecordingDamagedException.class)
            .hasMessage("damaged recording " + file + " at offset " + offsets[4] + ": check mismatch (bytes changed " +
                "or cut)");
        assertThat(text.toString()).contains("3 trades");
    }

    @Test
    void shouldReadUpToRecordItsWriterNeverFinishedAndSayWhere() throws IOException
    {
        final long[] offsets = writeTen();
        final Path file = RecordingDescriptor.segments(dir).get(0);
        final long end = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            // What a writer killed inside a document leaves: a header still marked not-complete, then zeros.
            raf.seek(end);
            raf.write(new byte[] {0, 0, 0, (byte)0x80, 'T', 1, 2});
            raf.write(new byte[4096]);
        }
        int trades = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                trades += TYPE_TRADE == type ? 1 : 0;
            }
            assertThat(reader.incompleteNote()).isEqualTo("the last record of " + file + " at offset " + end +
                " was never completed (its writer stopped while writing it); everything before it was read");
        }
        assertThat(trades).isEqualTo(9);
        assertThat(offsets[9]).isLessThan(end);
    }

    private void assertDamagedAt(final Path file, final long offset, final int goodTrades)
    {
        int trades = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            for (int i = 0; i < goodTrades - 1; i++)
            {
                assertThat(reader.next()).isEqualTo(TYPE_TRADE);
                trades++;
            }
            assertThatThrownBy(reader::next)
                .isInstanceOf(RecordingDamagedException.class)
                .hasMessageStartingWith("damaged recording " + file + " at offset " + offset + ": ");
            assertThat(reader.next()).isEqualTo(RecordingReader.END);
        }
        assertThat(trades).isEqualTo(goodTrades - 1);
    }

    /**
     * A definition and nine trades; returns each record's header offset (index 0: definition).
     */
    private long[] writeTen()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "test"))
        {
            writer.definition(1, "TEN", 0, 0);
            for (int i = 1; i <= 9; i++)
            {
                writer.trade(1, i, i * 1_000_000L, i * 1_000_000L, 100 + i, i);
            }
        }
        final long[] offsets = new long[10];
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            for (int i = 0; i < 10; i++)
            {
                reader.next();
                offsets[i] = reader.recordOffset();
            }
        }
        return offsets;
    }
}

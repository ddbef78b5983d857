package io.tickgate.simulator.recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

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
    void shouldEndAtWhereItsWriterCutTheSegmentOnCloseWhileItWasRead() throws IOException
    {
        // A segment whose records end exactly where a page ends: the writer's not-complete header after them is
        // alone in the next page, which the close cuts from under the reader's mapping.
        final RecordingWriter writer = RecordingWriter.open(dir, "test");
        writer.definition(1, "AAA", 2, 0);
        writer.quote(1, 1, 1_000, 1_005, 100, 1, 101, 2);
        int definitionsWritten = 0;
        while (writer.length() < 8192)
        {
            final long left = 8192 - writer.length();
            // A definition is 13 bytes and its symbol (1 to 16): leave room for one more whenever possible.
            final int symbolLength = left >= 29 + 14 ? 16 : left > 29 ? (int)(left - 14 - 13) : (int)left - 13;
            assertThat(symbolLength).isBetween(1, 16);
            // Ids below 128, one varint byte each; a definition again for an id is a repeat, as sources send them.
            writer.definition(2 + definitionsWritten++ % 100, "S".repeat(symbolLength), 2, 0);
        }
        assertThat(writer.length()).isEqualTo(8192);
        writer.flush();
        final Path segment = writer.file();
        assertThat(Files.size(segment)).isEqualTo(8192 + HEADER_LENGTH);

        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            writer.close();
            assertThat(Files.size(segment)).isEqualTo(8192);
            assertThat(reader.next()).isEqualTo(TYPE_QUOTE);
            int definitions = 0;
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                assertThat(type).isEqualTo(TYPE_DEFINITION);
                definitions++;
            }
            assertThat(definitions).isEqualTo(definitionsWritten);
            // A segment its writer closed is complete: nothing to note.
            assertThat(reader.incompleteNote()).isNull();
        }
    }

    @Test
    void shouldReportASegmentCutShortWhileItIsReadAsDamage() throws IOException
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "test"))
        {
            writer.definition(7, "CUT", 2, 0);
            for (int i = 1; i <= 20_000; i++)
            {
                writer.quote(7, i, 1_000L * i, 1_000L * i + 5, i, 1, i + 1, 2);
            }
        }
        final Path segment = RecordingDescriptor.segments(dir).get(0);
        // A cut where a page starts but no record does: one at a record's start is just what a writer's close
        // leaves, and ends the segment quietly (the test above).
        final java.util.Set<Long> recordOffsets = new java.util.HashSet<>();
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            while (RecordingReader.END != reader.next())
            {
                recordOffsets.add(reader.recordOffset());
            }
        }
        long cut = 2 * 4096;
        while (recordOffsets.contains(cut))
        {
            cut += 4096;
        }
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
            {
                file.setLength(cut);
            }
            int quotes = 0;
            try
            {
                while (RecordingReader.END != reader.next())
                {
                    quotes++;
                }
                throw new AssertionError("read " + quotes + " quotes past the cut, and no damage; last at " +
                    reader.recordOffset() + ", note " + reader.incompleteNote());
            }
            catch (final RecordingDamagedException ex)
            {
                assertThat(ex.getMessage()).contains(segment.toString()).contains("cut").contains("while it was read");
            }
            // Every quote before the cut was read.
            assertThat(quotes).isGreaterThan((int)(cut / 30));
        }
    }

    @Test
    void shouldReadLongSegmentWrittenInManyBatches()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "test"))
        {
            writer.definition(7, "CHUNKY", 2, 0);
            for (int i = 1; i <= 100_000; i++)
            {
                writer.quote(7, i, 1_000L * i, 1_000L * i + 5, i, 1, i + 1, 2);
            }
            assertThat(writer.length()).isGreaterThan(10L * RecordingWriter.BATCH_BYTES);
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

    /**
     * Each import or gateway run numbers its instruments from 1, so later segments reuse ids for other symbols:
     * inspect follows the definitions as replay does and summarises per symbol, with that symbol's scales.
     */
    @Test
    void shouldInspectPerSymbolWhenSegmentsReuseIdsForOtherSymbols()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "first"))
        {
            writer.definition(1, "GOOG", 4, 0);
            writer.trade(1, 1, 10, 10, 5_794_000, 100);
        }
        try (RecordingWriter writer = RecordingWriter.open(dir, "second"))
        {
            writer.definition(1, "EURUSD", 5, 0);
            writer.quote(1, 1, 20, 20, 112_130, 1, 112_140, 2);
        }
        try (RecordingWriter writer = RecordingWriter.open(dir, "third"))
        {
            writer.definition(2, "GOOG", 4, 0);
            writer.trade(2, 1, 30, 30, 5_795_000, 200);
        }
        final StringWriter text = new StringWriter();
        new RecordingInspector(new PrintWriter(text)).inspect(dir, 0);

        assertThat(text.toString())
            .containsPattern("GOOG +1/2 +0 +2 +first  trade 579\\.4000x100\\R +last  {2}trade 579\\.5000x200")
            .containsPattern("EURUSD +1 +1 +0 +first bid 1\\.12130x1 ask 1\\.12140x2 ")
            .contains("2 instruments, 6 records: 1 quote, 2 trades");
    }

    /**
     * Offsets count from the start of each segment file, so records printed from several segments say which file
     * they are in; a recording of one segment needs no such line.
     */
    @Test
    void shouldNameTheSegmentOfPrintedRecordsWhenThereAreSeveral() throws IOException
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "first"))
        {
            writer.definition(1, "GOOG", 4, 0);
        }
        final StringWriter one = new StringWriter();
        new RecordingInspector(new PrintWriter(one)).inspect(dir, 5);
        assertThat(one.toString()).doesNotContain("records of");

        try (RecordingWriter writer = RecordingWriter.open(dir, "second"))
        {
            writer.definition(1, "GOOG", 4, 0);
            writer.trade(1, 1, 30, 30, 5_795_000, 200);
        }
        final List<Path> segments = RecordingDescriptor.segments(dir);
        final StringWriter two = new StringWriter();
        new RecordingInspector(new PrintWriter(two)).inspect(dir, 5);

        assertThat(two.toString()).containsPattern(
            "records of " + Pattern.quote(segments.get(0).toString()) + "\\R@\\d+ +D GOOG .*\\R" +
            "records of " + Pattern.quote(segments.get(1).toString()) + "\\R@\\d+ +D GOOG .*\\R@\\d+ +T GOOG ");
    }

    /**
     * A segment whose header cannot be written (a full disk) is removed again: each failed start of a recording
     * gateway left an empty segment behind, and inspect noted every one.
     */
    @Test
    void shouldLeaveNoSegmentWhenItsHeaderCannotBeWritten() throws IOException
    {
        final RecordingWriter.FileOpener full = file -> new RandomAccessFile(file, "rw")
        {
            @Override
            public void write(final byte[] bytes) throws IOException
            {
                throw new IOException("No space left on device");
            }
        };

        assertThatThrownBy(() -> RecordingWriter.open(dir, "test", full))
            .hasMessageContaining("No space left on device");
        assertThat(RecordingDescriptor.segments(dir)).isEmpty();
    }

    /**
     * A symbol defined but never ticked had empty first and last lines, trailing spaces and all.
     */
    @Test
    void shouldSayNoTicksForASymbolDefinedButNeverTicked()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "quiet"))
        {
            writer.definition(1, "BUSY", 0, 0);
            writer.definition(2, "QUIET", 0, 0);
            writer.trade(1, 1, 10, 10, 5, 1);
        }
        final StringWriter text = new StringWriter();
        new RecordingInspector(new PrintWriter(text)).inspect(dir, 0);

        assertThat(text.toString()).containsPattern("QUIET +2 +0 +0  \\(no ticks\\)\\R")
            .contains("2 instruments, 3 records: 0 quotes, 1 trade\n");
        assertThat(text.toString().lines()).noneMatch(line -> line.endsWith(" "));
        assertThat(text.toString().lines().filter(line -> line.contains("  last  "))).hasSize(1);
    }

    /**
     * Two imports into one directory need not be in time order: the span runs from the earliest recorded time to
     * the latest, never backwards.
     */
    @Test
    void shouldReportTimeSpanFromEarliestToLatestWhenSegmentsAreOutOfTimeOrder()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "later import"))
        {
            writer.definition(1, "LATE", 0, 0);
            writer.trade(1, 1, 0, 1_618_675_200_000_000_000L, 5, 1);
            writer.trade(1, 2, 0, 1_618_675_201_000_000_000L, 6, 1);
        }
        try (RecordingWriter writer = RecordingWriter.open(dir, "earlier import"))
        {
            writer.definition(1, "EARLY", 0, 0);
            writer.trade(1, 1, 0, 1_577_923_200_000_000_000L, 7, 1);
            writer.trade(1, 2, 0, 1_577_923_200_500_000_000L, 8, 1);
        }
        final StringWriter text = new StringWriter();
        new RecordingInspector(new PrintWriter(text)).inspect(dir, 0);

        assertThat(text.toString()).contains("recorded from 2020-01-02T00:00:00Z to 2021-04-17T16:00:01Z (" +
            String.format("%.3f", (1_618_675_201_000_000_000L - 1_577_923_200_000_000_000L) / 1e9) + " s)");
    }

    /**
     * A gateway stopped right after creating a segment leaves it empty: the segments around it are read in full and
     * a note names it.
     */
    @Test
    void shouldReadPastAnEmptySegmentAndNameIt() throws IOException
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "first"))
        {
            writer.definition(1, "A", 0, 0);
            writer.trade(1, 1, 10, 10, 5, 1);
        }
        final Path empty = Files.createFile(dir.resolve("segment-000002.tkr"));
        try (RecordingWriter writer = RecordingWriter.open(dir, "third"))
        {
            writer.trade(1, 2, 20, 20, 6, 1);
        }
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            assertThat(reader.next()).isEqualTo(TYPE_TRADE);
            assertThat(reader.next()).isEqualTo(TYPE_TRADE);
            assertThat(reader.price1()).isEqualTo(6);
            assertThat(reader.file().getFileName().toString()).isEqualTo("segment-000003.tkr");
            assertThat(reader.next()).isEqualTo(RecordingReader.END);
            assertThat(reader.incompleteNote())
                .isEqualTo(empty + " is empty: its writer stopped before writing the segment header");
        }
    }

    /**
     * A flipped byte in the segment header's format read "(format tickgate,recording)", which did not say what was
     * wrong with it.
     */
    @Test
    void shouldSayWhatTheFormatReadsWhenTheSegmentHeaderIsDamaged() throws IOException
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "first"))
        {
            writer.definition(1, "A", 0, 0);
            writer.trade(1, 1, 10, 10, 5, 1);
        }
        final Path file = dir.resolve("segment-000001.tkr");
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] name = RecordingDescriptor.FORMAT.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int at = indexOf(bytes, name);
        assertThat(at).as("the format in the header").isPositive();
        bytes[at + "tickgate".length()] = ',';
        Files.write(file, bytes);
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThatThrownBy(reader::next).isInstanceOf(RecordingDamagedException.class)
                .hasMessage("damaged recording " + file + " at offset 0: not a Tickgate recording header: its format " +
                    "reads \"tickgate,recording\", not \"tickgate-recording\"");
        }
        // A control byte is shown, not printed: an escape would drive the terminal, a newline split the one line.
        bytes[at + "tickgate".length()] = 0x1b;
        Files.write(file, bytes);
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThatThrownBy(reader::next).isInstanceOf(RecordingDamagedException.class)
                .hasMessageEndingWith("its format reads \"tickgate<U+001B>recording\", not \"tickgate-recording\"");
        }
    }

    private static int indexOf(final byte[] bytes, final byte[] part)
    {
        for (int i = 0; i + part.length <= bytes.length; i++)
        {
            if (java.util.Arrays.equals(bytes, i, i + part.length, part, 0, part.length))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * A file of other bytes in a recording's directory must not pass for a segment whose writer crashed: random bytes
     * begin with what reads as an unfinished record half of the time.
     */
    @Test
    void shouldRefuseSegmentThatDoesNotBeginWithSegmentHeader() throws IOException
    {
        final byte[] garbage = new byte[3000];
        new Random(7).nextBytes(garbage);
        // Not metadata, not complete, and (third, fourth) a complete metadata header whose record is cut or runs past
        // the end of the file: none of them a writer's first record.
        for (final int first : new int[]{0x8000_0020, 0x0000_0020, 0x4000_0010, 0x4FFF_FFFF})
        {
            garbage[0] = (byte)first;
            garbage[1] = (byte)(first >>> 8);
            garbage[2] = (byte)(first >>> 16);
            garbage[3] = (byte)(first >>> 24);
            final Path file = dir.resolve("segment-000001.tkr");
            Files.write(file, garbage);
            try (RecordingReader reader = RecordingReader.open(dir))
            {
                assertThatThrownBy(reader::next)
                    .as("first header %08x", first)
                    .isInstanceOf(RecordingDamagedException.class)
                    .hasMessageStartingWith("damaged recording " + file + " at offset 0: not a Tickgate recording");
            }
        }
        // Shorter than a record header, and not empty (an empty segment is one whose writer never wrote).
        final Path file = dir.resolve("segment-000001.tkr");
        Files.write(file, new byte[]{'a', 'b', 'c'});
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThatThrownBy(reader::next)
                .isInstanceOf(RecordingDamagedException.class)
                .hasMessage("damaged recording " + file + " at offset 0: not a Tickgate recording segment: cut short " +
                    "inside a record header");
        }
        // Only zeros: no writer begins a segment so (it read as an empty segment, without a word).
        Files.write(file, new byte[64 * 1024]);
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThatThrownBy(reader::next)
                .isInstanceOf(RecordingDamagedException.class)
                .hasMessage("damaged recording " + file + " at offset 0: not a Tickgate recording segment: it does " +
                    "not begin with a segment header (it begins with zeros)");
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

    /**
     * A zero header ends a segment only at the end of its data: one zeroed in the middle of a finished segment is
     * damage, not a shorter recording with everything after it silently lost.
     */
    @Test
    void shouldRefuseZeroHeaderWithDataAfterIt() throws IOException
    {
        final long[] offsets = writeTen();
        final Path file = RecordingDescriptor.segments(dir).get(0);
        overwrite(file, offsets[4], new byte[4]);
        assertDamagedAt(file, offsets[4], 4);

        final StringWriter text = new StringWriter();
        assertThatThrownBy(() -> new RecordingInspector(new PrintWriter(text)).inspect(dir, 0))
            .isInstanceOf(RecordingDamagedException.class)
            .hasMessage("damaged recording " + file + " at offset " + offsets[4] + ": a zero record header, yet " +
                "data follows it (at offset " + (offsets[4] + 4) + "; bytes changed)");
        assertThat(text.toString()).contains("3 trades");
    }

    /**
     * Zeros up to the end of the last segment are an end of data (format 1 left them); in a segment that has a
     * later one after it they are damage, since a format-2 writer never writes zeros.
     */
    @Test
    void shouldEndAtZeroedTailOfLastSegmentOnlyAndRefuseItBeforeALaterSegment() throws IOException
    {
        final long[] offsets = writeTen();
        final Path first = RecordingDescriptor.segments(dir).get(0);
        overwrite(first, offsets[8], new byte[(int)(Files.size(first) - offsets[8])]);
        int trades = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                trades += TYPE_TRADE == type ? 1 : 0;
            }
            assertThat(reader.incompleteNote()).isNull();
        }
        assertThat(trades).isEqualTo(7);

        try (RecordingWriter writer = RecordingWriter.open(dir, "later"))
        {
            writer.trade(1, 10, 10, 10, 110, 1);
        }
        final Path second = RecordingDescriptor.segments(dir).get(1);
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            for (int i = 0; i < 8; i++)
            {
                reader.next();
            }
            assertThatThrownBy(reader::next)
                .isInstanceOf(RecordingDamagedException.class)
                .hasMessage("damaged recording " + first + " at offset " + offsets[8] + ": a zero record header, " +
                    "which no writer of this format leaves, before the later segment " + second + " (bytes changed)");
            assertThat(reader.next()).isEqualTo(RecordingReader.END);
        }
    }

    /**
     * A writer leaves at most one batch behind a header it has not completed; a not-complete bit on a header in the
     * middle of a long finished segment, with complete records long after it, is damage, not a crash tail.
     */
    @Test
    void shouldRefuseNotCompleteHeaderFollowedByMoreThanABatchOfRecords() throws IOException
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "test"))
        {
            writer.definition(1, "LONG", 0, 0);
            for (int i = 1; i <= 20_000; i++)
            {
                writer.trade(1, i, i, i, 100 + i, 1);
            }
        }
        final Path file = RecordingDescriptor.segments(dir).get(0);
        final long offset;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            for (int i = 0; i <= 5_000; i++)
            {
                reader.next();
            }
            offset = reader.recordOffset();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset + 3);
            final int b = raf.read();
            raf.seek(offset + 3);
            raf.write(b | 0x80);
        }
        int read = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            for (int i = 0; i < 5_000; i++)
            {
                reader.next();
                read++;
            }
            assertThatThrownBy(reader::next)
                .isInstanceOf(RecordingDamagedException.class)
                .hasMessageStartingWith("damaged recording " + file + " at offset " + offset + ": a record header " +
                    "marked not complete, yet complete records follow it");
        }
        assertThat(read).isEqualTo(5_000);
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
                " is not complete: its writer is still writing it, or stopped while writing it; everything before " +
                "it was read");
        }
        assertThat(trades).isEqualTo(9);
        assertThat(offsets[9]).isLessThan(end);
    }

    @Test
    void shouldWriteRecordBytesAtDocumentedOffsets() throws IOException
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "layout"))
        {
            writer.definition(3, "AB", 2, 1);
            writer.trade(3, 5, 1_000, 2_000, 300, -2);
            writer.quote(3, 6, 900, 2_001, 301, 4, 305, 1);
        }
        final long firstRecord;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            assertThat(reader.version()).isEqualTo(2);
            firstRecord = reader.recordOffset();
        }
        final byte[] file = Files.readAllBytes(RecordingDescriptor.segments(dir).get(0));
        final byte[] records = Arrays.copyOfRange(file, (int)firstRecord, file.length);

        // header (length of body and check), body, CRC-32C of the body; every integer little-endian.
        final byte[] definition = bytes(0x44, 3, 2, 1, 2, 'A', 'B');
        // 'T', id 3, zz(5), zz(1000) = 2000 and zz(2000) = 4000 as varints, zz(300) = 600, zz(-2) = 3.
        final byte[] trade = bytes(0x54, 3, 0x0A, 0xD0, 0x0F, 0xA0, 0x1F, 0xD8, 0x04, 0x03);
        // 'Q', id 3, deltas from the trade: zz(1) = 2, zz(-100) = 199, zz(1) = 2; then 301, 4, 305, 1 zig-zagged.
        final byte[] quote = bytes(0x51, 3, 0x02, 0xC7, 0x01, 0x02, 0xDA, 0x04, 0x08, 0xE2, 0x04, 0x02);
        assertThat(records).containsExactly(concat(document(definition), document(trade), document(quote)));
    }

    @Test
    void shouldReadBackValuesOfEveryMagnitude()
    {
        final List<Long> values = new java.util.ArrayList<>(List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE));
        for (int bit = 0; bit < 64; bit++)
        {
            for (final long near : new long[] {-1, 0, 1})
            {
                values.add((1L << bit) + near);
                values.add(-(1L << bit) + near);
            }
        }
        final java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 0; i < 2_000; i++)
        {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        final int n = values.size();
        try (RecordingWriter writer = RecordingWriter.open(dir, "magnitudes"))
        {
            for (int i = 0; i < n; i++)
            {
                writer.quote(i % 300, values.get(i), values.get((i + 1) % n), values.get((i + 2) % n),
                    values.get((i + 3) % n), values.get((i + 4) % n), values.get((i + 5) % n), values.get((i + 6) % n));
            }
        }
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            for (int i = 0; i < n; i++)
            {
                assertThat(reader.next()).isEqualTo(TYPE_QUOTE);
                assertThat(new long[] {reader.instrumentId(), reader.feedSeq(), reader.exchangeTimeNs(),
                    reader.recordedTimeNs(), reader.price1(), reader.size1(), reader.price2(), reader.size2()})
                    .as("record %d", i)
                    .containsExactly(i % 300, values.get(i), values.get((i + 1) % n), values.get((i + 2) % n),
                        values.get((i + 3) % n), values.get((i + 4) % n), values.get((i + 5) % n),
                        values.get((i + 6) % n));
            }
            assertThat(reader.next()).isEqualTo(RecordingReader.END);
        }
    }

    @Test
    void shouldReadFormatOneRecordingCheckedWithFnv() throws IOException, URISyntaxException
    {
        final Path file = dir.resolve("segment-000001.tkr");
        Files.copy(Path.of(getClass().getResource("/recording-format-1/segment-000001.tkr").toURI()), file,
            StandardCopyOption.REPLACE_EXISTING);
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            assertThat(reader.version()).isEqualTo(1);
            assertThat(reader.origin()).isEqualTo("version 1 fixture");
            assertThat(reader.symbol()).isEqualTo("AMZN");
            assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
            assertThat(reader.symbol()).isEqualTo("EUR/USD");
            assertThat(new int[] {reader.instrumentId(), reader.priceScale(), reader.sizeScale()})
                .containsExactly(2, 5, 2);
            assertThat(reader.next()).isEqualTo(TYPE_QUOTE);
            assertThat(new long[] {reader.feedSeq(), reader.exchangeTimeNs(), reader.recordedTimeNs(),
                reader.price1(), reader.size1(), reader.price2(), reader.size2()}).containsExactly(
                1, 1_340_285_400_000_000_000L, 1_340_285_400_000_050_000L, 2_231_800, 100, 2_238_400, 100);
            assertThat(reader.next()).isEqualTo(TYPE_TRADE);
            assertThat(new long[] {reader.price1(), reader.size1()}).containsExactly(2_238_400, 75);
            assertThat(reader.next()).isEqualTo(TYPE_QUOTE);
            assertThat(new long[] {reader.instrumentId(), reader.exchangeTimeNs(), reader.size2()})
                .containsExactly(2, 0, -3);
            assertThat(reader.next()).isEqualTo(TYPE_TRADE);
            assertThat(new long[] {reader.feedSeq(), reader.exchangeTimeNs(), reader.size1()})
                .containsExactly(9, 1_340_285_399_000_000_000L, 1_000_000_000_000L);
            assertThat(reader.next()).isEqualTo(TYPE_QUOTE);
            final long lastOffset = reader.recordOffset();
            assertThat(new long[] {reader.instrumentId(), reader.feedSeq(), reader.price2(), reader.size2()})
                .containsExactly(1, 3, 2_238_300, 50);
            assertThat(reader.next()).isEqualTo(RecordingReader.END);

            // The FNV check is still verified: one changed byte in the last record stops the reader there.
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                raf.seek(lastOffset + 7);
                final int b = raf.read();
                raf.seek(lastOffset + 7);
                raf.write(b ^ 0x01);
            }
        }
        int read = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            for (int i = 0; i < 6; i++)
            {
                reader.next();
                read++;
            }
            assertThatThrownBy(reader::next).isInstanceOf(RecordingDamagedException.class)
                .hasMessageEndingWith(": check mismatch (bytes changed or cut)");
        }
        assertThat(read).isEqualTo(6);
    }

    @Test
    void shouldMakeRecordsReadableWhenFlushedWhileTheSegmentIsOpen()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "live"))
        {
            final long end = writer.length();
            writer.definition(1, "LIVE", 0, 0);
            for (int i = 1; i <= 3; i++)
            {
                writer.trade(1, i, i, i, 100 + i, 1);
            }
            assertThat(countRecords(end)).as("before the first flush").isZero();
            writer.flush();
            assertThat(countRecords(writer.length())).isEqualTo(4);

            // More than a batch: the full batches reach the file by themselves, the rest on flush.
            for (int i = 4; i <= 10_000; i++)
            {
                writer.trade(1, i, i, i, 100 + i, 1);
            }
            assertThat(countRecords(-1)).isGreaterThan(4).isLessThan(10_001);
            writer.flush();
            assertThat(countRecords(writer.length())).isEqualTo(10_001);
        }
        assertThat(countRecords(0)).isEqualTo(10_001);
    }

    @Test
    void shouldEndAtLengthMappedWhenSegmentGrowsWhileRead()
    {
        try (RecordingWriter writer = RecordingWriter.open(dir, "growing"))
        {
            writer.definition(1, "GROW", 0, 0);
            writer.trade(1, 1, 1, 1, 100, 1);
            writer.flush();
            try (RecordingReader reader = RecordingReader.open(dir))
            {
                assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
                // The next header, not complete when the reader mapped the segment, is completed past its end.
                writer.trade(1, 2, 2, 2, 101, 1);
                writer.flush();
                assertThat(reader.next()).isEqualTo(TYPE_TRADE);
                assertThat(reader.next()).isEqualTo(RecordingReader.END);
                assertThat(reader.incompleteNote()).isNull();
            }
            assertThat(countRecords(writer.length())).isEqualTo(3);
        }
    }

    /**
     * A gateway restarted after crashes leaves a cut-short tail in each of its segments: every one gets its note,
     * not only the last (an earlier segment cut short went unmentioned).
     */
    @Test
    void shouldNoteEverySegmentThatEndsWithARecordNeverFinished() throws IOException
    {
        for (int segment = 1; segment <= 2; segment++)
        {
            try (RecordingWriter writer = RecordingWriter.open(dir, "gateway"))
            {
                writer.definition(1, "CUT", 0, 0);
                writer.trade(1, segment, segment * 1_000L, segment * 1_000L, 100 + segment, 1);
            }
        }
        final List<Path> files = RecordingDescriptor.segments(dir);
        final long[] ends = new long[files.size()];
        for (int i = 0; i < files.size(); i++)
        {
            ends[i] = Files.size(files.get(i));
            try (RandomAccessFile raf = new RandomAccessFile(files.get(i).toFile(), "rw"))
            {
                raf.seek(ends[i]);
                raf.write(new byte[] {0, 0, 0, (byte)0x80, 'T', 1, 2});
            }
        }
        int trades = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                trades += TYPE_TRADE == type ? 1 : 0;
            }
            assertThat(reader.incompleteNote())
                .contains("the last record of " + files.get(0) + " at offset " + ends[0] + " is not complete")
                .contains("the last record of " + files.get(1) + " at offset " + ends[1] + " is not complete");
        }
        assertThat(trades).isEqualTo(2);
    }

    @Test
    void shouldStopWithNoteBeforeBatchWhoseWriteWasCutAnywhere() throws IOException
    {
        final Path segment;
        final long batchStart;
        final byte[] before;
        final byte[] after;
        try (RecordingWriter writer = RecordingWriter.open(dir, "cut"))
        {
            segment = writer.file();
            writer.definition(1, "CUT", 0, 0);
            writer.quote(1, 1, 10, 10, 100, 1, 101, 1);
            writer.flush();
            batchStart = writer.length();
            before = Files.readAllBytes(segment);
            for (int i = 2; i <= 20; i++)
            {
                writer.quote(1, i, 10L * i, 10L * i, 100 + i, i, 101 + i, i);
            }
            writer.flush();
            after = Files.readAllBytes(segment);
        }
        assertThat(before.length).as("a not-complete header waits where the next record goes")
            .isEqualTo(batchStart + 4);
        assertThat(before[(int)batchStart + 3]).isEqualTo((byte)0x80);

        // What a write of the second batch cut short after any number of bytes leaves: the first write (batch and
        // its first header still not complete) partly over the file as the first batch left it, no second write.
        final byte[] firstWrite = after.clone();
        firstWrite[(int)batchStart + 3] = (byte)0x80;
        for (int cut = (int)batchStart; cut <= after.length; cut++)
        {
            final byte[] file = Arrays.copyOf(before, Math.max(before.length, cut));
            System.arraycopy(firstWrite, (int)batchStart, file, (int)batchStart, cut - (int)batchStart);
            Files.write(segment, file);
            try (RecordingReader reader = RecordingReader.open(dir))
            {
                assertThat(reader.next()).isEqualTo(TYPE_DEFINITION);
                assertThat(reader.next()).isEqualTo(TYPE_QUOTE);
                assertThat(reader.next()).as("cut after %d bytes", cut - batchStart).isEqualTo(RecordingReader.END);
                assertThat(reader.incompleteNote()).contains("at offset " + batchStart + " is not complete");
            }
        }
    }

    /**
     * Records readable now; {@code end} is where a segment still open ends with its not-complete header (-1: not
     * checked), 0 for a closed one, which has no note.
     */
    private int countRecords(final long end)
    {
        int records = 0;
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            while (RecordingReader.END != reader.next())
            {
                records++;
            }
            if (0 == end)
            {
                assertThat(reader.incompleteNote()).isNull();
            }
            else if (end > 0)
            {
                assertThat(reader.incompleteNote()).contains("at offset " + end + " is not complete");
            }
        }
        return records;
    }

    private static void overwrite(final Path file, final long offset, final byte[] bytes) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            raf.write(bytes);
        }
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    private static byte[] document(final byte[] body)
    {
        final CRC32C crc = new CRC32C();
        crc.update(body);
        final int check = (int)crc.getValue();
        final int length = body.length + 4;
        return concat(bytes(length, length >>> 8, length >>> 16, length >>> 24), body,
            bytes(check, check >>> 8, check >>> 16, check >>> 24));
    }

    private static byte[] concat(final byte[]... parts)
    {
        final byte[] all = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
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

package io.tickgate.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.tickgate.protocol.FrameDescriptor.ENTRY_LENGTH;
import static io.tickgate.protocol.FrameDescriptor.FLAG_QUOTE;
import static io.tickgate.protocol.FrameDescriptor.FLAG_STALE;
import static io.tickgate.protocol.FrameDescriptor.FLAG_TRADE;
import static io.tickgate.protocol.FrameDescriptor.HEADER_LENGTH;
import static io.tickgate.protocol.FrameDescriptor.KIND_HEARTBEAT;
import static io.tickgate.protocol.FrameDescriptor.KIND_SNAPSHOT;
import static io.tickgate.protocol.FrameDescriptor.KIND_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes client frames encoded by {@link FrameFlyweight} to {@code target/golden/} with the values they hold, so the
 * JavaScript client's tests (clients/js, run later in the same build) decode exactly what the gateway encodes and the
 * two sides cannot drift apart. Values sit where a decoder typically goes wrong: beyond 2^53, negative, at the
 * limits of each unsigned width, and with the sign bit of a u64 set.
 * <p>
 * {@code expected.json} gives every 64-bit value as a decimal string (unsigned for {@code frameSeq} and {@code seq})
 * because JSON numbers beyond 2^53 would be rounded by the reader.
 */
class GoldenFramesTest
{
    private static final long BEYOND_2_53 = (1L << 53) + 1;
    private static final Path OUT = Path.of("target", "golden");

    private record Entry(
        int sid, int flags, int conflated, long seq, long bidPrice, long bidSize, long askPrice, long askSize,
        long lastPrice, long lastSize, long exchangeTime, long ingestTime)
    {
    }

    private record Frame(String name, byte kind, long frameSeq, long sendTime, List<Entry> entries)
    {
    }

    @Test
    void shouldWriteGoldenFramesForOtherLanguageClients() throws IOException
    {
        final List<Frame> frames = List.of(
            new Frame("snapshot", KIND_SNAPSHOT, 1, 1_764_000_000_123_456_789L, List.of(
                new Entry(3, FLAG_QUOTE | FLAG_TRADE, 12, 1, 1_234_500, 100, 1_234_600, 200, 1_234_550, 7,
                    1_764_000_000_000_000_001L, 1_764_000_000_000_500_000L),
                new Entry(0xFFFF_FFFF, FLAG_QUOTE, 0xFFFF, BEYOND_2_53, -BEYOND_2_53, BEYOND_2_53, Long.MAX_VALUE,
                    Long.MIN_VALUE, 0, 0, -1, 0),
                new Entry(7, FLAG_TRADE | FLAG_STALE, 0, -1L, 0, 0, 0, 0, -42, 9_007_199_254_740_993L,
                    Long.MIN_VALUE, Long.MAX_VALUE))),
            new Frame("update", KIND_UPDATE, 0x8877_6655_4433_2211L, -1_764_000_000_000_000_001L, List.of(
                new Entry(3, FLAG_QUOTE | FLAG_TRADE, 1, 2, 1_234_400, 300, 1_234_700, 400, 1_234_700, 50,
                    1_764_000_001_000_000_000L, 1_764_000_001_000_400_000L))),
            new Frame("heartbeat", KIND_HEARTBEAT, 3, 1_764_000_002_000_000_000L, List.of()),
            new Frame("empty-snapshot", KIND_SNAPSHOT, 4, 1_764_000_003_000_000_000L, List.of()));

        Files.createDirectories(OUT);
        final StringJoiner json = new StringJoiner(",\n", "[\n", "\n]\n");
        for (final Frame frame : frames)
        {
            final byte[] bytes = encode(frame);
            Files.write(OUT.resolve(frame.name() + ".bin"), bytes);
            json.add(toJson(frame));
            assertDecodesBack(bytes, frame);
        }
        Files.writeString(OUT.resolve("expected.json"), json.toString(), StandardCharsets.UTF_8);

        assertThat(Files.size(OUT.resolve("snapshot.bin"))).isEqualTo(HEADER_LENGTH + 3L * ENTRY_LENGTH);
    }

    private static byte[] encode(final Frame frame)
    {
        final byte[] bytes = new byte[HEADER_LENGTH + frame.entries().size() * ENTRY_LENGTH];
        final FrameFlyweight flyweight = new FrameFlyweight().wrap(new UnsafeBuffer(bytes), 0);
        flyweight.header(frame.kind(), frame.entries().size(), frame.frameSeq(), frame.sendTime());
        for (int i = 0; i < frame.entries().size(); i++)
        {
            final Entry e = frame.entries().get(i);
            flyweight.entry(i, e.sid(), e.flags(), e.conflated(), e.seq(), e.bidPrice(), e.bidSize(), e.askPrice(),
                e.askSize(), e.lastPrice(), e.lastSize(), e.exchangeTime(), e.ingestTime());
        }
        return bytes;
    }

    private static void assertDecodesBack(final byte[] bytes, final Frame frame)
    {
        final FrameFlyweight flyweight = new FrameFlyweight().wrap(new UnsafeBuffer(bytes), 0);
        assertThat(flyweight.kind()).isEqualTo(frame.kind());
        assertThat(flyweight.count()).isEqualTo(frame.entries().size());
        assertThat(flyweight.frameSeq()).isEqualTo(frame.frameSeq());
        for (int i = 0; i < frame.entries().size(); i++)
        {
            assertThat(flyweight.seq(i)).isEqualTo(frame.entries().get(i).seq());
            assertThat(flyweight.ingestTime(i)).isEqualTo(frame.entries().get(i).ingestTime());
        }
    }

    private static String toJson(final Frame frame)
    {
        final List<String> entries = new ArrayList<>();
        for (final Entry e : frame.entries())
        {
            entries.add(String.format(
                "{\"sid\":%d,\"flags\":%d,\"conflated\":%d,\"seq\":\"%s\",\"bidPrice\":\"%d\",\"bidSize\":\"%d\"," +
                "\"askPrice\":\"%d\",\"askSize\":\"%d\",\"lastPrice\":\"%d\",\"lastSize\":\"%d\"," +
                "\"exchangeTime\":\"%d\",\"ingestTime\":\"%d\"}",
                Integer.toUnsignedLong(e.sid()), e.flags(), e.conflated(), Long.toUnsignedString(e.seq()), e.bidPrice(),
                e.bidSize(), e.askPrice(), e.askSize(), e.lastPrice(), e.lastSize(), e.exchangeTime(),
                e.ingestTime()));
        }
        return String.format(
            "{\"file\":\"%s.bin\",\"version\":1,\"kind\":%d,\"count\":%d,\"frameSeq\":\"%s\",\"sendTime\":\"%d\"," +
            "\"entries\":[%s]}",
            frame.name(), frame.kind(), frame.entries().size(), Long.toUnsignedString(frame.frameSeq()),
            frame.sendTime(), String.join(",", entries));
    }
}

package io.tickgate.gateway.session;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.tickgate.gateway.session.ClientFrames.masked;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6455 5.2–5.5 as the gateway reads it: masking, fragmentation with interleaved control frames, the three
 * length forms, close payloads, and every way a client can break the protocol (each fails with 1002 or 1007).
 */
class ClientFrameDecoderTest
{
    private static final int MAX_TEXT = 64;

    private final Recorder handler = new Recorder();
    private final ClientFrameDecoder decoder = new ClientFrameDecoder(MAX_TEXT);

    @Test
    void shouldDecodeTheRfcMaskedHelloExample()
    {
        // RFC 6455 5.7: a single-frame masked text message containing "Hello".
        feed(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58));

        assertThat(handler.events).containsExactly("text:Hello");
    }

    @Test
    void shouldDecodeFramesSplitAtEveryByte()
    {
        final byte[] stream = concat(
            masked(true, 0x1, "{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8)),
            masked(true, 0x9, bytes(1, 2, 3)),
            masked(true, 0x1, "second".getBytes(StandardCharsets.UTF_8)));

        for (final byte b : stream)
        {
            assertThat(decoder.onBytes(ByteBuffer.wrap(new byte[]{b}), handler)).isTrue();
        }

        assertThat(handler.events).containsExactly("text:{\"op\":\"ping\"}", "ping:1,2,3", "text:second");
    }

    @Test
    void shouldReassembleFragmentsWithPingsBetweenThem()
    {
        feed(concat(
            masked(false, 0x1, "{\"op\":".getBytes(StandardCharsets.UTF_8)),
            masked(true, 0x9, bytes(9)),
            masked(false, 0x0, "\"pi".getBytes(StandardCharsets.UTF_8)),
            masked(true, 0xA, bytes(0, 7)),
            masked(true, 0x0, "ng\"}".getBytes(StandardCharsets.UTF_8))));

        assertThat(handler.events).containsExactly("ping:9", "pong:0,7", "text:{\"op\":\"ping\"}");
    }

    @Test
    void shouldReadSixteenAndSixtyFourBitLengths()
    {
        final ClientFrameDecoder large = new ClientFrameDecoder(100_000);
        final byte[] medium = "m".repeat(300).getBytes(StandardCharsets.UTF_8);
        final byte[] big = "b".repeat(70_000).getBytes(StandardCharsets.UTF_8);

        large.onBytes(ByteBuffer.wrap(concat(masked(true, 0x1, medium), masked(true, 0x1, big))), handler);

        assertThat(handler.events).containsExactly("text:" + "m".repeat(300), "text:" + "b".repeat(70_000));
    }

    @Test
    void shouldReportAnOversizedMessageOnceAndCarryOn()
    {
        feed(concat(
            masked(false, 0x1, "x".repeat(40).getBytes(StandardCharsets.UTF_8)),
            masked(true, 0x0, "y".repeat(40).getBytes(StandardCharsets.UTF_8)),
            masked(true, 0x1, "z".repeat(MAX_TEXT).getBytes(StandardCharsets.UTF_8))));

        assertThat(handler.events).containsExactly("tooLarge", "text:" + "z".repeat(MAX_TEXT));
    }

    @Test
    void shouldReportBinaryMessagesWithoutKeepingThem()
    {
        feed(concat(masked(false, 0x2, bytes(1, 2)), masked(true, 0x0, bytes(3)), masked(true, 0x1, bytes('k'))));

        assertThat(handler.events).containsExactly("binary", "text:k");
    }

    @Test
    void shouldDeliverCloseCodeAndReasonAndStop()
    {
        final boolean open = decoder.onBytes(ByteBuffer.wrap(concat(
            masked(true, 0x8, concat(bytes(0x03, 0xE8), "bye".getBytes(StandardCharsets.UTF_8))),
            masked(true, 0x1, bytes('n')))), handler);

        assertThat(open).isFalse();
        assertThat(decoder.isDone()).isTrue();
        assertThat(handler.events).containsExactly("close:1000:bye");
    }

    @Test
    void shouldDeliverACloseWithoutPayload()
    {
        feed(masked(true, 0x8, bytes()));

        assertThat(handler.events).containsExactly("close:-1:");
    }

    @Test
    void shouldFailUnmaskedFrames()
    {
        feed(bytes(0x81, 0x02, 'h', 'i'));

        assertThat(handler.events).containsExactly("error:1002:client frames must be masked");
    }

    @Test
    void shouldFailReservedBits()
    {
        final byte[] frame = masked(true, 0x1, bytes('a'));
        frame[0] |= 0x40;
        feed(frame);

        assertThat(handler.events).containsExactly("error:1002:no extension was negotiated");
    }

    @Test
    void shouldFailUnknownOpcodes()
    {
        feed(masked(true, 0x3, bytes()));
        assertThat(handler.events).containsExactly("error:1002:unknown opcode 3");

        final Recorder control = new Recorder();
        new ClientFrameDecoder(MAX_TEXT).onBytes(ByteBuffer.wrap(masked(true, 0xB, bytes())), control);
        assertThat(control.events).containsExactly("error:1002:unknown opcode 11");
    }

    @Test
    void shouldFailFragmentedOrLongControlFrames()
    {
        feed(masked(false, 0x9, bytes(1)));
        assertThat(handler.events).containsExactly("error:1002:control frames must be final and at most 125 bytes");

        final Recorder control = new Recorder();
        new ClientFrameDecoder(MAX_TEXT).onBytes(ByteBuffer.wrap(masked(true, 0x9, new byte[126])), control);
        assertThat(control.events).containsExactly("error:1002:control frames must be final and at most 125 bytes");
    }

    @Test
    void shouldFailContinuationWithoutAMessage()
    {
        feed(masked(true, 0x0, bytes('a')));

        assertThat(handler.events).containsExactly("error:1002:continuation without a message to continue");
    }

    @Test
    void shouldFailANewMessageInsideAFragmentedOne()
    {
        feed(concat(masked(false, 0x1, bytes('a')), masked(true, 0x1, bytes('b'))));

        assertThat(handler.events).containsExactly("error:1002:new message before the previous one's final fragment");
    }

    @Test
    void shouldFailInvalidUtf8Text()
    {
        feed(masked(true, 0x1, bytes(0xC3, 0x28)));

        assertThat(handler.events).containsExactly("error:1007:text message is not UTF-8");
    }

    /**
     * A text message past the limit is not kept, but it is still text: not UTF-8 fails the connection, as it does
     * for a message within the limit, wherever the bad byte is.
     */
    @Test
    void shouldFailAnOversizedTextMessageThatIsNotUtf8()
    {
        feed(concat(
            masked(false, 0x1, "x".repeat(MAX_TEXT - 1).getBytes(StandardCharsets.UTF_8)),
            masked(false, 0x0, "yyyy".getBytes(StandardCharsets.UTF_8)),
            masked(true, 0x0, bytes('"', 0xFF, '}'))));

        assertThat(handler.events).containsExactly("error:1007:text message is not UTF-8");
    }

    @Test
    void shouldFailAnOversizedTextMessageWhoseBadByteCameBeforeTheLimit()
    {
        feed(masked(true, 0x1, concat(bytes(0xC0, 0x80), "z".repeat(MAX_TEXT).getBytes(StandardCharsets.UTF_8))));

        assertThat(handler.events).containsExactly("error:1007:text message is not UTF-8");
    }

    @Test
    void shouldReportAnOversizedUtf8MessageWithACharacterAcrossTheLimitAsTooLarge()
    {
        final byte[] text = ("x".repeat(MAX_TEXT - 2) + "€😀€").getBytes(StandardCharsets.UTF_8);
        final byte[] first = java.util.Arrays.copyOfRange(text, 0, MAX_TEXT - 1);
        final byte[] rest = java.util.Arrays.copyOfRange(text, MAX_TEXT - 1, text.length);
        feed(concat(masked(false, 0x1, first), masked(true, 0x9, bytes(7)), masked(true, 0x0, rest),
            masked(true, 0x1, bytes('k'))));

        assertThat(handler.events).containsExactly("ping:7", "tooLarge", "text:k");
    }

    /**
     * The byte-at-a-time check agrees with the JDK's strict decoder on every two- to four-byte sequence built from
     * the bytes that matter at UTF-8's boundaries, and on random runs of such bytes.
     */
    @Test
    void shouldCheckUtf8ByteByByteAsTheStrictDecoderDoes()
    {
        final int[] edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
            0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFF};
        final ClientFrameDecoder.Utf8Check check = new ClientFrameDecoder.Utf8Check();
        final java.util.Random random = new java.util.Random(42);
        int compared = 0;
        for (int length = 1; length <= 4; length++)
        {
            final int combinations = (int)Math.pow(edges.length, length);
            for (int n = 0; n < combinations; n++)
            {
                final byte[] sequence = new byte[length];
                for (int i = 0, rest = n; i < length; i++, rest /= edges.length)
                {
                    sequence[i] = (byte)edges[rest % edges.length];
                }
                assertAgrees(check, sequence);
                compared++;
            }
        }
        for (int n = 0; n < 20_000; n++)
        {
            final byte[] sequence = new byte[1 + random.nextInt(12)];
            for (int i = 0; i < sequence.length; i++)
            {
                sequence[i] = (byte)edges[random.nextInt(edges.length)];
            }
            assertAgrees(check, sequence);
            compared++;
        }
        assertThat(compared).isGreaterThan(400_000);
    }

    private static void assertAgrees(final ClientFrameDecoder.Utf8Check check, final byte[] sequence)
    {
        boolean strict;
        try
        {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(sequence));
            strict = true;
        }
        catch (final java.nio.charset.CharacterCodingException ex)
        {
            strict = false;
        }
        check.reset();
        for (final byte b : sequence)
        {
            check.accept(b);
        }
        assertThat(check.isWellFormed()).as("%s", java.util.HexFormat.of().formatHex(sequence)).isEqualTo(strict);
    }

    @Test
    void shouldAcceptUtf8SplitAcrossFragments()
    {
        final byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        feed(concat(masked(false, 0x1, new byte[]{euro[0]}), masked(true, 0x0, new byte[]{euro[1], euro[2]})));

        assertThat(handler.events).containsExactly("text:€");
    }

    @Test
    void shouldFailBadClosePayloads()
    {
        feed(masked(true, 0x8, bytes(0x03)));
        assertThat(handler.events).containsExactly("error:1002:a close payload has a two-byte code");

        for (final int code : new int[]{999, 1004, 1005, 1006, 1015, 2999, 5000})
        {
            final Recorder recorder = new Recorder();
            new ClientFrameDecoder(MAX_TEXT).onBytes(
                ByteBuffer.wrap(masked(true, 0x8, bytes(code >>> 8, code & 0xFF))), recorder);
            assertThat(recorder.events).as("code %d", code)
                .containsExactly("error:1002:close code " + code + " may not be sent");
        }

        final Recorder badReason = new Recorder();
        new ClientFrameDecoder(MAX_TEXT).onBytes(
            ByteBuffer.wrap(masked(true, 0x8, bytes(0x03, 0xE8, 0xC3, 0x28))), badReason);
        assertThat(badReason.events).containsExactly("error:1007:close reason is not UTF-8");
    }

    @Test
    void shouldAcceptRegisteredAndPrivateCloseCodes()
    {
        for (final int code : new int[]{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
            3000, 4999})
        {
            final Recorder recorder = new Recorder();
            new ClientFrameDecoder(MAX_TEXT).onBytes(
                ByteBuffer.wrap(masked(true, 0x8, bytes(code >>> 8, code & 0xFF))), recorder);
            assertThat(recorder.events).as("code %d", code).containsExactly("close:" + code + ":");
        }
    }

    @Test
    void shouldFailLengthsWithTheTopBitSet()
    {
        feed(bytes(0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4));

        assertThat(handler.events).containsExactly("error:1002:payload length out of range");
    }

    @Test
    void shouldIgnoreInputAfterAProtocolError()
    {
        assertThat(decoder.onBytes(ByteBuffer.wrap(concat(bytes(0x81, 0x01, 'a'), masked(true, 0x1, bytes('b')))),
            handler)).isFalse();
        assertThat(decoder.onBytes(ByteBuffer.wrap(masked(true, 0x1, bytes('c'))), handler)).isFalse();

        assertThat(handler.events).containsExactly("error:1002:client frames must be masked");
    }

    private void feed(final byte[] stream)
    {
        decoder.onBytes(ByteBuffer.wrap(stream), handler);
    }

    static byte[] bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final class Recorder implements ClientFrameDecoder.Handler
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void onText(final byte[] bytes, final int length)
        {
            events.add("text:" + new String(bytes, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onTextTooLarge()
        {
            events.add("tooLarge");
        }

        @Override
        public void onBinary()
        {
            events.add("binary");
        }

        @Override
        public void onPing(final byte[] payload, final int length)
        {
            events.add(control("ping:", payload, length));
        }

        @Override
        public void onPong(final byte[] payload, final int length)
        {
            events.add(control("pong:", payload, length));
        }

        private static String control(final String kind, final byte[] payload, final int length)
        {
            final StringBuilder text = new StringBuilder(kind);
            for (int i = 0; i < length; i++)
            {
                text.append(i > 0 ? "," : "").append(payload[i]);
            }
            return text.toString();
        }

        @Override
        public void onClose(final int code, final String reason)
        {
            events.add("close:" + code + ":" + reason);
        }

        @Override
        public void onProtocolError(final int closeCode, final String reason)
        {
            events.add("error:" + closeCode + ":" + reason);
        }
    }
}

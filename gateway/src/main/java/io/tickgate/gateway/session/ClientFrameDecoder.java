package io.tickgate.gateway.session;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.tickgate.protocol.WebSocketFrameDescriptor.*;

/**
 * Decodes what a client sends on an upgraded connection (RFC 6455 5.2) from bytes as they arrive, in any split:
 * frames must be masked and carry no extension bits; control frames are short, final, and may come between the
 * fragments of a message; a text message must be UTF-8.
 * <p>
 * A text message is collected up to a limit; past it the rest is read, checked as UTF-8 and dropped, and the
 * message is reported as too large, so an oversized request costs the session an error reply and nothing more.
 * Binary messages are not part of the protocol; their payload is dropped and they are reported once each. After a
 * close frame or a protocol error the decoder takes no more input.
 * <p>
 * Not thread-safe: one per session, used on its IO thread. Allocates only to grow the text buffer and for
 * control frames and text messages, which are rare.
 */
final class ClientFrameDecoder
{
    interface Handler
    {
        void onText(byte[] bytes, int length);

        void onTextTooLarge();

        void onBinary();

        void onPing(byte[] payload, int length);

        void onPong(byte[] payload, int length);

        /**
         * The client's close frame; {@code code} is -1 when it carried none.
         */
        void onClose(int code, String reason);

        /**
         * The connection must fail with this close code (RFC 6455 7.1.7).
         */
        void onProtocolError(int closeCode, String reason);
    }

    private static final int STATE_HEADER = 0;
    private static final int STATE_PAYLOAD = 1;
    private static final int STATE_DONE = 2;

    private final int maxTextLength;
    private final byte[] header = new byte[2 + 8 + MASKING_KEY_LENGTH];
    private final byte[] mask = new byte[MASKING_KEY_LENGTH];
    private final byte[] control = new byte[MAX_CONTROL_PAYLOAD];
    private final Utf8Check utf8 = new Utf8Check();
    private byte[] text = new byte[512];

    private int state = STATE_HEADER;
    private int headerLength;
    private int frameOpcode;
    private boolean frameFin;
    private long payloadRemaining;
    private int payloadOffset;
    /** The opcode of the data message being assembled from fragments, or -1 between messages. */
    private int messageOpcode = -1;
    private int textLength;
    private boolean textOverflow;

    ClientFrameDecoder(final int maxTextLength)
    {
        this.maxTextLength = maxTextLength;
    }

    /**
     * Consumes everything {@code src} holds; returns false once the decoder has finished (close or error), after
     * which further input is ignored.
     */
    boolean onBytes(final ByteBuffer src, final Handler handler)
    {
        while (STATE_DONE != state && src.hasRemaining())
        {
            if (STATE_HEADER == state)
            {
                readHeader(src, handler);
            }
            else
            {
                readPayload(src, handler);
            }
        }
        if (STATE_DONE == state)
        {
            src.position(src.limit());
            return false;
        }
        return true;
    }

    boolean isDone()
    {
        return STATE_DONE == state;
    }

    private void readHeader(final ByteBuffer src, final Handler handler)
    {
        header[headerLength++] = src.get();
        if (headerLength < 2)
        {
            return;
        }
        final int b0 = header[0] & 0xFF;
        final int b1 = header[1] & 0xFF;
        if (2 == headerLength)
        {
            if ((b0 & RSV_BITS) != 0)
            {
                fail(handler, CLOSE_PROTOCOL_ERROR, "no extension was negotiated");
                return;
            }
            if ((b1 & MASK_BIT) == 0)
            {
                fail(handler, CLOSE_PROTOCOL_ERROR, "client frames must be masked");
                return;
            }
        }
        final int lengthField = b1 & LENGTH_MASK;
        final int extendedLength = LENGTH_16_MARKER == lengthField ? 2 : LENGTH_64_MARKER == lengthField ? 8 : 0;
        if (headerLength < 2 + extendedLength + MASKING_KEY_LENGTH)
        {
            return;
        }

        long length = lengthField;
        if (extendedLength > 0)
        {
            length = 0;
            for (int i = 0; i < extendedLength; i++)
            {
                length = (length << 8) | (header[2 + i] & 0xFF);
            }
            if (length < 0)
            {
                fail(handler, CLOSE_PROTOCOL_ERROR, "payload length out of range");
                return;
            }
        }
        System.arraycopy(header, 2 + extendedLength, mask, 0, MASKING_KEY_LENGTH);
        headerLength = 0;
        startFrame(b0 & OPCODE_MASK, (b0 & FIN_BIT) != 0, length, handler);
    }

    private void startFrame(final int opcode, final boolean fin, final long length, final Handler handler)
    {
        if (isControl(opcode))
        {
            if (opcode != OPCODE_CLOSE && opcode != OPCODE_PING && opcode != OPCODE_PONG)
            {
                fail(handler, CLOSE_PROTOCOL_ERROR, "unknown opcode " + opcode);
                return;
            }
            if (!fin || length > MAX_CONTROL_PAYLOAD)
            {
                fail(handler, CLOSE_PROTOCOL_ERROR, "control frames must be final and at most 125 bytes");
                return;
            }
        }
        else if (OPCODE_CONTINUATION == opcode)
        {
            if (-1 == messageOpcode)
            {
                fail(handler, CLOSE_PROTOCOL_ERROR, "continuation without a message to continue");
                return;
            }
        }
        else if (OPCODE_TEXT == opcode || OPCODE_BINARY == opcode)
        {
            if (-1 != messageOpcode)
            {
                fail(handler, CLOSE_PROTOCOL_ERROR, "new message before the previous one's final fragment");
                return;
            }
            messageOpcode = opcode;
            textLength = 0;
            textOverflow = false;
        }
        else
        {
            fail(handler, CLOSE_PROTOCOL_ERROR, "unknown opcode " + opcode);
            return;
        }

        frameOpcode = opcode;
        frameFin = fin;
        payloadRemaining = length;
        payloadOffset = 0;
        state = STATE_PAYLOAD;
        if (0 == length)
        {
            endFrame(handler);
        }
    }

    private void readPayload(final ByteBuffer src, final Handler handler)
    {
        final int count = (int)Math.min(src.remaining(), payloadRemaining);
        if (isControl(frameOpcode))
        {
            unmask(src, control, payloadOffset, count);
        }
        else if (OPCODE_TEXT == messageOpcode)
        {
            if (!textOverflow && textLength + count > maxTextLength)
            {
                // Past the limit the rest is dropped, yet still checked: a text message that is not UTF-8 fails
                // the connection whatever its size (RFC 6455 8.1).
                textOverflow = true;
                utf8.reset();
                for (int i = 0; i < textLength; i++)
                {
                    utf8.accept(text[i]);
                }
            }
            if (textOverflow)
            {
                for (int i = 0; i < count; i++)
                {
                    utf8.accept(src.get() ^ mask[(payloadOffset + i) & 3]);
                }
            }
            else
            {
                if (textLength + count > text.length)
                {
                    text = Arrays.copyOf(text, Math.min(maxTextLength, Math.max(text.length * 2, textLength + count)));
                }
                unmask(src, text, textLength, count);
                textLength += count;
            }
        }
        else
        {
            skip(src, count);
        }
        payloadOffset += count;
        payloadRemaining -= count;
        if (0 == payloadRemaining)
        {
            endFrame(handler);
        }
    }

    private void endFrame(final Handler handler)
    {
        state = STATE_HEADER;
        switch (frameOpcode)
        {
            case OPCODE_PING -> handler.onPing(control, payloadOffset);
            case OPCODE_PONG -> handler.onPong(control, payloadOffset);
            case OPCODE_CLOSE -> endClose(handler);
            default ->
            {
                if (frameFin)
                {
                    endMessage(handler);
                }
            }
        }
    }

    private void endClose(final Handler handler)
    {
        final int length = payloadOffset;
        if (0 == length)
        {
            state = STATE_DONE;
            handler.onClose(-1, "");
            return;
        }
        if (1 == length)
        {
            fail(handler, CLOSE_PROTOCOL_ERROR, "a close payload has a two-byte code");
            return;
        }
        final int code = ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
        if (!isValidReceivedCloseCode(code))
        {
            fail(handler, CLOSE_PROTOCOL_ERROR, "close code " + code + " may not be sent");
            return;
        }
        final String reason = utf8(control, 2, length - 2);
        if (null == reason)
        {
            fail(handler, CLOSE_INVALID_PAYLOAD, "close reason is not UTF-8");
            return;
        }
        state = STATE_DONE;
        handler.onClose(code, reason);
    }

    private void endMessage(final Handler handler)
    {
        final int opcode = messageOpcode;
        messageOpcode = -1;
        if (OPCODE_BINARY == opcode)
        {
            handler.onBinary();
        }
        else if (textOverflow)
        {
            if (utf8.isWellFormed())
            {
                handler.onTextTooLarge();
            }
            else
            {
                fail(handler, CLOSE_INVALID_PAYLOAD, "text message is not UTF-8");
            }
        }
        else if (null == utf8(text, 0, textLength))
        {
            fail(handler, CLOSE_INVALID_PAYLOAD, "text message is not UTF-8");
        }
        else
        {
            handler.onText(text, textLength);
        }
    }

    private void fail(final Handler handler, final int closeCode, final String reason)
    {
        state = STATE_DONE;
        handler.onProtocolError(closeCode, reason);
    }

    private void unmask(final ByteBuffer src, final byte[] dst, final int dstOffset, final int count)
    {
        src.get(dst, dstOffset, count);
        for (int i = 0; i < count; i++)
        {
            dst[dstOffset + i] ^= mask[(payloadOffset + i) & 3];
        }
    }

    private static void skip(final ByteBuffer src, final int count)
    {
        src.position(src.position() + count);
    }

    /**
     * The bytes as a string, or null when they are not well-formed UTF-8. Only for replies-sized input.
     */
    private static String utf8(final byte[] bytes, final int offset, final int length)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, offset, length))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }

    /**
     * Well-formed UTF-8 (RFC 3629 4) checked a byte at a time, for a text message too large to keep: no overlong
     * forms, no surrogates, nothing above U+10FFFF, no sequence left unfinished.
     */
    static final class Utf8Check
    {
        private int continuations;
        private int lower = 0x80;
        private int upper = 0xBF;
        private boolean malformed;

        void reset()
        {
            continuations = 0;
            lower = 0x80;
            upper = 0xBF;
            malformed = false;
        }

        void accept(final int value)
        {
            final int b = value & 0xFF;
            if (malformed)
            {
                return;
            }
            if (0 != continuations)
            {
                if (b < lower || b > upper)
                {
                    malformed = true;
                    return;
                }
                continuations--;
                lower = 0x80;
                upper = 0xBF;
            }
            else if (b >= 0xC2 && b <= 0xDF)
            {
                continuations = 1;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                continuations = 2;
                lower = 0xE0 == b ? 0xA0 : 0x80;
                upper = 0xED == b ? 0x9F : 0xBF;
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                continuations = 3;
                lower = 0xF0 == b ? 0x90 : 0x80;
                upper = 0xF4 == b ? 0x8F : 0xBF;
            }
            else if (b >= 0x80)
            {
                malformed = true;
            }
        }

        boolean isWellFormed()
        {
            return !malformed && 0 == continuations;
        }
    }
}

package io.tickgate.client;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Puts WebSocket messages that arrive in parts back together. A binary message that comes whole is decoded
 * straight out of the JDK's {@link ByteBuffer} through a re-pointed view; one in parts is copied into a reusable
 * buffer and decoded once its last part is in. One instance serves every connection of a client, reset on each
 * open, so a reconnect allocates no new buffers.
 * <p>
 * Not thread-safe: used by the WebSocket's callback thread with the client's monitor,
 * {@link ClientConductor#lock}, held.
 */
final class MessageAssembler
{
    /** {@link #onBinary} before the last part; unlike any {@link FrameAdapter#onFrame} result. */
    static final int INCOMPLETE = -1;

    private final FrameAdapter adapter;
    private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(64 * 1024);
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final StringBuilder text = new StringBuilder();
    /** Bytes of the binary message in parts held in {@link #assembly}. */
    private int assembled;

    MessageAssembler(final FrameAdapter adapter)
    {
        this.adapter = adapter;
    }

    /**
     * A new connection: parts a lost one left are dropped.
     */
    void reset()
    {
        assembled = 0;
        text.setLength(0);
    }

    /**
     * @return {@link #INCOMPLETE} before the message's last part, then what the frame adapter made of it.
     */
    int onBinary(final ByteBuffer data, final boolean last)
    {
        final int length = data.remaining();
        final int result;
        if (last && 0 == assembled)
        {
            view.wrap(data, data.position(), length);
            result = adapter.onFrame(view, 0, length);
        }
        else
        {
            assembly.putBytes(assembled, data, data.position(), length);
            assembled += length;
            if (!last)
            {
                return INCOMPLETE;
            }
            result = adapter.onFrame(assembly, 0, assembled);
            assembled = 0;
        }
        return result;
    }

    /**
     * @return the whole message once its last part is in, else null.
     */
    String onText(final CharSequence data, final boolean last)
    {
        text.append(data);
        if (!last)
        {
            return null;
        }
        final String message = text.toString();
        text.setLength(0);
        return message;
    }
}

package io.tickgate.gateway.session;

import io.undertow.websockets.core.StreamSourceFrameChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads one client message (all its fragments) into a buffer that grows up to a limit. Past the limit the rest
 * of the message is read and discarded, and the message is reported as too large, so one oversized request costs
 * the session nothing but an error reply.
 * <p>
 * Not thread-safe: one per session, used on its IO thread.
 */
final class InboundMessageReader
{
    interface Handler
    {
        void onMessage(byte[] bytes, int length);

        void onTooLarge();

        void onReadError(IOException ex);
    }

    private final int maxLength;
    private final ByteBuffer discard = ByteBuffer.allocate(1024);
    private byte[] bytes = new byte[512];
    private int length;
    private boolean overflow;

    InboundMessageReader(final int maxLength)
    {
        this.maxLength = maxLength;
    }

    /**
     * Starts reading a new message; reads what is there and registers for the rest.
     */
    void begin(final StreamSourceFrameChannel channel, final Handler handler)
    {
        length = 0;
        overflow = false;
        channel.getReadSetter().set(source -> readAvailable(source, handler));
        readAvailable(channel, handler);
    }

    private void readAvailable(final StreamSourceFrameChannel channel, final Handler handler)
    {
        try
        {
            while (true)
            {
                final int read;
                if (overflow)
                {
                    discard.clear();
                    read = channel.read(discard);
                }
                else
                {
                    if (length == bytes.length)
                    {
                        // One byte more than the limit tells an exact-limit message from a larger one.
                        if (length > maxLength)
                        {
                            overflow = true;
                            continue;
                        }
                        bytes = Arrays.copyOf(bytes, Math.min(bytes.length * 2, maxLength + 1));
                    }
                    read = channel.read(ByteBuffer.wrap(bytes, length, bytes.length - length));
                    if (read > 0)
                    {
                        length += read;
                    }
                }

                if (-1 == read)
                {
                    channel.getReadSetter().set(null);
                    channel.suspendReads();
                    if (overflow)
                    {
                        handler.onTooLarge();
                    }
                    else
                    {
                        handler.onMessage(bytes, length);
                    }
                    return;
                }
                if (0 == read)
                {
                    channel.resumeReads();
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            channel.getReadSetter().set(null);
            handler.onReadError(ex);
        }
    }
}

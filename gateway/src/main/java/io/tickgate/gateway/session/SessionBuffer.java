package io.tickgate.gateway.session;

import io.undertow.connector.PooledByteBuffer;

import java.nio.ByteBuffer;

/**
 * A buffer a session owns, handed to Undertow for one send. Undertow "closes" it once the frame is written;
 * closing does nothing, so the session reuses the buffer for its next frame.
 */
final class SessionBuffer implements PooledByteBuffer
{
    private final ByteBuffer buffer;

    SessionBuffer(final ByteBuffer buffer)
    {
        this.buffer = buffer;
    }

    @Override
    public ByteBuffer getBuffer()
    {
        return buffer;
    }

    @Override
    public void close()
    {
    }

    @Override
    public boolean isOpen()
    {
        return true;
    }
}

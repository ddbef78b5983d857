package io.tickgate.perf;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection: its socket, where it is in the connect → upgrade → open → close life, its outbound bytes
 * not yet written, the inbound bytes of a frame not yet whole, and what it has received.
 * <p>
 * Not thread-safe; touched only by the selector thread of its {@link LoadGenerator}.
 */
final class Connection implements WebSocketListener
{
    enum State
    {
        CONNECTING, UPGRADING, OPEN, CLOSING, CLOSED
    }

    final int index;
    final SessionTally tally;
    final WebSocketFrameParser parser = new WebSocketFrameParser();
    private final LoadGenerator owner;

    SocketChannel channel;
    SelectionKey key;
    State state = State.CONNECTING;
    String webSocketKey;
    /** Bytes queued for the socket, in fill mode; flushed by {@link LoadGenerator}. */
    ByteBuffer out;
    /** Inbound bytes of an unfinished frame (or upgrade response), carried to the next read. */
    byte[] carry;
    int carryLength;
    boolean closeSent;
    boolean closeReceived;
    int serverCloseCode;

    Connection(final LoadGenerator owner, final int index, final SessionTally tally)
    {
        this.owner = owner;
        this.index = index;
        this.tally = tally;
    }

    void keep(final ByteBuffer source, final int from, final int length)
    {
        if (null == carry || carry.length < length)
        {
            carry = new byte[Math.max(length, 4096)];
        }
        source.get(from, carry, 0, length);
        carryLength = length;
    }

    @Override
    public void onMessage(final boolean binary, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        owner.onMessage(this, binary, buffer, offset, length);
    }

    @Override
    public void onPing(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        owner.onPing(this, buffer, offset, length);
    }

    @Override
    public void onPong(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        // The load generator sends no pings; an unsolicited pong is a heartbeat and needs no answer (RFC 6455 5.5.3).
    }

    @Override
    public void onClose(final int code)
    {
        owner.onServerClose(this, code);
    }

    @Override
    public void onProtocolError(final String reason)
    {
        owner.onProtocolError(this, reason);
    }
}

package io.tickgate.gateway.feed;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A non-blocking UDP socket as the feed handler reads it: a plain {@link java.nio.channels.DatagramChannel}, or the
 * same socket registered with an XNIO IO thread when the feed handler runs there.
 */
public interface DatagramReceiver extends AutoCloseable
{
    /**
     * Copies the next waiting datagram into {@code buffer} from its position; never blocks.
     *
     * @return the datagram's sender when a datagram (possibly empty) was taken, null when none was waiting. The
     * JDK hands out the same address object while the sender stays the same.
     */
    SocketAddress receive(ByteBuffer buffer) throws IOException;

    /**
     * Closes the socket; quietly.
     */
    @Override
    void close();
}

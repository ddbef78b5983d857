package io.tickgate.simulator;

import java.net.InetSocketAddress;

/**
 * The receive queue of the UDP socket a sender sends to, when that socket is on this host: how much waits in it
 * and how many datagrams it dropped. A UDP receiver gives its sender no back-pressure; on the same host this is
 * the back-pressure a replay can have.
 * <p>
 * Not thread-safe: one reading thread.
 */
public interface ReceiverQueue extends AutoCloseable
{
    /**
     * The queue of the socket that receives at {@code destination}, or null when it cannot be watched: the
     * destination is not an address of this host, the kernel does not show socket queues (not Linux), or no socket
     * is bound to that port yet.
     */
    static ReceiverQueue find(final InetSocketAddress destination)
    {
        return LinuxReceiverQueue.find(destination);
    }

    /**
     * Reads the queue again.
     *
     * @return false when the socket is gone or cannot be read: the values are then those of the last read.
     */
    boolean poll();

    /**
     * Bytes waiting in the queue at the last {@link #poll()}, as the kernel charges them to the receive buffer.
     */
    long queuedBytes();

    /**
     * Datagrams the receiving socket has dropped since it was opened, at the last {@link #poll()}.
     */
    long drops();

    @Override
    void close();
}

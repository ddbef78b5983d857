package io.tickgate.simulator;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A {@link ReceiverQueue} read from Linux's {@code /proc/net/udp} and {@code /proc/net/udp6}: {@code rx_queue} is
 * what waits in the socket, counted as the kernel charges it against the receive buffer, {@code drops} the
 * datagrams the socket dropped because that buffer was full.
 * <p>
 * The socket is found by the destination's port among the unconnected sockets (a receiver binds, it does not
 * connect), in either table: a Java socket bound to an IPv4 address usually shows in {@code udp6} with the
 * address IPv4-mapped. Reading allocates nothing once the buffer has grown to the tables' size.
 * <p>
 * Not thread-safe: one reading thread.
 */
final class LinuxReceiverQueue implements ReceiverQueue
{
    private static final Path[] TABLES = {Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")};

    private final int port;
    private final RandomAccessFile[] tables;
    private byte[] text = new byte[16 * 1024];
    private int length;
    private long queuedBytes;
    private long drops;

    private LinuxReceiverQueue(final int port, final RandomAccessFile[] tables)
    {
        this.port = port;
        this.tables = tables;
    }

    /**
     * See {@link ReceiverQueue#find(InetSocketAddress)}.
     */
    static ReceiverQueue find(final InetSocketAddress destination)
    {
        if (destination.isUnresolved() || !isLocal(destination) || !Files.isReadable(TABLES[0]))
        {
            return null;
        }
        final RandomAccessFile[] tables = new RandomAccessFile[TABLES.length];
        try
        {
            for (int i = 0; i < TABLES.length; i++)
            {
                tables[i] = Files.isReadable(TABLES[i]) ? new RandomAccessFile(TABLES[i].toFile(), "r") : null;
            }
            final LinuxReceiverQueue queue = new LinuxReceiverQueue(destination.getPort(), tables);
            if (queue.poll())
            {
                return queue;
            }
            queue.close();
        }
        catch (final IOException ex)
        {
            closeAll(tables);
        }
        return null;
    }

    @Override
    public boolean poll()
    {
        for (final RandomAccessFile table : tables)
        {
            if (null != table && read(table) && scan())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public long queuedBytes()
    {
        return queuedBytes;
    }

    @Override
    public long drops()
    {
        return drops;
    }

    @Override
    public void close()
    {
        closeAll(tables);
    }

    private boolean read(final RandomAccessFile table)
    {
        try
        {
            table.seek(0);
            length = 0;
            int n;
            while ((n = table.read(text, length, text.length - length)) > 0)
            {
                length += n;
                if (length == text.length)
                {
                    text = Arrays.copyOf(text, text.length * 2);
                }
            }
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Finds the line of an unconnected socket on {@link #port} and takes its {@code rx_queue} and {@code drops}.
     * A line: {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref
     * pointer drops}, addresses as {@code HEX:PORT} in hexadecimal.
     */
    private boolean scan()
    {
        int at = skipLine(0);
        while (at < length)
        {
            final int lineEnd = lineEnd(at);
            int field = skipSpaces(at, lineEnd);
            field = skipSpaces(nextSpace(field, lineEnd), lineEnd);
            final int local = field;
            final int remote = skipSpaces(nextSpace(local, lineEnd), lineEnd);
            final int state = skipSpaces(nextSpace(remote, lineEnd), lineEnd);
            final int queues = skipSpaces(nextSpace(state, lineEnd), lineEnd);
            if (queues < lineEnd && port == hexAfterColon(local, lineEnd) && isUnconnected(remote, lineEnd))
            {
                queuedBytes = hexAfterColon(queues, lineEnd);
                drops = lastDecimal(at, lineEnd);
                return true;
            }
            at = skipLine(lineEnd);
        }
        return false;
    }

    private boolean isUnconnected(final int remote, final int lineEnd)
    {
        for (int i = remote; i < lineEnd && ' ' != text[i]; i++)
        {
            if ('0' != text[i] && ':' != text[i])
            {
                return false;
            }
        }
        return true;
    }

    private long hexAfterColon(final int from, final int lineEnd)
    {
        int i = from;
        while (i < lineEnd && ':' != text[i] && ' ' != text[i])
        {
            i++;
        }
        long value = 0;
        for (i++; i < lineEnd && ' ' != text[i]; i++)
        {
            value = value << 4 | Character.digit(text[i], 16);
        }
        return value;
    }

    private long lastDecimal(final int from, final int lineEnd)
    {
        int end = lineEnd;
        while (end > from && ' ' == text[end - 1])
        {
            end--;
        }
        int start = end;
        while (start > from && ' ' != text[start - 1])
        {
            start--;
        }
        long value = 0;
        for (int i = start; i < end; i++)
        {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    }

    private int lineEnd(final int from)
    {
        int i = from;
        while (i < length && '\n' != text[i])
        {
            i++;
        }
        return i;
    }

    private int skipLine(final int from)
    {
        return Math.min(length, lineEnd(from) + 1);
    }

    private int skipSpaces(final int from, final int end)
    {
        int i = from;
        while (i < end && ' ' == text[i])
        {
            i++;
        }
        return i;
    }

    private int nextSpace(final int from, final int end)
    {
        int i = from;
        while (i < end && ' ' != text[i])
        {
            i++;
        }
        return i;
    }

    private static boolean isLocal(final InetSocketAddress destination)
    {
        if (destination.getAddress().isLoopbackAddress() || destination.getAddress().isAnyLocalAddress())
        {
            return true;
        }
        try
        {
            return destination.getAddress() instanceof Inet4Address &&
                null != NetworkInterface.getByInetAddress(destination.getAddress());
        }
        catch (final SocketException ex)
        {
            return false;
        }
    }

    private static void closeAll(final RandomAccessFile[] tables)
    {
        for (final RandomAccessFile table : tables)
        {
            if (null != table)
            {
                try
                {
                    table.close();
                }
                catch (final IOException ignore)
                {
                    // Read-only /proc files: nothing is lost by a failed close.
                }
            }
        }
    }
}

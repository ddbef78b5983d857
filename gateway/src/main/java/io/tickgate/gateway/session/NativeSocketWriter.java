package io.tickgate.gateway.session;

import org.agrona.BufferUtil;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Writes a session's frames with {@code send(2)} on its socket's descriptor, through a JNI function in
 * {@code gateway/src/main/c/tickgate_net.c}, instead of the JDK's {@code SocketChannel.write}; and sets the socket
 * option the JDK has no name for, {@code TCP_USER_TIMEOUT} ({@link #dropUnacknowledgedAfter}).
 * <p>
 * Why: on this gateway's busiest path, one write per frame, the JDK takes the channel's write lock, checks the
 * channel's state and then calls {@code write(2)}, whose file-position handling the kernel profile showed as
 * {@code vfs_write}, absent from {@code send(2)}. At the watchlist load that was about 0.4 µs of a ~7 µs write
 * (docs/benchmarks.md, "send(2) from the IO thread").
 * <p>
 * Why it is safe to use the descriptor directly: the JDK frees a channel's descriptor when it is closed (XNIO
 * deregisters the channel from its selector first, so nothing defers the release), and a descriptor freed is
 * handed to the next socket the process opens. So the descriptor is only used on the thread that closes the
 * connection: a session writes only on its connection's IO thread, every close of a session's connection runs on
 * that thread too ({@link Session}'s abort, XNIO's own closes on read or write failures and at shutdown), and
 * {@link Session} checks that the channel {@link SocketChannel#isOpen() is open} right before each send. A close
 * from any other thread would let a new connection receive another session's bytes; {@link Session} asserts it
 * never happens.
 * <p>
 * The library is built with the gateway where {@code gcc} is found (profile {@code native-send} in
 * gateway/pom.xml), carried in the jar and loaded from a temporary copy. Where it is missing, cannot be loaded,
 * or the JVM lacks {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (the launcher passes it), sessions write
 * through the JDK and {@link #unavailableReason()} says why; {@code tickgate.session.socket.writes=jdk} chooses
 * that path outright.
 * <p>
 * Thread-safe: stateless after class initialisation.
 */
final class NativeSocketWriter
{
    private static final String CONDUIT_CLASS = "org.xnio.nio.NioSocketConduit";
    private static final Field SOCKET_CHANNEL;
    private static final Method DESCRIPTOR;
    /** Null when the native path can be used. */
    private static final String UNAVAILABLE_REASON;

    static
    {
        Field socketChannel = null;
        Method descriptor = null;
        String reason;
        try
        {
            reason = loadLibrary();
            if (null == reason)
            {
                socketChannel = Class.forName(CONDUIT_CLASS).getDeclaredField("socketChannel");
                socketChannel.setAccessible(true);
                descriptor = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
                try (SocketChannel probe = SocketChannel.open())
                {
                    descriptor.invoke(probe);
                }
            }
        }
        catch (final IllegalAccessException ex)
        {
            reason = "the JVM was started without --add-exports java.base/sun.nio.ch=ALL-UNNAMED";
        }
        catch (final IOException | ReflectiveOperationException | LinkageError | RuntimeException ex)
        {
            reason = ex.toString();
        }
        SOCKET_CHANNEL = null == reason ? socketChannel : null;
        DESCRIPTOR = null == reason ? descriptor : null;
        UNAVAILABLE_REASON = reason;
    }

    private NativeSocketWriter()
    {
    }

    /**
     * Whether frames can be written with {@code send(2)} in this JVM.
     */
    static boolean isAvailable()
    {
        return null == UNAVAILABLE_REASON;
    }

    /**
     * Why {@link #isAvailable()} is false, for the gateway's start-up log line; null when it is true.
     */
    static String unavailableReason()
    {
        return UNAVAILABLE_REASON;
    }

    /**
     * The socket channel under an XNIO connection's sink conduit, or null when there is none to write to directly
     * (the native path is unavailable, or another conduit wraps the socket's, as TLS would).
     */
    static SocketChannel channelOf(final StreamSinkConduit conduit)
    {
        if (null == UNAVAILABLE_REASON && CONDUIT_CLASS.equals(conduit.getClass().getName()))
        {
            try
            {
                return (SocketChannel)SOCKET_CHANNEL.get(conduit);
            }
            catch (final IllegalAccessException ex)
            {
                return null;
            }
        }
        return null;
    }

    /**
     * The descriptor of a channel for which {@link #isAvailable()} holds, -1 if it cannot be had.
     */
    static int descriptorOf(final SocketChannel channel)
    {
        try
        {
            return (Integer)DESCRIPTOR.invoke(channel);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * Sends {@code buffer}'s remaining bytes (a direct buffer) without blocking and advances its position by what
     * the socket took: all, part, or nothing when its send buffer is full. The caller's IO thread must own the
     * channel's selector and have seen the channel open since its last select.
     *
     * @throws IOException the connection failed (reset, or the peer is gone); the session drops it.
     */
    static void write(final int descriptor, final ByteBuffer buffer) throws IOException
    {
        final int position = buffer.position();
        final int sent = send0(descriptor, BufferUtil.address(buffer) + position, buffer.limit() - position);
        if (sent < 0)
        {
            throw new IOException("send(2) failed with errno " + -sent);
        }
        buffer.position(position + sent);
    }

    private static native int send0(int descriptor, long address, int length);

    /**
     * Has the kernel drop the connection under {@code conduit} once bytes written to it have waited
     * {@code timeoutMs} for the client's TCP to acknowledge them, or to open its window ({@code TCP_USER_TIMEOUT}).
     * Without it a client that takes nothing while its socket still has room (a trickle of heartbeats, or
     * acknowledgements lost both ways) holds its session until TCP gives up retransmitting, many minutes later.
     * On the connection's IO thread, with the connection open (the descriptor is then this connection's).
     *
     * @return false when it cannot be set here: no native library, or no socket of its own under the conduit.
     * @throws IOException the option was refused.
     */
    static boolean dropUnacknowledgedAfter(final StreamSinkConduit conduit, final int timeoutMs) throws IOException
    {
        final SocketChannel channel = channelOf(conduit);
        final int descriptor = null == channel ? -1 : descriptorOf(channel);
        if (descriptor < 0)
        {
            return false;
        }
        final int result = setUserTimeout0(descriptor, timeoutMs);
        if (result < 0)
        {
            throw new IOException("setsockopt(TCP_USER_TIMEOUT) failed with errno " + -result);
        }
        return true;
    }

    private static native int setUserTimeout0(int descriptor, int timeoutMs);

    /**
     * Loads the library carried in the jar for this platform; returns why not, or null once loaded.
     */
    private static String loadLibrary() throws IOException
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        final String platform = os + "-" + System.getProperty("os.arch", "");
        final String resource = "/native/" + platform + "/libtickgate-net.so";
        try (InputStream library = NativeSocketWriter.class.getResourceAsStream(resource))
        {
            if (null == library)
            {
                return "no native library for " + platform + " in this build (gcc was not found when it was built)";
            }
            final Path copy = Files.createTempFile("tickgate-net-", ".so");
            try
            {
                Files.copy(library, copy, StandardCopyOption.REPLACE_EXISTING);
                System.load(copy.toAbsolutePath().toString());
            }
            finally
            {
                Files.deleteIfExists(copy); // mapped once loaded; nothing is left behind in the temporary directory
            }
        }
        return null;
    }
}

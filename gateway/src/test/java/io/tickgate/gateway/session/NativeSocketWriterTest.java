package io.tickgate.gateway.session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * send(2) through the gateway's JNI library on real loopback TCP sockets: every byte arrives in order, a full
 * socket takes part or nothing without blocking, and a connection the peer reset is an exception, not a signal.
 */
class NativeSocketWriterTest
{
    private ServerSocketChannel server;
    private SocketChannel writer;
    private SocketChannel reader;
    private int descriptor;

    @BeforeEach
    void setUp() throws IOException
    {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        writer = SocketChannel.open(server.getLocalAddress());
        reader = server.accept();
        writer.configureBlocking(false);
        descriptor = NativeSocketWriter.isAvailable() ? NativeSocketWriter.descriptorOf(writer) : -1;
    }

    private void assumeNativeSend()
    {
        assumeTrue(NativeSocketWriter.isAvailable(), () -> "native send unavailable here: " +
            NativeSocketWriter.unavailableReason());
        assertThat(descriptor).as("descriptor of an open socket channel").isGreaterThanOrEqualTo(0);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        for (final Closeable channel : new Closeable[]{writer, reader, server})
        {
            if (null != channel)
            {
                channel.close();
            }
        }
    }

    @Test
    void shouldLoadTheLibraryWhereTheBuildCarriesOneForThisPlatform()
    {
        // A build that carries the library must be able to use it; one built without gcc must say so.
        final String platform = System.getProperty("os.name").toLowerCase(Locale.ROOT) + "-" +
            System.getProperty("os.arch");
        final boolean carried = null != NativeSocketWriter.class.getResource(
            "/native/" + platform + "/libtickgate-net.so");
        assertThat(NativeSocketWriter.isAvailable()).as("%s", NativeSocketWriter.unavailableReason())
            .isEqualTo(carried);
        if (!carried)
        {
            assertThat(NativeSocketWriter.unavailableReason()).contains("gcc");
        }
    }

    @Test
    void shouldSendTheBufferFromItsPositionToItsLimitAndAdvanceThePosition() throws IOException
    {
        assumeNativeSend();
        final ByteBuffer frame = ByteBuffer.allocateDirect(1000);
        for (int i = 0; i < frame.capacity(); i++)
        {
            frame.put(i, (byte)i);
        }
        frame.position(10).limit(990);

        NativeSocketWriter.write(descriptor, frame);

        assertThat(frame.position()).isEqualTo(990);
        final ByteBuffer received = ByteBuffer.allocate(980);
        while (received.hasRemaining())
        {
            reader.read(received);
        }
        for (int i = 0; i < received.capacity(); i++)
        {
            assertThat(received.get(i)).as("byte %d", i).isEqualTo((byte)(i + 10));
        }
    }

    @Test
    void shouldTakePartOrNothingWithoutBlockingWhenTheSocketIsFull() throws IOException
    {
        assumeNativeSend();
        writer.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        for (int i = 0; i < chunk.capacity(); i++)
        {
            chunk.put(i, (byte)(i * 31));
        }
        final long[] sent = new long[1];
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        {
            // Nobody reads: the socket fills, and the writes must return with what it took.
            int zeroWrites = 0;
            while (zeroWrites < 3)
            {
                if (!chunk.hasRemaining())
                {
                    chunk.clear(); // the stream goes on with the chunk's first byte
                }
                final int before = chunk.position();
                NativeSocketWriter.write(descriptor, chunk);
                sent[0] += chunk.position() - before;
                zeroWrites += before == chunk.position() ? 1 : 0;
            }
        });

        assertThat(sent[0]).as("bytes taken before the socket was full").isPositive();
        final ByteBuffer received = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        reader.configureBlocking(false);
        final long deadlineNs = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (total < sent[0] && System.nanoTime() < deadlineNs)
        {
            received.clear();
            final int read = reader.read(received);
            for (int i = 0; i < read; i++)
            {
                final long offset = (total + i) % chunk.capacity();
                assertThat(received.get(i)).as("byte %d", total + i).isEqualTo((byte)(offset * 31));
            }
            total += read;
        }
        assertThat(total).as("bytes received").isEqualTo(sent[0]);
    }

    @Test
    void shouldThrowInsteadOfRaisingSigpipeOnceThePeerResetTheConnection() throws IOException
    {
        assumeNativeSend();
        reader.setOption(StandardSocketOptions.SO_LINGER, 0);
        reader.close(); // a reset
        final ByteBuffer frame = ByteBuffer.allocateDirect(100);

        assertThatThrownBy(() ->
        {
            for (int i = 0; i < 100; i++)
            {
                frame.clear();
                NativeSocketWriter.write(descriptor, frame);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("errno");
    }
}

package io.tickgate.simulator;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The receive queue of a real UDP socket on loopback, read from the kernel's tables: it fills while nobody reads,
 * empties when read, counts what a full buffer dropped, and is not found where nothing listens.
 */
class LinuxReceiverQueueTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);

    private DatagramChannel receiver;
    private DatagramChannel sender;
    private ReceiverQueue queue;

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(queue, sender, receiver);
    }

    @Test
    void shouldSeeQueuedBytesAndDropsOfLoopbackReceiver() throws IOException
    {
        assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "the kernel shows no UDP socket tables (not Linux)");
        receiver = DatagramChannel.open();
        receiver.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
        receiver.bind(new InetSocketAddress("127.0.0.1", 0));
        final InetSocketAddress address = (InetSocketAddress)receiver.getLocalAddress();
        sender = DatagramChannel.open();
        sender.connect(address);

        queue = ReceiverQueue.find(address);
        assertThat(queue).as("the bound receiver is found").isNotNull();
        assertThat(queue.queuedBytes()).isZero();
        assertThat(queue.drops()).isZero();

        final ByteBuffer datagram = ByteBuffer.allocate(1_000);
        for (int i = 0; i < 10; i++)
        {
            sender.write(datagram.clear());
        }
        await(() -> queue.poll() && queue.queuedBytes() >= 10 * 1_000, "ten datagrams queued");

        // Far more than a 64 KiB buffer holds: the rest is dropped and counted.
        for (int i = 0; i < 1_000; i++)
        {
            sender.write(datagram.clear());
        }
        await(() -> queue.poll() && queue.drops() > 0, "drops counted");

        receiver.configureBlocking(false);
        final ByteBuffer into = ByteBuffer.allocate(2_000);
        while (null != receiver.receive(into.clear()))
        {
            into.clear();
        }
        await(() -> queue.poll() && 0 == queue.queuedBytes(), "queue emptied by reading");
    }

    @Test
    @SuppressWarnings("try") // the probe is closed early on purpose, to free its port while still in scope
    void shouldFindNoQueueWhereNothingListensOrForAnotherHost() throws IOException
    {
        try (DatagramChannel probe = DatagramChannel.open())
        {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            final InetSocketAddress free = (InetSocketAddress)probe.getLocalAddress();
            probe.close();
            assertThat(ReceiverQueue.find(free)).isNull();
        }
        assertThat(ReceiverQueue.find(new InetSocketAddress("192.0.2.1", 9999))).as("TEST-NET-1, not this host")
            .isNull();
    }

    private static void await(final BooleanSupplier done, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
        }
    }
}

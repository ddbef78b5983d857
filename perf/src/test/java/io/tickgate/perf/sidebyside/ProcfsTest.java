package io.tickgate.perf.sidebyside;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class ProcfsTest
{
    private static final String STAT = "4242 (tickgate (io) 1) S 1 4242 4200 0 -1 4194560 52311 0 12 0 " +
        "1234 567 0 0 20 0 41 0 1774261 4726784000 102400 18446744073709551615 1 1 0 0 0 0 0 4096 16902 0 0 0 17 1 " +
        "0 0 0 0 0";
    private static final String STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t 5123456 kB\n" +
        "VmHWM:\t  412000 kB\nVmRSS:\t  398765 kB\nThreads:\t41\n";
    private static final String IO = "rchar: 1685830\nwchar: 2689\nsyscr: 667\nsyscw: 1029\nread_bytes: 0\n";
    private static final List<String> UDP = List.of(
        "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref " +
            "pointer drops",
        "  123: 0100007F:270F 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 991 2 " +
            "ffff8880 17",
        "  124: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 992 2 " +
            "ffff8881 4");
    private static final List<String> UDP6 = List.of(
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr " +
            "tm->when retrnsmt   uid  timeout inode ref pointer drops",
        "   7: 00000000000000000000000001000000:270F 00000000000000000000000000000000:0000 07 00000000:00000000 " +
            "00:00000000 00000000     0        0 993 2 ffff8882 3");

    @Test
    void shouldSumUserAndSystemTicksCountingFieldsFromTheLastParenthesis()
    {
        assertThat(Procfs.cpuTicks(STAT)).isEqualTo(1234 + 567);
        assertThat(Procfs.cpuTicks("garbage")).isEqualTo(-1);
    }

    @Test
    void shouldReadKilobyteFieldsOfStatus()
    {
        assertThat(Procfs.statusKb(STATUS, "VmRSS")).isEqualTo(398_765);
        assertThat(Procfs.statusKb(STATUS, "VmHWM")).isEqualTo(412_000);
        assertThat(Procfs.statusKb(STATUS, "VmSwap")).isEqualTo(-1);
    }

    @Test
    void shouldReadWriteSyscallsOfIo()
    {
        assertThat(Procfs.ioCounter(IO, "syscw")).isEqualTo(1029);
        assertThat(Procfs.ioCounter(IO, "cancelled_write_bytes")).isEqualTo(-1);
    }

    @Test
    void shouldSumDropsOfEverySocketOnThePortAcrossUdpAndUdp6()
    {
        assertThat(Procfs.udpDrops(UDP, 9999)).isEqualTo(17);
        assertThat(Procfs.udpDrops(UDP, 53)).isEqualTo(4);
        assertThat(Procfs.udpDrops(UDP, 9998)).isEqualTo(-1);
        final List<String> both = new ArrayList<>(UDP);
        both.addAll(UDP6);
        assertThat(Procfs.udpDrops(both, 9999)).isEqualTo(20);
    }

    @Test
    void shouldReadThisJvmsOwnProcessFiles()
    {
        final long pid = ProcessHandle.current().pid();
        assertThat(Procfs.cpuTicks(pid)).as("a JVM that ran tests has used CPU").isPositive();
        assertThat(Procfs.statusKb(pid, "VmRSS")).isPositive();
        assertThat(Procfs.statusKb(pid, "VmHWM")).as("two reads apart, so no order between them").isPositive();
        assertThat(Procfs.ioCounter(pid, "syscw")).isGreaterThanOrEqualTo(0);
        assertThat(Procfs.tree(pid)).startsWith(pid);
        assertThat(Procfs.cpuTicks(Long.MAX_VALUE)).as("no such process").isEqualTo(-1);
        assertThat(Procfs.clockTicksPerSecond()).isPositive();
    }

    @Test
    void shouldSeeTheKernelDropDatagramsOnARealSocketNobodyReads() throws Exception
    {
        try (DatagramSocket receiver = new DatagramSocket(null);
            DatagramSocket sender = new DatagramSocket())
        {
            receiver.setReceiveBufferSize(4096);
            receiver.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final int port = receiver.getLocalPort();
            assertThat(Procfs.udpDrops(port)).as("a bound socket has a row").isZero();

            final byte[] payload = new byte[1024];
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Procfs.udpDrops(port) <= 0)
            {
                assertThat(System.nanoTime()).as("no drops counted on port %d", port).isLessThan(deadlineNs);
                for (int i = 0; i < 100; i++)
                {
                    sender.send(new DatagramPacket(payload, payload.length, receiver.getLocalSocketAddress()));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            assertThat(Procfs.udpDrops(port)).isPositive();
        }
    }
}

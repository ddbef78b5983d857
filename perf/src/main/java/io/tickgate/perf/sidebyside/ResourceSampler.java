package io.tickgate.perf.sidebyside;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the measured window from procfs: CPU of the server (with its descendants), the load generator and the
 * simulator, the server's resident memory once a second (for the peak), its write-class syscalls
 * ({@code /proc/PID/io syscw}) and the kernel's drops on the feed port, each as a delta from {@link #start()} to
 * {@link #stop()}.
 * <p>
 * Thread-safe where it must be: one scheduler thread appends samples under {@code samples}' monitor; start and stop
 * run on the runner's thread.
 */
final class ResourceSampler
{
    /** One reading; CPU in clock ticks, memory in kB. */
    record Sample(long nanoTime, long serverTicks, long serverRssKb, long clientTicks, long simulatorTicks)
    {
    }

    /** One second of the window, for the JSON: CPU as % of one core; the client's null where procfs could not say. */
    record Second(double atSeconds, double serverCpuPercent, Double clientCpuPercent, double serverRssMiB)
    {
    }

    /** The window as a whole; -1 where procfs could not say. */
    record Window(
        double seconds,
        double serverCpuSeconds,
        double clientCpuSeconds,
        double simulatorCpuSeconds,
        long serverPeakRssKb,
        long feedDrops,
        long serverSyscw,
        List<Second> perSecond)
    {
    }

    private final long serverPid;
    private final long clientPid;
    private final long simulatorPid;
    private final int feedPort;
    private final long ticksPerSecond;
    private final List<Sample> samples = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private long startDrops;
    private long startSyscw;

    ResourceSampler(
        final long serverPid,
        final long clientPid,
        final long simulatorPid,
        final int feedPort,
        final long ticksPerSecond)
    {
        this.serverPid = serverPid;
        this.clientPid = clientPid;
        this.simulatorPid = simulatorPid;
        this.feedPort = feedPort;
        this.ticksPerSecond = ticksPerSecond;
    }

    void start()
    {
        startDrops = Procfs.udpDrops(feedPort);
        startSyscw = treeSum(serverPid, "syscw");
        sample();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "side-by-side-sampler");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    Window stop() throws InterruptedException
    {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        sample();
        final long endDrops = Procfs.udpDrops(feedPort);
        final long endSyscw = treeSum(serverPid, "syscw");
        long peakHwmKb = -1;
        for (final long pid : Procfs.tree(serverPid))
        {
            peakHwmKb = Math.max(peakHwmKb, Procfs.statusKb(pid, "VmHWM"));
        }
        synchronized (samples)
        {
            final Sample first = samples.get(0);
            final Sample last = samples.get(samples.size() - 1);
            long peakRssKb = peakHwmKb;
            final List<Second> series = new ArrayList<>();
            for (int i = 1; i < samples.size(); i++)
            {
                final Sample a = samples.get(i - 1);
                final Sample b = samples.get(i);
                peakRssKb = Math.max(peakRssKb, b.serverRssKb());
                final double seconds = Math.max(1e-9, (b.nanoTime() - a.nanoTime()) / 1e9);
                series.add(new Second((b.nanoTime() - first.nanoTime()) / 1e9,
                    percentOfCore(b.serverTicks() - a.serverTicks(), seconds),
                    a.clientTicks() < 0 || b.clientTicks() < 0 ? null :
                        percentOfCore(b.clientTicks() - a.clientTicks(), seconds),
                    b.serverRssKb() / 1024.0));
            }
            return new Window(
                (last.nanoTime() - first.nanoTime()) / 1e9,
                cpuSeconds(first.serverTicks(), last.serverTicks()),
                cpuSeconds(first.clientTicks(), last.clientTicks()),
                cpuSeconds(first.simulatorTicks(), last.simulatorTicks()),
                peakRssKb,
                startDrops < 0 || endDrops < 0 ? -1 : endDrops - startDrops,
                startSyscw < 0 || endSyscw < 0 ? -1 : endSyscw - startSyscw,
                series);
        }
    }

    private void sample()
    {
        long serverTicks = 0;
        long serverRssKb = 0;
        for (final long pid : Procfs.tree(serverPid))
        {
            serverTicks += Math.max(0, Procfs.cpuTicks(pid));
            serverRssKb += Math.max(0, Procfs.statusKb(pid, "VmRSS"));
        }
        final Sample sample = new Sample(System.nanoTime(), serverTicks, serverRssKb,
            Procfs.cpuTicks(clientPid), Procfs.cpuTicks(simulatorPid));
        synchronized (samples)
        {
            samples.add(sample);
        }
    }

    private static long treeSum(final long pid, final String ioField)
    {
        long sum = 0;
        for (final long member : Procfs.tree(pid))
        {
            final long value = Procfs.ioCounter(member, ioField);
            if (value < 0)
            {
                return -1;
            }
            sum += value;
        }
        return sum;
    }

    private double cpuSeconds(final long startTicks, final long endTicks)
    {
        return startTicks < 0 || endTicks < 0 ? -1 : (double)(endTicks - startTicks) / ticksPerSecond;
    }

    private double percentOfCore(final long ticks, final double seconds)
    {
        return 100.0 * ticks / ticksPerSecond / seconds;
    }
}

package io.tickgate.perf.sidebyside;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The host the runs shared, as written into {@code results.json} and the report: the figures mean little without it.
 * Immutable.
 */
record Machine(int cpus, String cpuModel, long memoryMiB, String kernel, String java)
{
    static Machine describe()
    {
        final String cpuinfo = Procfs.read(Path.of("/proc/cpuinfo"));
        String model = "unknown";
        if (null != cpuinfo)
        {
            model = cpuinfo.lines().filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(model);
        }
        final String meminfo = Procfs.read(Path.of("/proc/meminfo"));
        final long memoryKb = null == meminfo ? -1 : Procfs.statusKb(meminfo, "MemTotal");
        return new Machine(Runtime.getRuntime().availableProcessors(), model,
            memoryKb < 0 ? -1 : memoryKb / 1024, System.getProperty("os.name") + " " + System.getProperty("os.version"),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    @Override
    public String toString()
    {
        return String.format(Locale.ROOT, "%d CPUs (%s), %,d MiB, %s, %s", cpus, cpuModel, memoryMiB, kernel, java);
    }
}

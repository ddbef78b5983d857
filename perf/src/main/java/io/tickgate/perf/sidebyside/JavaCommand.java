package io.tickgate.perf.sidebyside;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM on this one's classes: the same {@code java}, the same class path, and
 * the module flags the libraries need (the parent POM's {@code jvm.flags}), copied from this JVM's own arguments,
 * where the launcher and Surefire put them, and any {@code -Dtickgate.*} gateway setting given to this JVM (through
 * {@code JAVA_OPTS}), so a side-by-side run can compare the gateway's layouts and tunings. The perf jar holds the
 * gateway, the simulator and the load generator, so every Java child runs from it. Immutable.
 */
final class JavaCommand
{
    private static final List<String> LIBRARY_FLAG_PREFIXES = List.of("--add-exports", "--add-opens",
        "--enable-native-access", "--sun-misc-unsafe-memory-access", "-Dchronicle.", "-Ddisable.perf.info",
        "-Dorg.jboss.logging.provider", "-Dtickgate.");

    private final String java;
    private final List<String> flags;
    private final String classPath;

    JavaCommand(final String java, final List<String> flags, final String classPath)
    {
        this.java = java;
        this.flags = List.copyOf(flags);
        this.classPath = classPath;
    }

    static JavaCommand ofThisJvm()
    {
        return new JavaCommand(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            libraryFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()),
            System.getProperty("java.class.path"));
    }

    static List<String> libraryFlags(final List<String> jvmArguments)
    {
        final List<String> kept = new ArrayList<>();
        for (final String argument : jvmArguments)
        {
            if (LIBRARY_FLAG_PREFIXES.stream().anyMatch(argument::startsWith))
            {
                kept.add(argument);
            }
        }
        return kept;
    }

    List<String> command(final List<String> jvmOptions, final String mainClass, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}

package io.tickgate.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code tickgate} script's own checks of the JDK it is given, before it builds or runs anything (CLI.md: it
 * needs only a JDK 17 or newer and Maven; a failure is one line and exit 1, never silence). Runs the real script
 * with fake {@code java} programs that answer the version query as a JDK of that version does.
 */
class LauncherJavaCheckTest
{
    private static final Path LAUNCHER = Path.of("..", "tickgate").toAbsolutePath().normalize();

    @TempDir
    Path tempDir;

    private record Run(int status, String out, String err)
    {
    }

    private Run launch(final Map<String, String> env) throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder("/bin/bash", LAUNCHER.toString(), "--version");
        builder.environment().remove("JAVA_HOME");
        builder.environment().putAll(env);
        final Path out = tempDir.resolve("out.txt");
        final Path err = tempDir.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        final Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher returned").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A JDK directory whose bin/java reports {@code specVersion} to -XshowSettings, as a real one does. */
    private Path fakeJdk(final String name, final String specVersion) throws IOException
    {
        final Path bin = Files.createDirectories(tempDir.resolve(name).resolve("bin"));
        final Path java = bin.resolve("java");
        final String script = null == specVersion ? "#!/bin/sh\nexit 1\n" :
            "#!/bin/sh\necho 'Property settings:' >&2\necho '    java.specification.version = " + specVersion +
            "' >&2\necho 'openjdk version' >&2\n";
        Files.writeString(java, script, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin.getParent();
    }

    private static void assertOneLine(final Run run, final String... mentions)
    {
        assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).hasSize(1);
        assertThat(run.err()).startsWith("tickgate: ");
        for (final String mention : mentions)
        {
            assertThat(run.err()).contains(mention);
        }
    }

    @Test
    void shouldSayWhereItLookedWhenJavaHomeHasNoJava() throws Exception
    {
        final Path nowhere = tempDir.resolve("no-such-jdk");

        final Run run = launch(Map.of("JAVA_HOME", nowhere.toString()));

        assertOneLine(run, nowhere.resolve("bin").resolve("java").toString(), "JAVA_HOME", "17 or newer");
    }

    @Test
    void shouldSayJavaIsMissingWhenThePathHasNone() throws Exception
    {
        // A PATH with the few tools the script needs before it looks for Java, and no JDK.
        final Path tools = Files.createDirectories(tempDir.resolve("tools"));
        for (final String tool : List.of("dirname", "sed"))
        {
            final Path wrapper = tools.resolve(tool);
            Files.writeString(wrapper, "#!/bin/sh\nexec /usr/bin/" + tool + " \"$@\"\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        final Run run = launch(Map.of("PATH", tools.toString()));

        assertOneLine(run, "no java on the PATH", "17 or newer");
    }

    @Test
    void shouldRefuseAJdkOlderThanSeventeen() throws Exception
    {
        for (final String version : List.of("11", "16", "1.8"))
        {
            final Path jdk = fakeJdk("jdk-" + version, version);

            final Run run = launch(Map.of("JAVA_HOME", jdk.toString()));

            assertOneLine(run, "Java " + version, "needs 17 or newer");
        }
    }

    @Test
    void shouldSayWhenTheJavaItFoundDoesNotStart() throws Exception
    {
        final Path jdk = fakeJdk("broken-jdk", null);

        final Run run = launch(Map.of("JAVA_HOME", jdk.toString()));

        assertOneLine(run, "cannot tell the version", jdk.resolve("bin").resolve("java").toString());
    }
}

package io.tickgate.gateway.cli;

import io.tickgate.gateway.Gateway;
import io.tickgate.gateway.GatewayConfiguration;
import io.tickgate.simulator.IoErrors;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The options {@code demo} and {@code gateway} share. Unset options keep the configuration's values: a flag wins
 * over a {@code tickgate.*} system property, which wins over the same key in the {@code --config} file.
 */
final class GatewayOptions
{
    @Option(names = "--http-port", paramLabel = "N", description = "HTTP and WebSocket port (8080); 0 picks a free one")
    Integer httpPort;

    @Option(names = "--slow-consumer-timeout-ms", paramLabel = "N",
        description = "close a session unwritable this long with 1008 (10000)")
    Long slowConsumerTimeoutMs;

    @Option(names = "--heartbeat-ms", paramLabel = "N",
        description = "send a HEARTBEAT frame after this long without binary frames (1000)")
    Long heartbeatMs;

    @Option(names = "--stale-after-ms", paramLabel = "N",
        description = "flag a feed's symbols stale after it sent nothing this long (5000)")
    Long staleAfterMs;

    @Option(names = "--config", converter = PathConverter.class, paramLabel = "FILE",
        description = "properties file of tickgate.* settings; flags and -D system properties win")
    Path config;

    /** The config file's settings once {@link #loadConfig()} has read them; written and read on the main thread. */
    private Properties file = new Properties();

    /**
     * The config file's settings, empty without {@code --config}. They are not copied into system properties: a
     * {@code -D} given to the JVM wins over the same key in the file.
     */
    Properties loadConfig()
    {
        refuseUnknownSystemProperties();
        final Properties properties = new Properties();
        file = properties;
        if (null == config)
        {
            return properties;
        }
        // UTF-8, as the file was most likely written: the InputStream form reads ISO-8859-1, which turned any other
        // text in it into mojibake (in a value, and in the message that refuses it).
        try (Reader in = Files.newBufferedReader(config, StandardCharsets.UTF_8))
        {
            properties.load(in);
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("cannot read config file " + config + ": not UTF-8 text", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read config file " + config + ": " +
                IoErrors.describe(ex, config));
        }
        catch (final IllegalArgumentException ex)
        {
            // java.util.Properties names neither file nor line for a malformed unicode escape.
            throw new IllegalArgumentException("cannot read config file " + config + ": " + ex.getMessage(), ex);
        }
        // Every unknown key, quoted: a line that is no "key=value" at all reads as a key of its first word, or "".
        final String unknown = unknownSettings(properties.stringPropertyNames(), key -> true, key -> "'" + key + "'");
        if (!unknown.isEmpty())
        {
            throw new IllegalArgumentException("unknown setting " + unknown + " in config file " + config +
                " (docs/operations.md lists the settings)");
        }
        return properties;
    }

    /**
     * A {@code -D} system property misspelling a setting, like {@code tickgate.session.hartbeat}, would otherwise
     * be ignored without a word: refused like the same key in a file. Only names under a component the gateway has
     * settings for count ({@code tickgate.session.*}, {@code tickgate.http.*}, ...); other {@code tickgate.*}
     * properties belong to other tools.
     */
    static void refuseUnknownSystemProperties()
    {
        final Set<String> components = GatewayConfiguration.PROPERTY_NAMES.stream()
            .map(GatewayOptions::component)
            .collect(Collectors.toSet());
        final String unknown = unknownSettings(System.getProperties().stringPropertyNames(),
            key -> key.startsWith("tickgate.") && components.contains(component(key)), key -> "-D" + key);
        if (!unknown.isEmpty())
        {
            throw new IllegalArgumentException("unknown setting " + unknown +
                " (docs/operations.md lists the settings)");
        }
    }

    /**
     * The keys, among those considered, that name no setting, sorted and shown as the caller writes them; "" if none.
     */
    private static String unknownSettings(
        final Set<String> keys, final Predicate<String> considered, final UnaryOperator<String> shown)
    {
        return keys.stream()
            .filter(key -> considered.test(key) && !GatewayConfiguration.PROPERTY_NAMES.contains(key))
            .sorted()
            .map(shown)
            .collect(Collectors.joining(", "));
    }

    /**
     * {@code tickgate.session} for {@code tickgate.session.heartbeat}.
     */
    private static String component(final String key)
    {
        final int second = key.indexOf('.', "tickgate.".length());
        return second < 0 ? key : key.substring(0, second);
    }

    /**
     * Whether a {@code tickgate.*} system property or the config file sets {@code name}; call after
     * {@link #loadConfig()}. A command's own defaults (demo's 50 symbols) apply only where neither does.
     */
    boolean isConfigured(final String name)
    {
        return GatewayConfiguration.isSet(file, name);
    }

    void applyTo(final Gateway.Context ctx)
    {
        if (null != httpPort)
        {
            ctx.httpPort(httpPort);
        }
        if (null != slowConsumerTimeoutMs)
        {
            ctx.slowConsumerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(positive("--slow-consumer-timeout-ms",
                slowConsumerTimeoutMs)));
        }
        if (null != heartbeatMs)
        {
            ctx.heartbeatNs(TimeUnit.MILLISECONDS.toNanos(positive("--heartbeat-ms", heartbeatMs)));
        }
        if (null != staleAfterMs)
        {
            ctx.staleAfterNs(TimeUnit.MILLISECONDS.toNanos(positive("--stale-after-ms", staleAfterMs)));
        }
    }

    /** The longest duration in milliseconds the gateway holds (in nanoseconds, as a long), about 292 years. */
    private static final long MAX_MS = TimeUnit.NANOSECONDS.toMillis(Long.MAX_VALUE);

    private static long positive(final String option, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(option + " must be positive: " + value);
        }
        // Past it the conversion would quietly cap the value, as the config file and -D refuse to.
        if (value > MAX_MS)
        {
            throw new IllegalArgumentException(option + " does not fit: " + value + " (at most " + MAX_MS + ")");
        }
        return value;
    }
}

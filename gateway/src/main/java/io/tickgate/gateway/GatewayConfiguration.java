package io.tickgate.gateway;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Every tunable of the gateway: its system property ({@code tickgate.<component>.<name>}), its default, and a
 * reader that accepts sizes ({@code 64k}, {@code 8m}) and durations ({@code 250ms}, {@code 5s}).
 * {@link Gateway.Context} starts from these and lets flags override them: a flag wins over a {@code -D} system
 * property, which wins over the same key in a {@code --config} file, which wins over the default here.
 */
public final class GatewayConfiguration
{
    /** HTTP and WebSocket port; 0 picks a free one. */
    public static final String HTTP_PORT_PROP_NAME = "tickgate.http.port";
    public static final int HTTP_PORT_DEFAULT = 8080;

    /** Listen address for HTTP, WebSocket and the UDP feed. */
    public static final String BIND_ADDRESS_PROP_NAME = "tickgate.http.bind";
    public static final String BIND_ADDRESS_DEFAULT = "0.0.0.0";

    /** XNIO IO threads; on two cores one thread gives fuller frames and lower tail latency than two. */
    public static final String IO_THREADS_PROP_NAME = "tickgate.http.io.threads";
    public static final int IO_THREADS_DEFAULT = 1;

    /** UDP feed port; 0 picks a free one, -1 runs without a UDP feed. */
    public static final String FEED_PORT_PROP_NAME = "tickgate.feed.port";
    public static final int FEED_PORT_DEFAULT = 9999;

    /** Kernel receive buffer of the feed socket: it absorbs bursts while the ring is full. */
    public static final String FEED_RECEIVE_BUFFER_PROP_NAME = "tickgate.feed.receive.buffer";
    public static final int FEED_RECEIVE_BUFFER_DEFAULT = 4 * 1024 * 1024;

    /** Symbols of the embedded simulator; 0 runs none. */
    public static final String SIMULATOR_SYMBOLS_PROP_NAME = "tickgate.simulator.symbols";
    public static final int SIMULATOR_SYMBOLS_DEFAULT = 0;

    /** Ticks per second of the embedded simulator, over all its symbols. */
    public static final String SIMULATOR_RATE_PROP_NAME = "tickgate.simulator.rate";
    public static final double SIMULATOR_RATE_DEFAULT = 2_000;

    /** A session whose socket stays unwritable this long is closed with 1008. */
    public static final String SLOW_CONSUMER_TIMEOUT_PROP_NAME = "tickgate.session.slow.consumer.timeout";
    public static final long SLOW_CONSUMER_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);

    /** A HEARTBEAT frame goes to a session after this long without another binary frame. */
    public static final String HEARTBEAT_PROP_NAME = "tickgate.session.heartbeat";
    public static final long HEARTBEAT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How long a connection may take to send a whole HTTP request (a WebSocket handshake included) once it has begun
     * one; a connection that stalls mid-request is closed, so such connections cannot use up the descriptors.
     */
    public static final String HTTP_REQUEST_TIMEOUT_PROP_NAME = "tickgate.http.request.timeout";
    public static final long HTTP_REQUEST_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Most bytes of request line and headers one HTTP request may have; a longer one is refused. Every endpoint is
     * a GET with a few short headers: the limit bounds what a connection that has not yet become a session can
     * make the gateway hold (Undertow's own default is 1 MiB, about 2 MB of heap while it is parsed).
     */
    public static final String HTTP_MAX_HEADER_PROP_NAME = "tickgate.http.max.header";
    public static final int HTTP_MAX_HEADER_DEFAULT = 16 * 1024;

    /** How long a closing session may take to finish the close handshake before its connection is dropped. */
    public static final String CLOSE_GRACE_PROP_NAME = "tickgate.session.close.grace";
    public static final long CLOSE_GRACE_DEFAULT_NS = TimeUnit.SECONDS.toNanos(2);

    /** Subscriptions one session may hold (at most 4096: the pending set is a two-level bitmap). */
    public static final String MAX_SUBSCRIPTIONS_PROP_NAME = "tickgate.session.max.subscriptions";
    public static final int MAX_SUBSCRIPTIONS_DEFAULT = 4096;

    /** Largest text message a client may send; larger ones get a TOO_LARGE error. */
    public static final String MAX_TEXT_MESSAGE_PROP_NAME = "tickgate.session.max.text.message";
    public static final int MAX_TEXT_MESSAGE_DEFAULT = 64 * 1024;

    /**
     * Kernel send buffer of each session's socket (SO_SNDBUF; Linux doubles it). Fixed rather than left to the
     * kernel's autotuning, which grows it to megabytes for a client that reads slowly: those bytes would be old
     * values queued ahead of the conflated, fresh ones, and kernel memory per session would have no bound.
     */
    public static final String SEND_BUFFER_PROP_NAME = "tickgate.session.send.buffer";
    public static final int SEND_BUFFER_DEFAULT = 64 * 1024;

    /**
     * How sessions write frames to their sockets: native (send(2) through the gateway's JNI library, where it was
     * built and loads; else the JDK's channel, with one log line at start saying why) or jdk (always the JDK's
     * channel).
     */
    public static final String SOCKET_WRITES_PROP_NAME = "tickgate.session.socket.writes";
    public static final String SOCKET_WRITES_DEFAULT = "native";

    /**
     * Origins (scheme://host[:port], comma-separated) whose web pages may open sessions; {@code *}, the default,
     * allows any. Pages the gateway serves itself and clients that send no Origin (not browsers) are always allowed.
     */
    public static final String ALLOWED_ORIGINS_PROP_NAME = "tickgate.http.allowed.origins";
    public static final String ALLOWED_ORIGINS_DEFAULT = "*";

    /** Sessions the gateway holds at once; more are refused with close code 1013. */
    public static final String MAX_SESSIONS_PROP_NAME = "tickgate.session.max.sessions";
    public static final int MAX_SESSIONS_DEFAULT = 20_000;

    /** A feed source silent this long has its symbols flagged stale. */
    public static final String STALE_AFTER_PROP_NAME = "tickgate.conflator.stale.after";
    public static final long STALE_AFTER_DEFAULT_NS = TimeUnit.SECONDS.toNanos(5);

    /** Bytes of the ingress ring (a power of two; 72 bytes a tick). */
    public static final String RING_CAPACITY_PROP_NAME = "tickgate.ring.capacity";
    public static final int RING_CAPACITY_DEFAULT = 8 * 1024 * 1024;

    /** Bytes of the recording ring that feeds tickgate-recorder with --record (a power of two; 72 bytes a tick). */
    public static final String RECORDING_RING_CAPACITY_PROP_NAME = "tickgate.recording.ring.capacity";
    public static final int RECORDING_RING_CAPACITY_DEFAULT = 64 * 1024 * 1024;

    /**
     * How long tickgate-recorder parks after a duty cycle that found the recording ring about empty: longer parks
     * mean fewer, larger batches (less CPU) and more ring in use; the ring holds about 930,000 ticks by default.
     */
    public static final String RECORDING_PARK_PROP_NAME = "tickgate.recording.park";
    public static final long RECORDING_PARK_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Symbols the gateway can know; sizes the last-value cache (128 bytes each). */
    public static final String SYMBOL_CAPACITY_PROP_NAME = "tickgate.symbols.capacity";
    public static final int SYMBOL_CAPACITY_DEFAULT = 65_536;

    /**
     * Idle strategy of the feed handler: socket (spin briefly, then block in a select on the feed socket, so an
     * idle feed costs no CPU and a datagram wakes it at once), or one of backoff, yield, sleep, spin.
     */
    public static final String FEED_IDLE_STRATEGY_PROP_NAME = "tickgate.feed.idle.strategy";
    public static final String FEED_IDLE_STRATEGY_DEFAULT = "socket";

    /**
     * Where the conflator runs and how it idles: io (with the UDP feed handler on the XNIO IO thread that writes the
     * frames: a datagram wakes that thread through its selector, and a tick crosses no thread from socket to wire),
     * feed (with the UDP feed handler on a thread of their own, tickgate-ingest, sleeping in a select on the feed
     * socket; park when there is no UDP feed), park (its own thread: spin briefly, then park until a producer wakes
     * it, at most 5 ms), or one of backoff, yield, sleep, spin on its own thread. With io, the feed idle strategy
     * does not apply.
     */
    public static final String CONFLATOR_IDLE_STRATEGY_PROP_NAME = "tickgate.conflator.idle.strategy";

    /**
     * Every setting the gateway reads; a {@code --config} file naming anything else is refused, so that a misspelt
     * key cannot leave its default silently in force.
     */
    public static final Set<String> PROPERTY_NAMES = Set.of(
        HTTP_PORT_PROP_NAME,
        BIND_ADDRESS_PROP_NAME,
        IO_THREADS_PROP_NAME,
        FEED_PORT_PROP_NAME,
        FEED_RECEIVE_BUFFER_PROP_NAME,
        SIMULATOR_SYMBOLS_PROP_NAME,
        SIMULATOR_RATE_PROP_NAME,
        SLOW_CONSUMER_TIMEOUT_PROP_NAME,
        HEARTBEAT_PROP_NAME,
        CLOSE_GRACE_PROP_NAME,
        HTTP_REQUEST_TIMEOUT_PROP_NAME,
        HTTP_MAX_HEADER_PROP_NAME,
        ALLOWED_ORIGINS_PROP_NAME,
        MAX_SUBSCRIPTIONS_PROP_NAME,
        MAX_TEXT_MESSAGE_PROP_NAME,
        SEND_BUFFER_PROP_NAME,
        SOCKET_WRITES_PROP_NAME,
        MAX_SESSIONS_PROP_NAME,
        STALE_AFTER_PROP_NAME,
        RING_CAPACITY_PROP_NAME,
        RECORDING_RING_CAPACITY_PROP_NAME,
        RECORDING_PARK_PROP_NAME,
        SYMBOL_CAPACITY_PROP_NAME,
        FEED_IDLE_STRATEGY_PROP_NAME,
        CONFLATOR_IDLE_STRATEGY_PROP_NAME);
    public static final String CONFLATOR_IDLE_STRATEGY_DEFAULT = "io";

    private GatewayConfiguration()
    {
    }

    public static int intProperty(final String name, final int defaultValue)
    {
        return intProperty(new Properties(), name, defaultValue);
    }

    public static long durationNsProperty(final String name, final long defaultNs)
    {
        return durationNsProperty(new Properties(), name, defaultNs);
    }

    public static String stringProperty(final String name, final String defaultValue)
    {
        return stringProperty(new Properties(), name, defaultValue);
    }

    /**
     * @param file the {@code --config} file's settings, read where no system property of that name is set.
     */
    public static int intProperty(final Properties file, final String name, final int defaultValue)
    {
        final String value = value(file, name);
        if (null == value)
        {
            return defaultValue;
        }
        // A cast would wrap: 4294986537 would become port 19241 and 4294967297 a capacity of 1.
        final long size = parseSize(name, value);
        if (size < Integer.MIN_VALUE || size > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(name + ": out of range: " + value);
        }
        return (int)size;
    }

    /**
     * A whole number such as a port, without the size suffixes {@link #intProperty} takes ({@code 8k} is no port).
     *
     * @param file the {@code --config} file's settings, read where no system property of that name is set.
     */
    public static int wholeNumberProperty(final Properties file, final String name, final int defaultValue)
    {
        final String value = value(file, name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return AsciiDecimal.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": not a whole number: " + value);
        }
    }

    /**
     * @param file the {@code --config} file's settings, read where no system property of that name is set.
     */
    public static long durationNsProperty(final Properties file, final String name, final long defaultNs)
    {
        final String value = value(file, name);
        return null == value ? defaultNs : parseDurationNs(name, value);
    }

    /**
     * Reads a finite decimal number such as {@code 2000} or {@code 0.5}.
     *
     * @param file the {@code --config} file's settings, read where no system property of that name is set.
     */
    public static double doubleProperty(final Properties file, final String name, final double defaultValue)
    {
        final String value = value(file, name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            final double number = Double.parseDouble(value.trim());
            if (Double.isFinite(number))
            {
                return number;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // refused below, with the same words as a value that is not finite
        }
        throw new IllegalArgumentException(name + ": not a number: " + value);
    }

    /**
     * @param file the {@code --config} file's settings, read where no system property of that name is set.
     */
    public static String stringProperty(final Properties file, final String name, final String defaultValue)
    {
        final String value = value(file, name);
        if (null == value)
        {
            return defaultValue;
        }
        // Trimmed like numbers are: a properties file keeps trailing blanks, which no address or name wants.
        final String trimmed = value.trim();
        if (trimmed.isEmpty())
        {
            throw new IllegalArgumentException(name + ": empty value");
        }
        return trimmed;
    }

    /**
     * Whether a system property or {@code file} gives {@code name} a value, so a command's own defaults stay out.
     */
    public static boolean isSet(final Properties file, final String name)
    {
        return null != value(file, name);
    }

    /**
     * A {@code -D} given to the JVM wins over the same key in the file: it is the narrower, later choice (one run's
     * JAVA_OPTS against a file shared by many runs).
     */
    private static String value(final Properties file, final String name)
    {
        final String value = System.getProperty(name);
        return null != value ? value : file.getProperty(name);
    }

    /**
     * Reads {@code 4096}, {@code 64k}, {@code 8m} or {@code 1g}.
     */
    public static long parseSize(final String name, final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String digits = value;
        if (value.endsWith("k") || value.endsWith("m") || value.endsWith("g"))
        {
            multiplier = value.endsWith("k") ? 1024L : value.endsWith("m") ? 1024L * 1024 : 1024L * 1024 * 1024;
            digits = value.substring(0, value.length() - 1);
        }
        try
        {
            return Math.multiplyExact(AsciiDecimal.parseLong(digits), multiplier);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException(
                name + ": not a number (digits, optionally followed by k, m or g): " + text);
        }
    }

    /**
     * Reads {@code 250ms}, {@code 5s}, {@code 100us}, {@code 10ns}, {@code 1m}; a bare number is milliseconds.
     */
    public static long parseDurationNs(final String name, final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        final String[][] units = { { "ns", "1" }, { "us", "1000" }, { "ms", "1000000" }, { "s", "1000000000" },
            { "m", "60000000000" } };
        try
        {
            for (final String[] unit : units)
            {
                if (value.endsWith(unit[0]))
                {
                    final String digits = value.substring(0, value.length() - unit[0].length());
                    return Math.multiplyExact(AsciiDecimal.parseLong(digits), Long.parseLong(unit[1]));
                }
            }
            return Math.multiplyExact(AsciiDecimal.parseLong(value), 1_000_000L);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException(name + ": not a duration: " + text);
        }
    }

    /**
     * Builds one of Agrona's idle strategies by name. Backoff parks up to 100 µs when idle: it keeps an idle thread
     * from holding a core, but still costs about a tenth of one, and adds up to that much latency after a lull.
     */
    public static IdleStrategy idleStrategy(final String name)
    {
        switch (name)
        {
            case "backoff":
                return new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1),
                    TimeUnit.MICROSECONDS.toNanos(100));
            case "yield":
                return new YieldingIdleStrategy();
            case "sleep":
                return new SleepingMillisIdleStrategy(1);
            case "spin":
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException("idle strategy must be backoff, yield, sleep or spin: " + name);
        }
    }
}

package io.tickgate.gateway;

import io.tickgate.gateway.conflation.Conflator;
import io.tickgate.gateway.conflation.ConflatorIdleStrategy;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.feed.FeedCounters;
import io.tickgate.gateway.feed.FeedHandler;
import io.tickgate.gateway.feed.IngressPublisher;
import io.tickgate.gateway.feed.ReplaySource;
import io.tickgate.gateway.feed.SimulatorFeed;
import io.tickgate.gateway.feed.SocketIdleStrategy;
import io.tickgate.gateway.feed.DatagramReceiver;
import io.tickgate.gateway.http.GatewayStatus;
import io.tickgate.gateway.http.HttpServer;
import io.tickgate.gateway.metrics.GatewayMetrics;
import io.tickgate.gateway.recording.Recorder;
import io.tickgate.gateway.metrics.LatencyPublisher;
import io.tickgate.gateway.metrics.LatencyRecorder;
import io.tickgate.gateway.session.OriginPolicy;
import io.tickgate.gateway.session.SessionCounters;
import io.tickgate.gateway.session.SessionDispatcher;
import io.tickgate.gateway.session.SessionSettings;
import io.tickgate.gateway.session.WebSocketEndpoint;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.simulator.CalibratedEpochNanoClock;
import io.tickgate.simulator.MarketSimulator;
import io.tickgate.simulator.FeedSimulator;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.xnio.XnioWorker;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Wires the roles of one gateway: feed sources into the ingress ring, the conflator, the WebSocket sessions, HTTP
 * and metrics. Owns their threads and closes them in reverse order. It holds no market state itself.
 * <p>
 * Thread-safe: {@link #launch} and {@link #close} from one controlling thread; the getters from any thread.
 */
public final class Gateway implements AutoCloseable, GatewayStatus
{
    public static final int SOURCE_UDP = 0;
    public static final int SOURCE_SIMULATOR = 1;
    public static final int SOURCE_REPLAY = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Descriptors kept from sessions for everything else the process opens. */
    static final int RESERVED_DESCRIPTORS = 128;

    private final Context ctx;
    private final long startMs = System.currentTimeMillis();
    private final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock();
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final SymbolRegistry registry;
    private final LastValueCache cache;
    private final Conflator conflator;
    private final WebSocketEndpoint endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SessionCounters sessionCounters;
    private final HttpServer http;
    private final String[] sourceNames = new String[Conflator.MAX_SOURCES];
    private final List<AgentRunner> runners = new ArrayList<>();
    /** Index in {@link #runners} of the first that feeds the ingress ring; those before it consume or record. */
    private int firstSourceRunner;
    private final ScheduledExecutorService housekeeping;
    private final ErrorHandler errorHandler;
    private final Runnable metricsPoll;
    private DatagramChannel feedChannel;
    /** The XNIO worker of the HTTP server and the sessions; the gateway's, so the "io" layout can use it too. */
    private final XnioWorker worker;
    /** The feed handler and conflator on an IO thread, in the "io" layout; else null. */
    private IoThreadIngest ioIngest;
    /** What ioIngest runs, once launched. */
    private Agent ioIngestAgent;
    private final ManyToOneRingBuffer ring;
    private final AtomicCounter ringFull;
    /** Run by every producer after it publishes; touched by producer threads only after construction. */
    private final Runnable wakeConflator;
    private final ConcurrentHashMap<String, Boolean> loggedErrors = new ConcurrentHashMap<>();
    /** Exchange-to-ingest latency per source, filled while the sources are wired, then only read. */
    private final Map<String, LatencyPublisher> feedLatency = new LinkedHashMap<>();
    private ManyToOneRingBuffer recordingRing;
    private AtomicCounter recordingDropped;
    /** Only touched with --record, so the class (and Chronicle) loads only then. */
    private Recorder recorder;
    private ReplaySource replaySource;

    private Gateway(final Context ctx, final XnioWorker worker)
    {
        this.ctx = ctx;
        this.worker = worker;
        errorHandler = newErrorHandler();
        registry = new SymbolRegistry(ctx.symbolCapacity);
        cache = new LastValueCache(ctx.symbolCapacity);
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(ctx.ringCapacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        ringFull = metrics.counter("tickgate.ring.full",
            "Ticks that found the ingress ring full and waited for the conflator");

        // "io": the feed handler and the conflator run on the XNIO IO thread that writes the frames.
        final boolean ingestOnIoThread = "io".equals(ctx.conflatorIdleStrategy);
        openFeed(ingestOnIoThread);
        final IoThreadIngest onIoThread = ioIngest;
        // "feed": the conflator runs on the UDP feed handler's thread and sleeps in a select on its socket; without a
        // UDP feed it parks on a thread of its own.
        final boolean conflateOnFeedThread = "feed".equals(ctx.conflatorIdleStrategy) && null != feedChannel;
        final long conflatorSleepNs = TimeUnit.MILLISECONDS.toNanos(5);
        final ConflatorIdleStrategy conflatorIdle = conflateOnFeedThread ?
            ConflatorIdleStrategy.selecting(feedChannel, conflatorSleepNs) :
            "park".equals(ctx.conflatorIdleStrategy) || "feed".equals(ctx.conflatorIdleStrategy) ?
            ConflatorIdleStrategy.parking(conflatorSleepNs) : null;
        conflator = new Conflator(
            ring,
            cache,
            registry,
            SystemNanoClock.INSTANCE,
            clock,
            4096,
            ctx.staleAfterNs,
            metrics.gaugeCounter("tickgate.subscriptions", "Symbol subscriptions held by all sessions"),
            metrics.counter("tickgate.stale.transitions", "Symbols flagged stale because their feed went quiet"),
            ingestOnIoThread ? onIoThread::wake : null == conflatorIdle ? null : conflatorIdle::wake);
        if (null != conflatorIdle)
        {
            conflatorIdle.workCheck(conflator::hasWork);
        }
        wakeConflator = ingestOnIoThread ? onIoThread::wake : null == conflatorIdle ? () -> {} : conflatorIdle::wake;

        sessionCounters = metrics.sessionCounters();
        endpoint = newEndpoint();
        final LatencyPublisher latency = new LatencyPublisher(this::latencyRecorders, 10);
        registerGauges();
        housekeeping = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "tickgate-metrics");
            thread.setDaemon(true);
            return thread;
        });
        http = new HttpServer(ctx.bindAddress, ctx.httpPort, TimeUnit.NANOSECONDS.toMillis(ctx.httpRequestTimeoutNs),
            ctx.httpMaxHeaderBytes, connectionsWithinDescriptors(descriptorLimit(), descriptorsOpen()), worker,
            endpoint, this);

        if (!conflateOnFeedThread && !ingestOnIoThread)
        {
            runners.add(new AgentRunner(
                null != conflatorIdle ? conflatorIdle : GatewayConfiguration.idleStrategy(ctx.conflatorIdleStrategy),
                errorHandler,
                null,
                conflator));
        }
        if (null != ctx.recordDir || null != ctx.replayDir)
        {
            io.tickgate.simulator.recording.ChronicleRuntime.init();
        }
        if (null != ctx.recordDir)
        {
            // Added before the sources so it closes after them and drains what they left.
            addRecorder();
        }

        // Every runner added from here on feeds the ingress ring: close() stops them before the IO thread's ingest,
        // which in the io layout is the ring's only consumer (a source stopped after it could wait on a full ring).
        firstSourceRunner = runners.size();
        ioIngestAgent = conflator;
        addUdpSource(ingestOnIoThread, conflateOnFeedThread, conflatorIdle);
        if (ctx.simulatorSymbols > 0)
        {
            addSimulatorSource();
        }
        if (null != ctx.replayDir)
        {
            addReplaySource();
        }

        metrics.latency(latency, feedLatency);
        metricsPoll = metricsPoll(latency);
        registerSourceGauges();
    }

    /** Scheduled by launch() once every source is known: the task then only reads the map. */
    private Runnable metricsPoll(final LatencyPublisher latency)
    {
        return () ->
        {
            try
            {
                latency.poll();
                feedLatency.values().forEach(LatencyPublisher::poll);
            }
            catch (final RuntimeException ex)
            {
                // A throw would cancel the schedule silently; count it and keep publishing.
                errorHandler.onError(ex);
            }
        };
    }

    private ErrorHandler newErrorHandler()
    {
        final AtomicCounter errors = metrics.counter("tickgate.errors",
            "Unexpected errors on gateway threads; details in the log and the distinct error log");
        final DistinctErrorLog errorLog = new DistinctErrorLog(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(1024 * 1024, 64)), SystemEpochClock.INSTANCE);
        return new CountedErrorHandler(
            throwable ->
            {
                errorLog.record(throwable);
                // The distinct error log counts every repeat; the log file gets each distinct error once.
                if (null == loggedErrors.putIfAbsent(distinctKey(throwable), Boolean.TRUE))
                {
                    LOG.error("error on {} (repeats are counted in tickgate_errors_total, not logged)",
                        Thread.currentThread().getName(), throwable);
                }
            },
            errors);
    }

    /** Binds the UDP feed port, if any: onto the IO thread in the "io" layout, else as a channel of its own. */
    private void openFeed(final boolean ingestOnIoThread)
    {
        if (ctx.feedPort >= 0)
        {
            final InetSocketAddress feedBind = new InetSocketAddress(ctx.bindAddress, ctx.feedPort);
            try
            {
                if (ingestOnIoThread)
                {
                    ioIngest = IoThreadIngest.withUdpFeed(worker, feedBind, ctx.feedReceiveBufferBytes, errorHandler);
                }
                else
                {
                    feedChannel = FeedHandler.openChannel(feedBind, ctx.feedReceiveBufferBytes);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot bind the UDP feed port " + ctx.bindAddress + ":" +
                    ctx.feedPort + ": " + ex.getMessage(), ex);
            }
        }
        if (ingestOnIoThread && null == ioIngest)
        {
            ioIngest = IoThreadIngest.withoutUdpFeed(worker, errorHandler);
        }
    }

    private WebSocketEndpoint newEndpoint()
    {
        if (!SessionSettings.nativeWritesAvailable())
        {
            LOG.info("{}: {}", "native".equals(ctx.socketWrites) ?
                "sessions write through the JDK's socket channel, not send(2), and have no TCP_USER_TIMEOUT" :
                "sessions have no TCP_USER_TIMEOUT", SessionSettings.nativeWritesUnavailableReason());
        }
        final long descriptorLimit = descriptorLimit();
        final int maxSessions = sessionsWithinDescriptors(ctx.maxSessions, descriptorLimit);
        if (maxSessions < ctx.maxSessions * 0.9)
        {
            LOG.warn("the descriptor limit ({}) holds {} sessions, not {} ({}): more are refused with 1013; " +
                "raise ulimit -n", descriptorLimit, maxSessions, ctx.maxSessions,
                GatewayConfiguration.MAX_SESSIONS_PROP_NAME);
        }
        return new WebSocketEndpoint(
            registry,
            conflator.proxy(),
            cache,
            sessionCounters,
            clock,
            errorHandler,
            new SessionSettings(
                ctx.heartbeatNs,
                ctx.slowConsumerTimeoutNs,
                TimeUnit.NANOSECONDS.toMillis(ctx.closeGraceNs),
                ctx.maxSubscriptions,
                ctx.maxTextMessageBytes,
                64,
                ctx.sendBufferBytes,
                "native".equals(ctx.socketWrites) && SessionSettings.nativeWritesAvailable()),
            maxSessions,
            WebSocketEndpoint.MAX_SYMBOLS_PER_REQUEST,
            OriginPolicy.parse(GatewayConfiguration.ALLOWED_ORIGINS_PROP_NAME, ctx.allowedOrigins));
    }

    private void registerGauges()
    {
        metrics.gauge("tickgate.session.pending.max",
            "Largest pending set of any session, in entries (values a throttle holds back included)", "entries",
            endpoint::maxPendingEntries);
        metrics.gauge("tickgate.sessions.pending.entries",
            "Entries in the pending sets of all sessions (symbols updated but not yet written, held back by a " +
                "throttle or not)", "entries",
            endpoint::pendingEntries);
        metrics.gauge("tickgate.sessions.unwritable",
            "Sessions whose last frame is still waiting for the socket, or whose market data waits for the " +
                "pong of a client that has not read what it was sent (client not reading fast enough)", null,
            endpoint::unwritableSessions);
        metrics.gauge("tickgate.sessions.reply",
            "Bytes of replies to requests queued for sessions and not yet written", "bytes",
            endpoint::queuedReplyBytes);
        metrics.gauge("tickgate.symbols", "Symbols known to the gateway", "symbols", registry::count);
        metrics.gauge("tickgate.symbols.stale", "Symbols flagged stale because their feed source went quiet",
            null, () -> cache.countStale(registry.count()));
        metrics.gauge("tickgate.ring.fill",
            "Highest fill of the ingress ring over the last ten whole seconds (0 to 1)", "ratio",
            conflator::ringFillRatio);
    }

    private void addRecorder()
    {
        recordingRing = new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            ctx.recordingRingCapacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        recordingDropped = metrics.counter("tickgate.recording.dropped",
            "Ticks not recorded: the recorder was a whole recording ring behind, or the file would not take them");
        final AtomicCounter recorded =
            metrics.counter("tickgate.recording.ticks", "Ticks written to the recording");
        runners.add(RecorderLauncher.runner(
            recordingRing, registry, ctx.recordDir, recorded, recordingDropped, ctx.recordingParkNs, errorHandler,
            this));
    }

    private void addUdpSource(
        final boolean ingestOnIoThread, final boolean conflateOnFeedThread, final ConflatorIdleStrategy conflatorIdle)
    {
        final DatagramReceiver feedSocket = ingestOnIoThread ? ioIngest.receiver() :
            null == feedChannel ? null : FeedHandler.receiver(feedChannel);
        if (null == feedSocket)
        {
            return;
        }
        sourceNames[SOURCE_UDP] = "udp";
        final AtomicCounter ticks = ticksIngested("udp");
        final FeedCounters feedCounters = metrics.feedCounters("udp", ticks);
        final boolean conflatorOnThisThread = conflateOnFeedThread || ingestOnIoThread;
        final FeedHandler feedHandler = new FeedHandler(
            feedSocket,
            registry,
            publisher(SOURCE_UDP, "udp", ticks,
                conflatorOnThisThread ? Ingestor.conflateWhenFull(conflator) : new YieldingIdleStrategy(),
                // on the IO thread the conflator runs right after the feed handler: nothing to wake
                ingestOnIoThread ? () -> {} : wakeConflator),
            feedCounters,
            clock,
            64);
        if (ingestOnIoThread)
        {
            ioIngestAgent = new Ingestor(feedHandler, conflator);
        }
        else if (conflateOnFeedThread)
        {
            runners.add(new AgentRunner(conflatorIdle, errorHandler, null, new Ingestor(feedHandler, conflator)));
        }
        else
        {
            runners.add(new AgentRunner(
                "socket".equals(ctx.feedIdleStrategy) ? new SocketIdleStrategy(feedChannel, 100) :
                    GatewayConfiguration.idleStrategy(ctx.feedIdleStrategy),
                errorHandler,
                null,
                feedHandler));
        }
    }

    private void addSimulatorSource()
    {
        final FeedSimulator simulator = new FeedSimulator(
            new MarketSimulator(ctx.simulatorSymbols, ctx.simulatorSeed),
            inProcessFeed(SOURCE_SIMULATOR, "simulator"),
            ctx.simulatorRate,
            0,
            SystemNanoClock.INSTANCE,
            TimeUnit.SECONDS.toNanos(5));
        runners.add(new AgentRunner(GatewayConfiguration.idleStrategy("sleep"), errorHandler, null, simulator));
    }

    private void addReplaySource()
    {
        replaySource = new ReplaySource(ctx.replayDir, inProcessFeed(SOURCE_REPLAY, "replay"), ctx.replaySpeed);
        // Between due ticks it sleeps like `replay` (backoff, at most 1 ms): the 100 µs backoff of the feed
        // threads cost a tenth of a core all through a sparse replay (docs/recording.md, Pacing).
        runners.add(new AgentRunner(new BackoffIdleStrategy(), errorHandler, null, replaySource));
    }

    /** A source inside the process (simulator, replay): it hands decoded ticks to the registry and the ring. */
    private SimulatorFeed inProcessFeed(final int sourceId, final String sourceName)
    {
        sourceNames[sourceId] = sourceName;
        return new SimulatorFeed(
            registry,
            publisher(sourceId, sourceName, ticksIngested(sourceName)),
            clock,
            metrics.symbolTableFull(sourceName),
            metrics.definitionsRefused(sourceName));
    }

    private AtomicCounter ticksIngested(final String sourceName)
    {
        return metrics.counter("tickgate.ticks.ingested",
            "Quotes and trades written to the ingress ring", "source", sourceName);
    }

    private void registerSourceGauges()
    {
        for (int sourceId = 0; sourceId < sourceNames.length; sourceId++)
        {
            if (null != sourceNames[sourceId])
            {
                final int id = sourceId;
                metrics.gauge("tickgate.feed.last.tick.age",
                    "Seconds since the source's last tick reached the conflator; NaN until its first tick", "seconds",
                    () -> lastTickAgeSeconds(id), "source", sourceNames[sourceId]);
                metrics.gauge("tickgate.feed.stale",
                    "1 while the source has been quiet longer than the stale-after threshold, else 0", null,
                    () -> conflator.isSourceStale(id) ? 1 : 0, "source", sourceNames[sourceId]);
            }
        }
    }

    private double lastTickAgeSeconds(final int sourceId)
    {
        final long lastTickNs = conflator.lastTickEpochNs(sourceId);
        return 0 == lastTickNs ? Double.NaN : Math.max(0, clock.nanoTime() - lastTickNs) / 1e9;
    }

    /**
     * A producer's door into the ingress ring, with its own exchange-to-ingest recorder, the conflator's wake-up
     * and, with --record, the copy into the recording ring.
     */
    private IngressPublisher publisher(final int sourceId, final String sourceName, final AtomicCounter ticks)
    {
        return publisher(sourceId, sourceName, ticks, new YieldingIdleStrategy(), wakeConflator);
    }

    /**
     * @param ringFullIdle how the producer waits for room when the ring is full.
     * @param onPublish    run after each commit, to wake the conflator.
     */
    private IngressPublisher publisher(
        final int sourceId,
        final String sourceName,
        final AtomicCounter ticks,
        final IdleStrategy ringFullIdle,
        final Runnable onPublish)
    {
        final LatencyRecorder feedLatencyRecorder = new LatencyRecorder();
        feedLatency.put(sourceName, new LatencyPublisher(() -> List.of(feedLatencyRecorder), 0));
        final IngressPublisher publisher = new IngressPublisher(
            ring, sourceId, ringFull, ticks, ringFullIdle, feedLatencyRecorder, onPublish);
        return null == recordingRing ? publisher : publisher.recordTo(recordingRing, recordingDropped);
    }

    void recorder(final Recorder recorder)
    {
        this.recorder = recorder;
    }

    /**
     * The segment this gateway records into, or null without {@code --record}.
     */
    public Path recordingFile()
    {
        return null == recorder ? null : recorder.file();
    }

    /**
     * The replay feeding this gateway, or null without {@code --replay}.
     */
    public ReplaySource replaySource()
    {
        return replaySource;
    }

    /**
     * Why the gateway cannot go on serving what it was started for, or null: a {@code --replay} recording found
     * damaged. The gateway keeps running; its owner decides (the CLI closes it and exits 1). Any thread.
     */
    public String failure()
    {
        return null == replaySource ? null : replaySource.failureMessage();
    }

    /**
     * Starts a gateway; it accepts traffic when this returns.
     */
    public static Gateway launch(final Context ctx)
    {
        ctx.conclude();
        final XnioWorker worker = HttpServer.createWorker(ctx.ioThreads);
        final Gateway gateway;
        try
        {
            gateway = new Gateway(ctx, worker);
        }
        catch (final RuntimeException | Error ex)
        {
            worker.shutdownNow();
            throw ex;
        }
        try
        {
            try
            {
                gateway.http.start();
            }
            catch (final RuntimeException ex)
            {
                final Throwable cause = null != ex.getCause() ? ex.getCause() : ex;
                throw new IllegalStateException("cannot listen on " + ctx.bindAddress + ":" + ctx.httpPort + ": " +
                    cause.getMessage(), ex);
            }
            if (null != gateway.ioIngest)
            {
                gateway.ioIngest.start(gateway.ioIngestAgent, gateway.conflator);
            }
            for (final AgentRunner runner : gateway.runners)
            {
                AgentRunner.startOnThread(runner);
            }
            // Scheduled only now: the executor starts its thread on the first task, so a failed start leaks none.
            gateway.housekeeping.scheduleAtFixedRate(gateway.metricsPoll, 1, 1, TimeUnit.SECONDS);
            gateway.housekeeping.scheduleAtFixedRate(gateway.clock::recalibrate, 10, 10, TimeUnit.SECONDS);
            gateway.housekeeping.scheduleAtFixedRate(
                gateway.metrics::refreshFileDescriptors, 5, 5, TimeUnit.SECONDS);
            return gateway;
        }
        catch (final RuntimeException ex)
        {
            gateway.close();
            if (null != gateway.recorder)
            {
                gateway.recorder.deleteIfEmpty();
            }
            throw ex;
        }
    }

    public InetSocketAddress httpAddress()
    {
        return http.address();
    }

    /**
     * The bound UDP feed address, or null when the gateway runs without a UDP feed.
     */
    public InetSocketAddress feedAddress()
    {
        try
        {
            if (null != ioIngest)
            {
                return ioIngest.feedAddress();
            }
            return null == feedChannel ? null : (InetSocketAddress)feedChannel.getLocalAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * Sends every session 1001 "going away", waits until each has finished the close handshake or its close grace
     * ({@code tickgate.session.close.grace}) has passed, then stops everything. Only the first call does anything.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        endpoint.closeAll();
        // Each session drops its connection once its close grace has passed; a moment more lets those drops land.
        final long deadlineNs = System.nanoTime() + ctx.closeGraceNs + TimeUnit.MILLISECONDS.toNanos(100);
        // A connection whose 101 is written but whose session is not yet made would not be counted yet: once every
        // IO thread has run a task queued after closeAll, each such session exists and has its 1001.
        awaitIoThreads(deadlineNs);
        while (endpoint.liveConnections() > 0 && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        // The IO threads stop next, closing every connection: a handshake now gets 503, and one already answered
        // 101 has its session made, and its 1001 written, by the time every IO thread has run a task queued after.
        endpoint.refuseUpgrades();
        awaitIoThreads(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        endpoint.stop();
        CloseHelper.quietClose(http);
        // The sources first, then what consumes the ring, then the recorder, which drains what they all left.
        for (int i = runners.size() - 1; i >= firstSourceRunner; i--)
        {
            CloseHelper.quietClose(runners.get(i));
        }
        CloseHelper.quietClose(ioIngest);
        for (int i = firstSourceRunner - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(runners.get(i));
        }
        housekeeping.shutdownNow();
        CloseHelper.quietClose(feedChannel);
        worker.shutdown();
        try
        {
            if (!worker.awaitTermination(2, TimeUnit.SECONDS))
            {
                worker.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        metrics.close();
    }

    /**
     * Sessions the process can hold with {@code descriptorLimit} descriptors, at most {@code maxSessions}: each takes
     * one, and {@link #RESERVED_DESCRIPTORS} stay for everything else (libraries, selectors, the feed, recording
     * segments, scrapes and health checks). Past it a new session is refused with 1013 while a descriptor is still
     * there to refuse it with; at the limit itself nothing could be accepted, /health and /metrics included.
     */
    static int sessionsWithinDescriptors(final int maxSessions, final long descriptorLimit)
    {
        if (descriptorLimit <= 0)
        {
            return maxSessions;
        }
        return (int)Math.max(1, Math.min(maxSessions, descriptorLimit - RESERVED_DESCRIPTORS));
    }

    /**
     * Connections of every kind the HTTP server holds at most: sessions, and requests not yet or never upgraded.
     * Past it the server takes no new connection (they wait in the listen backlog) until one closes. It stops short
     * of the descriptors still free when the gateway starts by half the session reserve, kept for the feed,
     * recording segments and libraries, so that accepting never meets "too many open files": after that the server
     * would wait up to 30 s before it tried again, long after the connections had gone.
     */
    static int connectionsWithinDescriptors(final long descriptorLimit, final long descriptorsOpen)
    {
        return descriptorLimit <= 0 ? Integer.MAX_VALUE : (int)Math.max(1,
            Math.min(Integer.MAX_VALUE, descriptorLimit - Math.max(0, descriptorsOpen) - RESERVED_DESCRIPTORS / 2));
    }

    private static long descriptorsOpen()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean ?
            ((com.sun.management.UnixOperatingSystemMXBean)os).getOpenFileDescriptorCount() : 0;
    }

    private static long descriptorLimit()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean ?
            ((com.sun.management.UnixOperatingSystemMXBean)os).getMaxFileDescriptorCount() : -1;
    }

    private void awaitIoThreads(final long deadlineNs)
    {
        final CountDownLatch ran = new CountDownLatch(worker.getIoThreadCount());
        for (int i = 0; i < worker.getIoThreadCount(); i++)
        {
            try
            {
                worker.getIoThread(i).execute(ran::countDown);
            }
            catch (final RejectedExecutionException ex)
            {
                ran.countDown();
            }
        }
        try
        {
            ran.await(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static String distinctKey(final Throwable throwable)
    {
        final StackTraceElement[] trace = throwable.getStackTrace();
        return throwable.getClass().getName() + ':' + throwable.getMessage() + '@' +
            (trace.length > 0 ? trace[0].toString() : "");
    }

    private List<LatencyRecorder> latencyRecorders()
    {
        final List<LatencyRecorder> recorders = new ArrayList<>();
        for (final SessionDispatcher dispatcher : endpoint.dispatchers())
        {
            recorders.add(dispatcher.latencyRecorder());
        }
        return recorders;
    }

    public WebSocketEndpoint endpoint()
    {
        return endpoint;
    }

    public GatewayMetrics metrics()
    {
        return metrics;
    }

    @Override
    public SymbolRegistry registry()
    {
        return registry;
    }

    @Override
    public LastValueCache cache()
    {
        return cache;
    }

    @Override
    public long uptimeMs()
    {
        return System.currentTimeMillis() - startMs;
    }

    @Override
    public long sessionsOpen()
    {
        return sessionCounters.sessionsOpen.get();
    }

    @Override
    public long heartbeatMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(ctx.heartbeatNs);
    }

    @Override
    public boolean stopping()
    {
        return closed.get();
    }

    @Override
    public String[] sourceNames()
    {
        return sourceNames.clone();
    }

    @Override
    public long lastTickEpochNs(final int sourceId)
    {
        return conflator.lastTickEpochNs(sourceId);
    }

    @Override
    public boolean isSourceStale(final int sourceId)
    {
        return conflator.isSourceStale(sourceId);
    }

    @Override
    public long epochNanoTime()
    {
        return clock.nanoTime();
    }

    @Override
    public String scrapeMetrics()
    {
        return metrics.scrape();
    }

    public Context context()
    {
        return ctx;
    }

    /**
     * Everything a gateway is started with: defaults from {@link GatewayConfiguration} (system properties, then a
     * {@code --config} file), then fluent setters. Ranges are checked once, in {@link #conclude()}.
     */
    public static final class Context
    {
        String bindAddress;
        int httpPort;
        int ioThreads;
        int feedPort;
        int feedReceiveBufferBytes;
        int simulatorSymbols;
        double simulatorRate;
        long simulatorSeed;
        long slowConsumerTimeoutNs;
        long heartbeatNs;
        long closeGraceNs;
        long httpRequestTimeoutNs;
        int httpMaxHeaderBytes;
        String allowedOrigins;
        long staleAfterNs;
        int maxSubscriptions;
        int maxTextMessageBytes;
        int sendBufferBytes;
        String socketWrites;
        int maxSessions;
        int ringCapacity;
        int symbolCapacity;
        String feedIdleStrategy;
        String conflatorIdleStrategy;
        int recordingRingCapacity;
        long recordingParkNs;
        Path recordDir;
        Path replayDir;
        double replaySpeed = 1;

        /**
         * Defaults from {@code tickgate.*} system properties, else {@link GatewayConfiguration}'s defaults.
         */
        public Context()
        {
            this(new Properties());
        }

        /**
         * Defaults from {@code tickgate.*} system properties, then {@code file} (a {@code --config} file), then
         * {@link GatewayConfiguration}'s defaults: a {@code -D} given to the JVM wins over the same key in the file.
         */
        public Context(final Properties file)
        {
            bindAddress = GatewayConfiguration.stringProperty(
                file, GatewayConfiguration.BIND_ADDRESS_PROP_NAME, GatewayConfiguration.BIND_ADDRESS_DEFAULT);
            httpPort = GatewayConfiguration.wholeNumberProperty(
                file, GatewayConfiguration.HTTP_PORT_PROP_NAME, GatewayConfiguration.HTTP_PORT_DEFAULT);
            ioThreads = GatewayConfiguration.wholeNumberProperty(
                file, GatewayConfiguration.IO_THREADS_PROP_NAME, GatewayConfiguration.IO_THREADS_DEFAULT);
            feedPort = GatewayConfiguration.wholeNumberProperty(
                file, GatewayConfiguration.FEED_PORT_PROP_NAME, GatewayConfiguration.FEED_PORT_DEFAULT);
            feedReceiveBufferBytes = GatewayConfiguration.intProperty(file,
                GatewayConfiguration.FEED_RECEIVE_BUFFER_PROP_NAME, GatewayConfiguration.FEED_RECEIVE_BUFFER_DEFAULT);
            simulatorSymbols = GatewayConfiguration.intProperty(file,
                GatewayConfiguration.SIMULATOR_SYMBOLS_PROP_NAME, GatewayConfiguration.SIMULATOR_SYMBOLS_DEFAULT);
            simulatorRate = GatewayConfiguration.doubleProperty(
                file, GatewayConfiguration.SIMULATOR_RATE_PROP_NAME, GatewayConfiguration.SIMULATOR_RATE_DEFAULT);
            simulatorSeed = 42;
            slowConsumerTimeoutNs = GatewayConfiguration.durationNsProperty(file,
                GatewayConfiguration.SLOW_CONSUMER_TIMEOUT_PROP_NAME,
                GatewayConfiguration.SLOW_CONSUMER_TIMEOUT_DEFAULT_NS);
            heartbeatNs = GatewayConfiguration.durationNsProperty(
                file, GatewayConfiguration.HEARTBEAT_PROP_NAME, GatewayConfiguration.HEARTBEAT_DEFAULT_NS);
            closeGraceNs = GatewayConfiguration.durationNsProperty(
                file, GatewayConfiguration.CLOSE_GRACE_PROP_NAME, GatewayConfiguration.CLOSE_GRACE_DEFAULT_NS);
            httpRequestTimeoutNs = GatewayConfiguration.durationNsProperty(file,
                GatewayConfiguration.HTTP_REQUEST_TIMEOUT_PROP_NAME,
                GatewayConfiguration.HTTP_REQUEST_TIMEOUT_DEFAULT_NS);
            httpMaxHeaderBytes = GatewayConfiguration.intProperty(
                file, GatewayConfiguration.HTTP_MAX_HEADER_PROP_NAME, GatewayConfiguration.HTTP_MAX_HEADER_DEFAULT);
            allowedOrigins = GatewayConfiguration.stringProperty(
                file, GatewayConfiguration.ALLOWED_ORIGINS_PROP_NAME, GatewayConfiguration.ALLOWED_ORIGINS_DEFAULT);
            staleAfterNs = GatewayConfiguration.durationNsProperty(
                file, GatewayConfiguration.STALE_AFTER_PROP_NAME, GatewayConfiguration.STALE_AFTER_DEFAULT_NS);
            maxSubscriptions = GatewayConfiguration.intProperty(file,
                GatewayConfiguration.MAX_SUBSCRIPTIONS_PROP_NAME, GatewayConfiguration.MAX_SUBSCRIPTIONS_DEFAULT);
            maxTextMessageBytes = GatewayConfiguration.intProperty(
                file, GatewayConfiguration.MAX_TEXT_MESSAGE_PROP_NAME, GatewayConfiguration.MAX_TEXT_MESSAGE_DEFAULT);
            sendBufferBytes = GatewayConfiguration.intProperty(
                file, GatewayConfiguration.SEND_BUFFER_PROP_NAME, GatewayConfiguration.SEND_BUFFER_DEFAULT);
            socketWrites = GatewayConfiguration.stringProperty(
                file, GatewayConfiguration.SOCKET_WRITES_PROP_NAME, GatewayConfiguration.SOCKET_WRITES_DEFAULT);
            maxSessions = GatewayConfiguration.intProperty(
                file, GatewayConfiguration.MAX_SESSIONS_PROP_NAME, GatewayConfiguration.MAX_SESSIONS_DEFAULT);
            ringCapacity = GatewayConfiguration.intProperty(
                file, GatewayConfiguration.RING_CAPACITY_PROP_NAME, GatewayConfiguration.RING_CAPACITY_DEFAULT);
            symbolCapacity = GatewayConfiguration.intProperty(
                file, GatewayConfiguration.SYMBOL_CAPACITY_PROP_NAME, GatewayConfiguration.SYMBOL_CAPACITY_DEFAULT);
            feedIdleStrategy = GatewayConfiguration.stringProperty(file,
                GatewayConfiguration.FEED_IDLE_STRATEGY_PROP_NAME, GatewayConfiguration.FEED_IDLE_STRATEGY_DEFAULT);
            conflatorIdleStrategy = GatewayConfiguration.stringProperty(file,
                GatewayConfiguration.CONFLATOR_IDLE_STRATEGY_PROP_NAME,
                GatewayConfiguration.CONFLATOR_IDLE_STRATEGY_DEFAULT);
            recordingRingCapacity = GatewayConfiguration.intProperty(file,
                GatewayConfiguration.RECORDING_RING_CAPACITY_PROP_NAME,
                GatewayConfiguration.RECORDING_RING_CAPACITY_DEFAULT);
            recordingParkNs = GatewayConfiguration.durationNsProperty(
                file, GatewayConfiguration.RECORDING_PARK_PROP_NAME, GatewayConfiguration.RECORDING_PARK_DEFAULT_NS);
        }

        /**
         * Journals every ingested tick into a new segment of the recording in {@code dir}; null for none.
         */
        public Context recordDir(final Path dir)
        {
            this.recordDir = dir;
            return this;
        }

        /**
         * Feeds the gateway from a recording as source 2, no UDP involved; null for none.
         *
         * @param speed 1 for the recorded pace, 10 for ten times faster, 0 for as fast as the ring takes.
         */
        public Context replay(final Path dir, final double speed)
        {
            this.replayDir = dir;
            this.replaySpeed = speed;
            return this;
        }

        public Context recordingRingCapacity(final int capacity)
        {
            this.recordingRingCapacity = capacity;
            return this;
        }

        /**
         * How long the recorder parks after a duty cycle that found the recording ring about empty.
         */
        public Context recordingParkNs(final long parkNs)
        {
            this.recordingParkNs = parkNs;
            return this;
        }

        public Context bindAddress(final String bindAddress)
        {
            this.bindAddress = bindAddress;
            return this;
        }

        public Context httpPort(final int httpPort)
        {
            this.httpPort = httpPort;
            return this;
        }

        public Context ioThreads(final int ioThreads)
        {
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * @param feedPort UDP port, 0 for any free port, -1 for no UDP feed.
         */
        public Context feedPort(final int feedPort)
        {
            this.feedPort = feedPort;
            return this;
        }

        public Context simulatorSymbols(final int symbols)
        {
            this.simulatorSymbols = symbols;
            return this;
        }

        public Context simulatorRate(final double ticksPerSecond)
        {
            this.simulatorRate = ticksPerSecond;
            return this;
        }

        public Context simulatorSeed(final long seed)
        {
            this.simulatorSeed = seed;
            return this;
        }

        public Context slowConsumerTimeoutNs(final long timeoutNs)
        {
            this.slowConsumerTimeoutNs = timeoutNs;
            return this;
        }

        public Context heartbeatNs(final long heartbeatNs)
        {
            this.heartbeatNs = heartbeatNs;
            return this;
        }

        public Context closeGraceNs(final long closeGraceNs)
        {
            this.closeGraceNs = closeGraceNs;
            return this;
        }

        /**
         * How long a connection may take to send a whole HTTP request once it has begun one (10 s).
         */
        public Context httpRequestTimeoutNs(final long httpRequestTimeoutNs)
        {
            this.httpRequestTimeoutNs = httpRequestTimeoutNs;
            return this;
        }

        /**
         * Most bytes of request line and headers an HTTP request may have (16k).
         */
        public Context httpMaxHeaderBytes(final int httpMaxHeaderBytes)
        {
            this.httpMaxHeaderBytes = httpMaxHeaderBytes;
            return this;
        }

        public Context staleAfterNs(final long staleAfterNs)
        {
            this.staleAfterNs = staleAfterNs;
            return this;
        }

        public Context maxSubscriptions(final int maxSubscriptions)
        {
            this.maxSubscriptions = maxSubscriptions;
            return this;
        }

        /**
         * Bytes the kernel may hold unsent for each session's socket; see
         * {@link GatewayConfiguration#SEND_BUFFER_PROP_NAME}.
         */
        public Context sendBufferBytes(final int sendBufferBytes)
        {
            this.sendBufferBytes = sendBufferBytes;
            return this;
        }

        /**
         * See {@link GatewayConfiguration#ALLOWED_ORIGINS_PROP_NAME}.
         */
        public Context allowedOrigins(final String allowedOrigins)
        {
            this.allowedOrigins = allowedOrigins;
            return this;
        }

        /**
         * {@code native} or {@code jdk}; see {@link GatewayConfiguration#SOCKET_WRITES_PROP_NAME}.
         */
        public Context socketWrites(final String socketWrites)
        {
            this.socketWrites = socketWrites;
            return this;
        }

        public Context maxSessions(final int maxSessions)
        {
            this.maxSessions = maxSessions;
            return this;
        }

        public Context ringCapacity(final int ringCapacity)
        {
            this.ringCapacity = ringCapacity;
            return this;
        }

        public Context symbolCapacity(final int symbolCapacity)
        {
            this.symbolCapacity = symbolCapacity;
            return this;
        }

        public Context conflatorIdleStrategy(final String name)
        {
            this.conflatorIdleStrategy = name;
            return this;
        }

        public Context feedIdleStrategy(final String name)
        {
            this.feedIdleStrategy = name;
            return this;
        }

        public int httpPort()
        {
            return httpPort;
        }

        /**
         * Checks every value once; a bad one is an {@link IllegalArgumentException} naming the setting. A replay
         * directory that holds no recording is an {@link IllegalStateException}, one that cannot be listed an
         * {@link UncheckedIOException}.
         */
        public Context conclude()
        {
            if (null == bindAddress || bindAddress.isBlank())
            {
                // InetAddress would take an empty name for the loopback address: not what an empty --bind= meant.
                throw new IllegalArgumentException("the bind address (" + GatewayConfiguration.BIND_ADDRESS_PROP_NAME +
                    ") is empty");
            }
            try
            {
                InetAddress.getByName(bindAddress);
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalArgumentException("cannot resolve the bind address (" +
                    GatewayConfiguration.BIND_ADDRESS_PROP_NAME + "): " + bindAddress);
            }
            requireRange("http port (" + GatewayConfiguration.HTTP_PORT_PROP_NAME + ")", httpPort, 0, 65535);
            requireRange("feed port (" + GatewayConfiguration.FEED_PORT_PROP_NAME + ")", feedPort, -1, 65535);
            requireRange("feed receive buffer (" + GatewayConfiguration.FEED_RECEIVE_BUFFER_PROP_NAME + ")",
                feedReceiveBufferBytes, 1, Integer.MAX_VALUE);
            requireRange("io threads (" + GatewayConfiguration.IO_THREADS_PROP_NAME + ")", ioThreads, 1, 64);
            requireRange("simulator symbols (" + GatewayConfiguration.SIMULATOR_SYMBOLS_PROP_NAME + ")",
                simulatorSymbols, 0, symbolCapacity);
            requireRange("max subscriptions (" + GatewayConfiguration.MAX_SUBSCRIPTIONS_PROP_NAME + ")",
                maxSubscriptions, 1, 4096);
            requireRange("max sessions (" + GatewayConfiguration.MAX_SESSIONS_PROP_NAME + ")", maxSessions, 1, 1 << 20);
            requireRange("max text message (" + GatewayConfiguration.MAX_TEXT_MESSAGE_PROP_NAME + ")",
                maxTextMessageBytes, 128, 16 * 1024 * 1024);
            requireRange("session send buffer (" + GatewayConfiguration.SEND_BUFFER_PROP_NAME + ")",
                sendBufferBytes, 4 * 1024, 16 * 1024 * 1024);
            requireRange("symbol capacity (" + GatewayConfiguration.SYMBOL_CAPACITY_PROP_NAME + ")",
                symbolCapacity, 1, LastValueCache.MAX_CAPACITY);
            if (Integer.bitCount(ringCapacity) != 1 || ringCapacity < 64 * 1024)
            {
                throw new IllegalArgumentException("ring capacity (" + GatewayConfiguration.RING_CAPACITY_PROP_NAME +
                    ") must be a power of two of at least 64k: " + ringCapacity);
            }
            requirePositive("heartbeat (" + GatewayConfiguration.HEARTBEAT_PROP_NAME + ")", heartbeatNs);
            requirePositive("slow-consumer timeout (" + GatewayConfiguration.SLOW_CONSUMER_TIMEOUT_PROP_NAME + ")",
                slowConsumerTimeoutNs);
            requirePositive("stale-after (" + GatewayConfiguration.STALE_AFTER_PROP_NAME + ")", staleAfterNs);
            requirePositive("close grace (" + GatewayConfiguration.CLOSE_GRACE_PROP_NAME + ")", closeGraceNs);
            requireDurationRange("HTTP request timeout (" + GatewayConfiguration.HTTP_REQUEST_TIMEOUT_PROP_NAME + ")",
                httpRequestTimeoutNs, TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.HOURS.toNanos(1));
            requireRange("HTTP header limit (" + GatewayConfiguration.HTTP_MAX_HEADER_PROP_NAME + ")",
                httpMaxHeaderBytes, 1024, 1024 * 1024);
            if (!(simulatorRate > 0) || Double.isInfinite(simulatorRate))
            {
                throw new IllegalArgumentException("simulator rate (" + GatewayConfiguration.SIMULATOR_RATE_PROP_NAME +
                    ") must be a positive number: " + simulatorRate);
            }
            if (!"socket".equals(feedIdleStrategy) && !isAgronaIdleStrategy(feedIdleStrategy))
            {
                throw new IllegalArgumentException(GatewayConfiguration.FEED_IDLE_STRATEGY_PROP_NAME +
                    " must be socket, backoff, yield, sleep or spin: " + feedIdleStrategy);
            }
            if (!"park".equals(conflatorIdleStrategy) && !"feed".equals(conflatorIdleStrategy) &&
                !"io".equals(conflatorIdleStrategy) && !isAgronaIdleStrategy(conflatorIdleStrategy))
            {
                throw new IllegalArgumentException(GatewayConfiguration.CONFLATOR_IDLE_STRATEGY_PROP_NAME +
                    " must be io, feed, park, backoff, yield, sleep or spin: " + conflatorIdleStrategy);
            }
            OriginPolicy.parse(GatewayConfiguration.ALLOWED_ORIGINS_PROP_NAME, allowedOrigins);
            if (!"native".equals(socketWrites) && !"jdk".equals(socketWrites))
            {
                throw new IllegalArgumentException(GatewayConfiguration.SOCKET_WRITES_PROP_NAME +
                    " must be native or jdk: " + socketWrites);
            }
            if (Integer.bitCount(recordingRingCapacity) != 1 || recordingRingCapacity < 64 * 1024)
            {
                throw new IllegalArgumentException("recording ring capacity (" +
                    GatewayConfiguration.RECORDING_RING_CAPACITY_PROP_NAME +
                    ") must be a power of two of at least 64k: " + recordingRingCapacity);
            }
            requireDurationRange("recording park (" + GatewayConfiguration.RECORDING_PARK_PROP_NAME + ")",
                recordingParkNs, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1));
            if (null != replayDir)
            {
                if (!(replaySpeed >= 0) || Double.isInfinite(replaySpeed))
                {
                    throw new IllegalArgumentException("replay speed must be positive or max: " + replaySpeed);
                }
                try
                {
                    io.tickgate.simulator.recording.RecordingReader.segmentsOf(replayDir);
                }
                catch (final IllegalArgumentException ex)
                {
                    // Not a bad setting but what is on disk, found at run time as replay and inspect find it.
                    throw new IllegalStateException(ex.getMessage(), ex);
                }
            }
            return this;
        }

        /**
         * As {@link #requireRange}, said in the units a config file is written in rather than in nanoseconds.
         */
        private static void requireDurationRange(final String name, final long ns, final long minNs, final long maxNs)
        {
            if (ns < minNs || ns > maxNs)
            {
                throw new IllegalArgumentException(name + " must be from " + readable(minNs) + " to " +
                    readable(maxNs) + ": " + readable(ns));
            }
        }

        private static String readable(final long ns)
        {
            if (0 != ns % 1_000_000)
            {
                return ns % 1_000 == 0 ? ns / 1_000 + "us" : ns + "ns";
            }
            final long ms = ns / 1_000_000;
            return 0 == ms || 0 != ms % 1_000 ? ms + "ms" :
                0 != (ms / 1_000) % 60 ? ms / 1_000 + "s" : ms / 60_000 + "m";
        }

        private static void requireRange(final String name, final long value, final long min, final long max)
        {
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ": " + value);
            }
        }

        private static boolean isAgronaIdleStrategy(final String name)
        {
            try
            {
                GatewayConfiguration.idleStrategy(name);
                return true;
            }
            catch (final IllegalArgumentException ex)
            {
                return false;
            }
        }

        private static void requirePositive(final String name, final long ns)
        {
            if (ns <= 0)
            {
                throw new IllegalArgumentException(name + " must be positive: " + readable(ns));
            }
        }
    }
}

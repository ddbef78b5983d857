package io.tickgate.gateway;

import io.tickgate.gateway.conflation.Conflator;
import io.tickgate.gateway.feed.DatagramReceiver;
import io.tickgate.gateway.session.AfterNextSelect;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.xnio.ChannelListener;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.MulticastMessageChannel;
import org.xnio.channels.SocketAddressBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The "io" layout: the UDP feed handler and the conflator run on an XNIO IO thread, the one that also writes the
 * sessions' frames. The feed socket is registered with that thread's selector, so a datagram wakes the thread that
 * will write the frames: at light load a tick crosses no thread and costs one wake-up from socket to wire, where the
 * other layouts pay a second one (the ingest thread waking the IO thread).
 * <p>
 * The agent (feed handler then conflator, {@link Ingestor}) runs through an {@link AgentInvoker}: a few duty cycles
 * each time the feed socket is readable, when another producer or a subscription command calls {@link #wake()},
 * and on a timer for the conflator's stale checks. A run that ends with work left yields to the sockets first: a
 * readable feed socket brings the thread back after its next select, and ring records or commands left over are
 * picked up right after that select too ({@link AfterNextSelect}).
 * <p>
 * XNIO binds the feed socket to an IO thread it picks at random, and a channel's {@code getIoThread()} picks again
 * on every call, so the agent's thread is learnt from the feed socket's first read-listener call, which
 * {@code wakeupReads()} makes on the socket's own thread.
 * <p>
 * Thread-safe: {@link #wake()} from any thread; the rest from the thread that builds and closes the gateway, handing
 * work to the IO thread.
 */
final class IoThreadIngest implements AutoCloseable
{
    /** Duty cycles per run before yielding to the sockets; each reads up to the feed handler's datagram batch. */
    private static final int MAX_CYCLES_PER_RUN = 8;

    private final XnioWorker worker;
    /** Null without a UDP feed: then only other producers and commands wake the agent. */
    private final MulticastMessageChannel feed;
    private final ErrorHandler errorHandler;
    /** Set by {@link #wake()}; cleared on the IO thread before the run it asked for, or by {@link #begin()}. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable scheduledRun = this::runScheduled;
    /** The thread that runs the agent: the feed socket's; null until the agent began there. */
    private volatile XnioIoThread ioThread;
    /** IO thread. */
    private AfterNextSelect resumeAfterSelect;
    private AgentInvoker invoker;
    private Conflator conflator;
    private XnioExecutor.Key timerKey;

    private IoThreadIngest(
        final XnioWorker worker, final MulticastMessageChannel feed, final ErrorHandler errorHandler)
    {
        this.worker = worker;
        this.feed = feed;
        this.errorHandler = errorHandler;
    }

    /**
     * Binds the UDP feed socket on one of the worker's IO threads; that thread runs the agent.
     */
    static IoThreadIngest withUdpFeed(
        final XnioWorker worker,
        final InetSocketAddress bindAddress,
        final int receiveBufferBytes,
        final ErrorHandler errorHandler) throws IOException
    {
        // XNIO sets SO_REUSEADDR unless told not to; on a UDP port that lets a second gateway bind the same port and
        // silently take the feed from the first.
        final MulticastMessageChannel feed = worker.createUdpServer(bindAddress, OptionMap.create(
            Options.RECEIVE_BUFFER, receiveBufferBytes, Options.REUSE_ADDRESSES, false));
        return new IoThreadIngest(worker, feed, errorHandler);
    }

    /**
     * Without a UDP feed: the agent runs on one of the worker's IO threads when producers wake it.
     */
    static IoThreadIngest withoutUdpFeed(final XnioWorker worker, final ErrorHandler errorHandler)
    {
        return new IoThreadIngest(worker, null, errorHandler);
    }

    /**
     * The feed socket as the feed handler reads it; null without a UDP feed. An empty datagram counts as one (it is
     * malformed): the source address tells it from no datagram.
     */
    DatagramReceiver receiver()
    {
        if (null == feed)
        {
            return null;
        }
        final SocketAddressBuffer from = new SocketAddressBuffer();
        return new DatagramReceiver()
        {
            @Override
            public SocketAddress receive(final ByteBuffer buffer) throws IOException
            {
                from.clear();
                return feed.receiveFrom(from, buffer) >= 0 ? from.getSourceAddress() : null;
            }

            @Override
            public void close()
            {
                CloseHelper.quietClose(feed);
            }
        };
    }

    InetSocketAddress feedAddress()
    {
        return null == feed ? null : feed.getLocalAddress(InetSocketAddress.class);
    }

    /**
     * Starts the agent on its IO thread (the feed socket's, or any without one): its onStart, the feed socket's
     * reads and the stale-check timer. Returns before the agent began.
     */
    @SuppressWarnings("deprecation")
    void start(final Agent agent, final Conflator conflator)
    {
        this.invoker = new AgentInvoker(errorHandler, null, agent);
        this.conflator = conflator;
        if (null == feed)
        {
            final XnioIoThread thread = worker.getIoThread();
            thread.execute(this::begin);
        }
        else
        {
            feed.getReadSetter().set((ChannelListener<MulticastMessageChannel>)channel ->
            {
                if (null == ioThread)
                {
                    begin();
                }
                run();
            });
            // Deprecated, yet XNIO's one call that resumes reads and runs the listener once, on the socket's thread.
            feed.wakeupReads();
        }
    }

    /**
     * On the agent's IO thread, once.
     */
    private void begin()
    {
        final XnioIoThread thread = XnioIoThread.currentThread();
        resumeAfterSelect = new AfterNextSelect(thread, this::run, errorHandler);
        invoker.start();
        final long timerMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(conflator.staleCheckIntervalNs()));
        timerKey = thread.executeAtInterval(this::run, timerMs, TimeUnit.MILLISECONDS);
        ioThread = thread;
        // A wake that came before the thread was known set the flag and left the run to here; the volatile store
        // above and the clear below come before the run's look at the ring and the command queue.
        scheduled.set(false);
        run();
    }

    /**
     * Has the agent run soon on the IO thread; after a producer published or a command was queued.
     */
    void wake()
    {
        // Always the CAS: it is the full fence that orders the caller's publication before the flag read (a run
        // clears the flag before it looks for work).
        if (scheduled.compareAndSet(false, true))
        {
            final XnioIoThread thread = ioThread;
            if (null == thread)
            {
                return; // not begun: begin() clears the flag and runs
            }
            try
            {
                thread.execute(scheduledRun);
            }
            catch (final RejectedExecutionException ex)
            {
                // The IO thread is stopping with the gateway; nothing is left to deliver to.
            }
        }
    }

    private void runScheduled()
    {
        scheduled.set(false);
        run();
    }

    /**
     * A few duty cycles; IO thread.
     */
    private void run()
    {
        final XnioIoThread thread = ioThread;
        if (null == thread || invoker.isClosed())
        {
            return;
        }
        if (XnioIoThread.currentThread() != thread)
        {
            // Never expected: the agent has one thread (the feed socket's); running it on two would race.
            errorHandler.onError(new IllegalStateException("ingest agent called on " +
                Thread.currentThread().getName() + ", it runs on " + thread.getName()));
            return;
        }
        for (int cycle = 0; cycle < MAX_CYCLES_PER_RUN; cycle++)
        {
            if (0 == invoker.invoke())
            {
                return;
            }
        }
        if (conflator.hasWork())
        {
            resumeAfterSelect.request();
        }
    }

    /**
     * Stops the timer, closes the agent (which closes the feed socket) on the IO thread and waits for that, up to
     * two seconds; runs the close here when the IO thread is gone.
     */
    @Override
    public void close()
    {
        final CountDownLatch closed = new CountDownLatch(1);
        final Runnable closeTask = () ->
        {
            try
            {
                if (null != timerKey)
                {
                    timerKey.remove();
                }
                if (null != resumeAfterSelect)
                {
                    resumeAfterSelect.close();
                }
                if (null != invoker)
                {
                    invoker.close();
                }
                if (null != feed)
                {
                    CloseHelper.quietClose(feed);
                }
            }
            finally
            {
                closed.countDown();
            }
        };
        final XnioIoThread thread = ioThread;
        if (null == thread)
        {
            closeTask.run(); // never began: nothing runs on an IO thread
            return;
        }
        try
        {
            thread.execute(closeTask);
            if (!closed.await(2, TimeUnit.SECONDS))
            {
                errorHandler.onError(new IllegalStateException("the IO thread did not stop the ingest agent in 2 s"));
            }
        }
        catch (final RejectedExecutionException ex)
        {
            closeTask.run();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}

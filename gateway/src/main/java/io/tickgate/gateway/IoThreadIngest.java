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
 * Thread-safe: {@link #wake()} from any thread; the rest from the thread that builds and closes the gateway, handing
 * work to the IO thread.
 */
final class IoThreadIngest implements AutoCloseable
{
    /** Duty cycles per run before yielding to the sockets; each reads up to the feed handler's datagram batch. */
    private static final int MAX_CYCLES_PER_RUN = 8;

    private final XnioIoThread ioThread;
    /** Null without a UDP feed: then only other producers and commands wake the agent. */
    private final MulticastMessageChannel feed;
    private final ErrorHandler errorHandler;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable scheduledRun = this::runScheduled;
    private final AfterNextSelect resumeAfterSelect;
    private AgentInvoker invoker;
    private Conflator conflator;
    private XnioExecutor.Key timerKey;

    private IoThreadIngest(
        final XnioIoThread ioThread, final MulticastMessageChannel feed, final ErrorHandler errorHandler)
    {
        this.ioThread = ioThread;
        this.feed = feed;
        this.errorHandler = errorHandler;
        this.resumeAfterSelect = new AfterNextSelect(ioThread, this::run, errorHandler);
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
        final MulticastMessageChannel feed = worker.createUdpServer(
            bindAddress, OptionMap.create(Options.RECEIVE_BUFFER, receiveBufferBytes));
        return new IoThreadIngest(feed.getIoThread(), feed, errorHandler);
    }

    /**
     * Without a UDP feed: the agent runs on one of the worker's IO threads when producers wake it.
     */
    static IoThreadIngest withoutUdpFeed(final XnioWorker worker, final ErrorHandler errorHandler)
    {
        return new IoThreadIngest(worker.getIoThread(), null, errorHandler);
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
            public boolean receive(final ByteBuffer buffer) throws IOException
            {
                from.clear();
                final int length = feed.receiveFrom(from, buffer);
                return length > 0 || (0 == length && null != from.getSourceAddress());
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
     * Starts the agent on the IO thread: its onStart, the feed socket's read listener and the stale-check timer.
     */
    void start(final Agent agent, final Conflator conflator)
    {
        this.invoker = new AgentInvoker(errorHandler, null, agent);
        this.conflator = conflator;
        final long timerMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(conflator.staleCheckIntervalNs()));
        ioThread.execute(() ->
        {
            invoker.start();
            if (null != feed)
            {
                feed.getReadSetter().set((ChannelListener<MulticastMessageChannel>)channel -> run());
                feed.resumeReads();
            }
            timerKey = ioThread.executeAtInterval(this::run, timerMs, TimeUnit.MILLISECONDS);
            run(); // anything published before the listener was in place
        });
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
            try
            {
                ioThread.execute(scheduledRun);
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
        if (null == invoker || invoker.isClosed())
        {
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
                resumeAfterSelect.close();
                if (null != invoker)
                {
                    invoker.close();
                }
                else if (null != feed)
                {
                    CloseHelper.quietClose(feed);
                }
            }
            finally
            {
                closed.countDown();
            }
        };
        try
        {
            ioThread.execute(closeTask);
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

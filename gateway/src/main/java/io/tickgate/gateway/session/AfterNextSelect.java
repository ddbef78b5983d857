package io.tickgate.gateway.session;

import org.agrona.ErrorHandler;
import org.xnio.ChannelPipe;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action on an XNIO IO thread right after that thread's next select, for work that must yield to the
 * sockets rather than run again at once.
 * <p>
 * XNIO runs queued tasks until none is left before it selects again, so work that re-queues itself as a task keeps
 * the thread from ever selecting (no reads, no handshakes, no writable events, no timers). Asking for writes on one
 * end of an idle pipe, which is always writable, makes the next select return at once and the write listener run
 * the action, after the sockets that were ready in the same select have been served. (A timer would leave the
 * thread idle for up to its millisecond when nothing else is ready.)
 * <p>
 * Not thread-safe: every method on the IO thread.
 */
public final class AfterNextSelect
{
    private final XnioIoThread ioThread;
    private final Runnable action;
    private final ErrorHandler errorHandler;
    /** Created on first need. */
    private ChannelPipe<StreamConnection, StreamConnection> pipe;
    private ConduitStreamSinkChannel sink;

    public AfterNextSelect(final XnioIoThread ioThread, final Runnable action, final ErrorHandler errorHandler)
    {
        this.ioThread = ioThread;
        this.action = action;
        this.errorHandler = errorHandler;
    }

    /**
     * Has the action run once after the next select; requests before it runs collapse into one.
     */
    public void request()
    {
        if (null == sink)
        {
            try
            {
                pipe = ioThread.createFullDuplexPipeConnection();
                sink = pipe.getLeftSide().getSinkChannel();
                sink.getWriteSetter().set(channel ->
                {
                    channel.suspendWrites();
                    action.run();
                });
            }
            catch (final IOException ex)
            {
                errorHandler.onError(ex);
                ioThread.executeAfter(action, 1, TimeUnit.MILLISECONDS);
                return;
            }
        }
        sink.resumeWrites();
    }

    /**
     * Releases the pipe, if one was made.
     */
    public void close()
    {
        if (null != pipe)
        {
            IoUtils.safeClose(pipe.getLeftSide(), pipe.getRightSide());
        }
    }
}

package io.tickgate.gateway.feed;

import io.tickgate.simulator.TickSink;
import io.tickgate.simulator.recording.RecordingInspector;
import io.tickgate.simulator.recording.Replayer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the gateway from a recording ({@code gateway --replay DIR --speed X}): a {@link Replayer} whose sink
 * writes straight into the ingress ring, so nothing can be lost; at speed max the ring's back-pressure paces it.
 * A symbol whose segments define it with different scales is replayed at the largest, which it logs once as a
 * warning ({@link Replayer#scaleNotes()}). When the recording ends it says so once in the log and its thread ends
 * (the gateway goes on serving the last values); a recording that ends cut short (a crashed writer) ends normally,
 * with the reader's note. An exception in the replay (a segment that cannot be read) is a failure like damage.
 * Damage is not logged here: {@link #failureMessage()} hands it to
 * the gateway's owner, which stops the gateway (the CLI exits 1 with that one line).
 * <p>
 * Not thread-safe: runs only on tickgate-replay; {@link #isDone()} and the counts from any thread.
 */
public final class ReplaySource implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(ReplaySource.class);

    private final Path dir;
    private final Replayer replayer;
    private boolean reported;
    /** Why the replay stopped other than at damage or its end (an exception), for any thread; or null. */
    private volatile String unexpected;
    private int notesLogged;

    public ReplaySource(final Path dir, final TickSink sink, final double speed)
    {
        this.dir = dir;
        this.replayer = new Replayer(dir, sink, speed, 0, 0, SystemNanoClock.INSTANCE, TimeUnit.SECONDS.toNanos(5));
    }

    @Override
    public String roleName()
    {
        return "tickgate-replay";
    }

    @Override
    public void onStart()
    {
        try
        {
            replayer.onStart();
        }
        catch (final RuntimeException | Error ex)
        {
            unexpected = "replay of " + dir + " could not start: " + describe(ex);
            throw ex;
        }
        logNotes();
    }

    @Override
    public int doWork()
    {
        if (isDone())
        {
            if (!reported)
            {
                reported = true;
                report();
            }
            // Nothing more to do: the thread ends here rather than idling for the gateway's lifetime.
            throw new AgentTerminationException("replay finished", true);
        }
        try
        {
            return replayer.doWork();
        }
        catch (final RuntimeException | Error ex)
        {
            // Not damage (the replayer reports that itself) but a failure all the same, e.g. a segment that
            // cannot be read: the gateway's owner hears of it as of damage, rather than the thread dying unseen.
            unexpected = "replay of " + dir + " stopped after " +
                RecordingInspector.count(replayer.ticksSent(), "tick") + ": " + describe(ex);
            throw ex;
        }
    }

    @Override
    public void onClose()
    {
        replayer.onClose();
    }

    public boolean isDone()
    {
        return replayer.isDone() || null != unexpected;
    }

    public long ticksSent()
    {
        return replayer.ticksSent();
    }

    /**
     * One line for a person on the damage that ended the replay early, or null. Any thread.
     */
    public String failureMessage()
    {
        final String unexpected = this.unexpected;
        if (null != unexpected)
        {
            return unexpected;
        }
        final RuntimeException failure = isDone() ? replayer.failure() : null;
        return null == failure ? null :
            "replay of " + dir + " stopped after " + RecordingInspector.count(replayer.ticksSent(), "tick") + ": " +
            failure.getMessage();
    }

    /**
     * The damage that ended the replay early, or null.
     */
    public RuntimeException failure()
    {
        return replayer.failure();
    }

    private static String describe(final Throwable ex)
    {
        return null == ex.getMessage() || ex.getMessage().isBlank() ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    private void report()
    {
        if (null != unexpected)
        {
            return;
        }
        logNotes();
        if (null == replayer.failure())
        {
            LOG.info("replay of {} finished: {}{}{}", dir, RecordingInspector.count(replayer.ticksSent(), "tick"),
                0 == replayer.ticksSkipped() ? "" :
                "; " + RecordingInspector.count(replayer.ticksSkipped(), "tick") + " not sent (see above)",
                null == replayer.note() ? "" : "; " + replayer.note());
        }
    }

    /**
     * A symbol replayed at other scales than some of its segments record, or ticks that could not be: once each.
     */
    private void logNotes()
    {
        final java.util.List<String> notes = replayer.scaleNotes();
        for (; notesLogged < notes.size(); notesLogged++)
        {
            LOG.warn("replay of {}: {}", dir, notes.get(notesLogged));
        }
    }
}

package io.tickgate.gateway.feed;

import io.tickgate.simulator.TickSink;
import io.tickgate.simulator.recording.RecordingDamagedException;
import io.tickgate.simulator.recording.RecordingInspector;
import io.tickgate.simulator.recording.Replayer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the gateway from a recording ({@code gateway --replay DIR --speed X}): a {@link Replayer} whose sink
 * writes straight into the ingress ring, so nothing can be lost; at speed max the ring's back-pressure paces it.
 * A symbol whose segments define it with different scales is replayed at the largest, which it logs once as a
 * warning ({@link Replayer#scaleNotes()}). When the recording ends it says so once in the log and idles; a recording that ends cut short (a crashed
 * writer) ends normally, with the reader's note. Damage is not logged here: {@link #failureMessage()} hands it to
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
        replayer.onStart();
        logNotes();
    }

    @Override
    public int doWork()
    {
        if (replayer.isDone())
        {
            if (!reported)
            {
                reported = true;
                report();
            }
            return 0;
        }
        return replayer.doWork();
    }

    @Override
    public void onClose()
    {
        replayer.onClose();
    }

    public boolean isDone()
    {
        return replayer.isDone();
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
        final RecordingDamagedException failure = isDone() ? replayer.failure() : null;
        return null == failure ? null :
            "replay of " + dir + " stopped after " + RecordingInspector.count(replayer.ticksSent(), "tick") + ": " +
            failure.getMessage();
    }

    /**
     * The damage that ended the replay early, or null.
     */
    public RecordingDamagedException failure()
    {
        return replayer.failure();
    }

    private void report()
    {
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

package io.tickgate.gateway.feed;

import io.tickgate.simulator.TickSink;
import io.tickgate.simulator.recording.RecordingDamagedException;
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
 * When the recording ends (or stops at damage) it says so once in the log and idles.
 * <p>
 * Not thread-safe: runs only on tickgate-replay; {@link #isDone()} and the counts from any thread.
 */
public final class ReplaySource implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(ReplaySource.class);

    private final Path dir;
    private final Replayer replayer;
    private boolean reported;

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
     * The damage that ended the replay early, or null.
     */
    public RecordingDamagedException failure()
    {
        return replayer.failure();
    }

    private void report()
    {
        final RecordingDamagedException failure = replayer.failure();
        if (null != failure)
        {
            LOG.error("replay of {} stopped after {} ticks: {}", dir, replayer.ticksSent(), failure.getMessage());
        }
        else
        {
            LOG.info("replay of {} finished: {} ticks{}", dir, replayer.ticksSent(),
                null == replayer.note() ? "" : "; " + replayer.note());
        }
    }
}

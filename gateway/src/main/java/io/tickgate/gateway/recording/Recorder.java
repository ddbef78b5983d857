package io.tickgate.gateway.recording;

import io.tickgate.gateway.feed.TickRecordDescriptor;
import io.tickgate.gateway.symbols.Symbol;
import io.tickgate.gateway.symbols.SymbolRegistry;
import io.tickgate.simulator.recording.RecordingWriter;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static io.tickgate.gateway.feed.TickRecordDescriptor.*;

/**
 * Journals every tick copied into the recording ring into a new segment of the recording (see
 * {@code io.tickgate.simulator.recording.RecordingDescriptor}): the gateway's {@code sid} is the record's
 * instrument id, the ingest time its recorded time. A definition is written before a symbol's first tick in the
 * segment and again whenever the registry replaces the symbol's object (another source defined it; its scales
 * never change), found by an identity check per tick, without allocating.
 * <p>
 * A duty cycle drains up to {@code readLimit} records of the ring (one head update for all of them), encodes them
 * into the writer's batch and flushes it once at the end, so the file sees two writes per cycle, not per tick;
 * the {@code recorded} counter moves once per cycle too, after the flush, so it never counts a tick a reader
 * cannot see yet. Between cycles {@link RecorderIdleStrategy} parks unless the cycle was full.
 * <p>
 * A batch the file will not take (a full disk) is dropped and its ticks counted in {@code dropped}, so that every
 * tick that reaches the recorder is either recorded or dropped; the recorder goes on encoding and flushing, so a
 * cycle after space is freed records again. One log line says when writing starts failing and one when it works
 * again, with the ticks lost in between: not one per failed write, which would be thousands a second.
 * <p>
 * Not thread-safe: runs only on tickgate-recorder, the single writer of the segment.
 */
public final class Recorder implements Agent, MessageHandler
{
    /** Records per duty cycle: about 290 KiB of ring, 100 KiB of journal. */
    public static final int READ_LIMIT_DEFAULT = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final long SEGMENT_CHECK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final RingBuffer ring;
    private final SymbolRegistry registry;
    /**
     * Opened when the recorder is built, before any source runs: a directory that cannot take a recording stops
     * the gateway at start, and no tick waits in the ring while the first segment is created; a start that fails
     * later deletes it ({@link #deleteIfEmpty()}). Used only on
     * tickgate-recorder from then on (its thread's start publishes it).
     */
    private volatile RecordingWriter writer;
    private final Path dir;
    private final RecordingWriter.FileOpener opener;
    /** When tickgate-recorder last looked for its segment on disk, {@link System#nanoTime()}. */
    private long segmentCheckedNs = System.nanoTime();
    /**
     * The segment was removed and no new one could be made: ticks are dropped (and counted) rather than written into
     * a file nobody can open, until a new segment can be made. Owned by tickgate-recorder.
     */
    private boolean reopenFailed;
    /** Ticks dropped while {@link #reopenFailed}; owned by tickgate-recorder. */
    private long droppedWithoutSegment;
    private final AtomicCounter recorded;
    private final AtomicCounter dropped;
    private final int readLimit;
    /** The definition last written per sid; owned by tickgate-recorder. */
    private final Symbol[] writtenBySid;
    /** The writer's flushed ticks already added to {@code recorded}; owned by tickgate-recorder. */
    private long reportedTicks;
    /** Ticks dropped since writing last failed, -1 while it works; owned by tickgate-recorder. */
    private long lostSinceFailure = -1;
    /**
     * When writes began to succeed again after a failure, with none failing since; -1 when they have not. On a disk
     * that stays full, small batches still fit in blocks a failed one had taken: a write that succeeds is not yet
     * recovery, so "writes again" is said once writes have gone on succeeding for {@link #RECOVERED_AFTER_NS}, and
     * a failure within it says nothing new. Owned by tickgate-recorder.
     */
    private long writingAgainSinceNs = -1;
    static final long RECOVERED_AFTER_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Creates the next segment in {@code dir}.
     *
     * @param dropped counts ticks the file would not take (shared with the ticks that found the ring full).
     * @throws java.io.UncheckedIOException when it cannot.
     */
    public Recorder(
        final RingBuffer ring,
        final SymbolRegistry registry,
        final Path dir,
        final AtomicCounter recorded,
        final AtomicCounter dropped,
        final int readLimit)
    {
        this(ring, registry, dir, recorded, dropped, readLimit, RecordingWriter.FILE_SYSTEM);
    }

    Recorder(
        final RingBuffer ring,
        final SymbolRegistry registry,
        final Path dir,
        final AtomicCounter recorded,
        final AtomicCounter dropped,
        final int readLimit,
        final RecordingWriter.FileOpener opener)
    {
        this.ring = ring;
        this.registry = registry;
        this.recorded = recorded;
        this.dropped = dropped;
        this.readLimit = readLimit;
        this.writtenBySid = new Symbol[registry.capacity()];
        this.dir = dir;
        this.opener = opener;
        this.writer = RecordingWriter.open(dir, "gateway", opener);
    }

    @Override
    public String roleName()
    {
        return "tickgate-recorder";
    }

    /**
     * The segment being written. Any thread.
     */
    public Path file()
    {
        return writer.file();
    }

    @Override
    public int doWork()
    {
        final int drained = read(readLimit);
        if (drained > 0)
        {
            flush();
        }
        final long nowNs = System.nanoTime();
        if (nowNs - segmentCheckedNs >= SEGMENT_CHECK_INTERVAL_NS)
        {
            segmentCheckedNs = nowNs;
            checkSegmentIsThere();
        }
        return drained;
    }

    /**
     * A segment removed while it is written (its directory deleted, a clean-up job) takes every tick written to it
     * from then on with it, while the writes still succeed: once a second the recorder looks for it, and when it is
     * gone says so and goes on in a new segment of the directory (made again if need be).
     */
    private void checkSegmentIsThere()
    {
        if (Files.exists(writer.file()))
        {
            return;
        }
        final RecordingWriter next;
        try
        {
            next = RecordingWriter.open(dir, "gateway", opener,
                io.tickgate.simulator.recording.RecordingDescriptor.segmentNumber(writer.file()) + 1);
        }
        catch (final UncheckedIOException ex)
        {
            if (!reopenFailed)
            {
                LOG.error("recording segment {} was removed while being written, and no new one can be made: {}; " +
                    "ticks are counted in tickgate_recording_dropped_total until one can", writer.file(),
                    ex.getMessage());
                reopenFailed = true;
            }
            return;
        }
        if (reopenFailed)
        {
            LOG.info("recording goes on in {}; {} ticks were dropped while no segment could be made", next.file(),
                droppedWithoutSegment);
        }
        else
        {
            LOG.error("recording segment {} was removed while being written; recording goes on in {} (what went to " +
                "the removed one is lost)", writer.file(), next.file());
        }
        droppedWithoutSegment = 0;
        final RecordingWriter removed = writer;
        try
        {
            removed.close();
        }
        catch (final UncheckedIOException ignore)
        {
            // It is gone already.
        }
        writer = next;
        reportedTicks = 0;
        reopenFailed = false;
        // The new segment needs every symbol's definition before its ticks.
        Arrays.fill(writtenBySid, null);
    }

    /**
     * Records a ring read at most, per duty cycle; a cycle that drains this many runs again without parking.
     */
    public int readLimit()
    {
        return readLimit;
    }

    /**
     * Drains what the sources left in the ring (they are stopped first), then closes the segment.
     */
    @Override
    public void onClose()
    {
        while (read(Integer.MAX_VALUE) > 0)
        {
            Thread.onSpinWait();
        }
        flush();
        if (lostSinceFailure >= 0)
        {
            LOG.error("recording to {} ended with {} ticks lost since writing failed", writer.file(), lostSinceFailure);
        }
        try
        {
            writer.close();
        }
        catch (final UncheckedIOException ex)
        {
            LOG.error("{}", ex.getMessage());
        }
        // A gateway stopped before any tick came (Ctrl-C while it started) recorded nothing: no empty segment stays.
        deleteIfNoRecords();
    }

    /**
     * Closes the segment and deletes it if no record reached it, so that a gateway that fails to start (a port in
     * use) leaves no segment behind, however often it is restarted. On the controlling thread, once
     * tickgate-recorder has stopped (or never started): the join publishes the writer's state.
     */
    public void deleteIfEmpty()
    {
        writer.close();
        deleteIfNoRecords();
    }

    private void deleteIfNoRecords()
    {
        if (0 == writer.records())
        {
            try
            {
                Files.deleteIfExists(writer.file());
            }
            catch (final IOException ex)
            {
                LOG.error("cannot delete the empty segment {}: {}", writer.file(), ex.getMessage());
            }
        }
    }

    /**
     * Reads up to {@code limit} records. A read of the ring stops at the end of its buffer, after a padding record
     * there, and may return none while records wait after the wrap: they belong to this read too, so a short read
     * means an empty ring (to the idle strategy, and to the drain on close).
     */
    private int read(final int limit)
    {
        final int first = ring.read(this, limit);
        return first < limit ? first + ring.read(this, limit - first) : first;
    }

    private void flush()
    {
        try
        {
            writer.flush();
        }
        catch (final UncheckedIOException ex)
        {
            onWriteFailure(ex);
        }
        // A batch the writer flushed by itself inside the cycle counts too, even when the last one failed.
        final long flushedTicks = writer.flushedTicks();
        if (flushedTicks > reportedTicks)
        {
            recorded.getAndAddRelease(flushedTicks - reportedTicks);
            reportedTicks = flushedTicks;
            if (lostSinceFailure >= 0)
            {
                final long nowNs = System.nanoTime();
                if (writingAgainSinceNs < 0)
                {
                    writingAgainSinceNs = nowNs;
                }
                else if (nowNs - writingAgainSinceNs >= RECOVERED_AFTER_NS)
                {
                    LOG.info("recording to {} writes again; {} ticks were lost while it could not",
                        writer.file(), lostSinceFailure);
                    lostSinceFailure = -1;
                    writingAgainSinceNs = -1;
                }
            }
        }
    }

    /**
     * Drops the batch the file would not take and counts its ticks; the definitions in it are written again.
     */
    private void onWriteFailure(final UncheckedIOException ex)
    {
        final long lost = writer.discard();
        dropped.getAndAddRelease(lost);
        Arrays.fill(writtenBySid, null);
        if (lostSinceFailure < 0)
        {
            LOG.error("{}; ticks that cannot be written are counted in tickgate_recording_dropped_total",
                ex.getMessage());
            lostSinceFailure = 0;
        }
        lostSinceFailure += lost;
        writingAgainSinceNs = -1;
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int sid = buffer.getInt(index + SID_OFFSET);
        final Symbol symbol = registry.bySid(sid);
        if (null == symbol)
        {
            return;
        }
        if (reopenFailed)
        {
            dropped.incrementRelease();
            droppedWithoutSegment++;
            return;
        }
        try
        {
            write(msgTypeId, buffer, index, sid, symbol);
        }
        catch (final UncheckedIOException ex)
        {
            // The writer's batch was full and would not flush; this tick starts the next one.
            onWriteFailure(ex);
            write(msgTypeId, buffer, index, sid, symbol);
        }
    }

    private void write(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int sid, final Symbol symbol)
    {
        if (writtenBySid[sid] != symbol)
        {
            writer.definition(sid, symbol.name(), symbol.priceScale(), symbol.sizeScale());
            writtenBySid[sid] = symbol;
        }
        final long feedSeq = buffer.getLong(index + FEED_SEQ_OFFSET);
        final long exchangeTimeNs = buffer.getLong(index + EXCHANGE_TIME_OFFSET);
        final long ingestTimeNs = buffer.getLong(index + INGEST_TIME_OFFSET);
        if (TickRecordDescriptor.MSG_TYPE_QUOTE == msgTypeId)
        {
            writer.quote(sid, feedSeq, exchangeTimeNs, ingestTimeNs,
                buffer.getLong(index + PRICE1_OFFSET), buffer.getLong(index + SIZE1_OFFSET),
                buffer.getLong(index + PRICE2_OFFSET), buffer.getLong(index + SIZE2_OFFSET));
        }
        else
        {
            writer.trade(sid, feedSeq, exchangeTimeNs, ingestTimeNs,
                buffer.getLong(index + PRICE1_OFFSET), buffer.getLong(index + SIZE1_OFFSET));
        }
    }
}

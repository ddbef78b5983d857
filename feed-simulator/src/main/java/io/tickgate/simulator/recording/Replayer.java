package io.tickgate.simulator.recording;

import io.tickgate.simulator.TickSink;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.tickgate.simulator.recording.RecordingDescriptor.*;

/**
 * Plays a recording into a {@link TickSink} (a {@code UdpFeedSender} for {@code replay}, the gateway's ingress
 * for {@code gateway --replay}) at a chosen speed: a record is due {@code (recordedTime − first recordedTime) /
 * speed} after the start, and when the next record is not yet due the sink is flushed and the duty cycle ends, so
 * records due together go out together. At {@code speed} 0 ("max") a {@link MaxSpeedPacer} decides when the next
 * record may go (a rate cap with a ramp and a bounded burst, and on this host a gate on the receiver's queue), and
 * records leave in full datagrams; a UDP receiver gives no back-pressure, so the pacer is what keeps a replay
 * lossless.
 * <p>
 * Every definition of the recording goes first (a pass over the recording before the start finds them), and they
 * are sent again every few seconds so a gateway started late learns them, as live sources do.
 * <p>
 * Damage stops the replay after every record before it was sent: {@link #failure()} names the file and offset.
 * <p>
 * Not thread-safe: one thread drives it (tickgate-replay). Counters may be read from any thread. Nothing is
 * allocated per quote or trade.
 */
public final class Replayer implements Agent
{
    private static final int BATCH = 256;

    private final Path recording;
    private final TickSink sink;
    private final double speed;
    private final MaxSpeedPacer pacer;
    private final long durationNs;
    private final NanoClock clock;
    private final long definitionRepeatNs;
    private final List<Definition> definitions = new ArrayList<>();
    private final Int2ObjectHashMap<Definition> definitionById = new Int2ObjectHashMap<>();

    // Written only by the replaying thread.
    private RecordingReader reader;
    private boolean started;
    private boolean pending;
    private long startNs;
    private long firstRecordedNs = Long.MIN_VALUE;
    private long nextDefinitionsNs;

    // Written by the replaying thread, read by any (progress, results).
    private volatile long ticksTotal;
    private volatile long ticksSent;
    private volatile long definitionsSent;
    private volatile boolean done;
    private volatile RecordingDamagedException failure;
    private volatile String note;

    private record Definition(int instrumentId, String symbol, int priceScale, int sizeScale)
    {
    }

    /**
     * @param speed                1 for the recorded pace, 10 for ten times faster, 0 for as fast as allowed.
     * @param maxMessagesPerSecond cap on quotes and trades a second at speed 0; 0 for none.
     * @param durationNs           replay only this much recorded time from the first tick; 0 for all.
     */
    public Replayer(
        final Path recording,
        final TickSink sink,
        final double speed,
        final long maxMessagesPerSecond,
        final long durationNs,
        final NanoClock clock,
        final long definitionRepeatNs)
    {
        this(recording, sink, speed, new MaxSpeedPacer(maxMessagesPerSecond, null,
            MaxSpeedPacer.DEFAULT_HIGH_WATER_BYTES), durationNs, clock, definitionRepeatNs);
    }

    /**
     * @param pacer paces speed 0 (max); unused at other speeds.
     */
    public Replayer(
        final Path recording,
        final TickSink sink,
        final double speed,
        final MaxSpeedPacer pacer,
        final long durationNs,
        final NanoClock clock,
        final long definitionRepeatNs)
    {
        if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed))
        {
            throw new IllegalArgumentException("speed must be positive or max: " + speed);
        }
        this.recording = recording;
        this.sink = sink;
        this.speed = speed;
        this.pacer = pacer;
        this.durationNs = durationNs;
        this.clock = clock;
        this.definitionRepeatNs = definitionRepeatNs;
    }

    @Override
    public String roleName()
    {
        return "tickgate-replay";
    }

    /**
     * Finds the definitions and counts the ticks; damage here only shortens what will be replayed.
     */
    @Override
    public void onStart()
    {
        try (RecordingReader scan = RecordingReader.open(recording))
        {
            long ticks = 0;
            byte type;
            while (RecordingReader.END != (type = nextOrEnd(scan)))
            {
                if (TYPE_DEFINITION == type)
                {
                    addDefinition(scan);
                }
                else
                {
                    if (Long.MIN_VALUE == firstRecordedNs)
                    {
                        firstRecordedNs = scan.recordedTimeNs();
                    }
                    if (durationNs > 0 && scan.recordedTimeNs() - firstRecordedNs > durationNs)
                    {
                        break;
                    }
                    ticks++;
                }
            }
            ticksTotal = ticks;
        }
        reader = RecordingReader.open(recording);
    }

    @Override
    public int doWork()
    {
        if (done)
        {
            return 0;
        }
        final long nowNs = clock.nanoTime();
        if (!started)
        {
            started = true;
            sendDefinitions();
            startNs = nowNs;
            pacer.start(nowNs);
            nextDefinitionsNs = nowNs + definitionRepeatNs;
            return 1;
        }
        if (nowNs - nextDefinitionsNs >= 0)
        {
            sendDefinitions();
            nextDefinitionsNs = nowNs + definitionRepeatNs;
        }

        int workCount = 0;
        while (workCount < BATCH)
        {
            if (!pending && !advance())
            {
                return workCount + 1;
            }
            if (!isDue(nowNs))
            {
                // Paced: what is due together leaves now. Capped max: only full datagrams, fewer and cheaper.
                if (speed > 0)
                {
                    sink.flush();
                }
                return workCount;
            }
            send();
            pending = false;
            workCount++;
        }
        return workCount;
    }

    @Override
    public void onClose()
    {
        if (null != reader)
        {
            reader.close();
        }
    }

    public boolean isDone()
    {
        return done;
    }

    /**
     * The damage that stopped the replay early, or null.
     */
    public RecordingDamagedException failure()
    {
        return failure;
    }

    /**
     * A note about the recording's end (a last record its writer never finished), or null.
     */
    public String note()
    {
        return note;
    }

    /**
     * Quotes and trades the replay will send (found before the start).
     */
    public long ticksTotal()
    {
        return ticksTotal;
    }

    public long ticksSent()
    {
        return ticksSent;
    }

    public long definitionsSent()
    {
        return definitionsSent;
    }

    private boolean advance()
    {
        while (true)
        {
            final byte type;
            try
            {
                type = reader.next();
            }
            catch (final RecordingDamagedException ex)
            {
                failure = ex;
                return finish();
            }
            if (RecordingReader.END == type)
            {
                return finish();
            }
            if (TYPE_DEFINITION == type)
            {
                final Definition known = definitionById.get(reader.instrumentId());
                if (null == known || known.priceScale != reader.priceScale() ||
                    known.sizeScale != reader.sizeScale() || !known.symbol.equals(reader.symbol()))
                {
                    final Definition definition = addDefinition(reader);
                    sink.onDefinition(definition.instrumentId, definition.symbol, definition.priceScale,
                        definition.sizeScale);
                    definitionsSent++;
                }
                continue;
            }
            if (durationNs > 0 && reader.recordedTimeNs() - firstRecordedNs > durationNs)
            {
                return finish();
            }
            pending = true;
            return true;
        }
    }

    private boolean finish()
    {
        sink.flush();
        pacer.finish();
        note = reader.incompleteNote();
        reader.close();
        done = true;
        return false;
    }

    private boolean isDue(final long nowNs)
    {
        if (speed > 0)
        {
            return nowNs - (startNs + (long)((reader.recordedTimeNs() - firstRecordedNs) / speed)) >= 0;
        }
        return pacer.tryAcquire(nowNs);
    }

    private void send()
    {
        if (TYPE_QUOTE == reader.type())
        {
            sink.onQuote(reader.instrumentId(), reader.price1(), reader.size1(), reader.price2(), reader.size2(),
                reader.exchangeTimeNs());
        }
        else
        {
            sink.onTrade(reader.instrumentId(), reader.price1(), reader.size1(), reader.exchangeTimeNs());
        }
        ticksSent++;
    }

    private void sendDefinitions()
    {
        for (int i = 0, size = definitions.size(); i < size; i++)
        {
            final Definition definition = definitions.get(i);
            sink.onDefinition(definition.instrumentId, definition.symbol, definition.priceScale,
                definition.sizeScale);
        }
        definitionsSent += definitions.size();
        sink.flush();
    }

    private Definition addDefinition(final RecordingReader source)
    {
        final Definition definition = new Definition(
            source.instrumentId(), source.symbol(), source.priceScale(), source.sizeScale());
        final Definition previous = definitionById.put(definition.instrumentId, definition);
        if (null != previous)
        {
            definitions.remove(previous);
        }
        definitions.add(definition);
        return definition;
    }

    private static byte nextOrEnd(final RecordingReader scan)
    {
        try
        {
            return scan.next();
        }
        catch (final RecordingDamagedException ex)
        {
            return RecordingReader.END;
        }
    }
}

package io.tickgate.simulator.recording;

import io.tickgate.simulator.TickSink;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * A gateway fixes a symbol's scales at its first definition and refuses others, with the ticks under them. So a
 * symbol the segments define with different scales is sent at its largest ({@link SymbolScales}) throughout, and
 * the values recorded at a smaller scale are multiplied up exactly; {@link #scaleNotes()} says so. A value that
 * does not fit in 64 bits at the larger scale cannot be sent: that tick is left out, counted in {@link
 * #ticksSkipped()} and not in {@link #ticksSent()}, and named once per symbol in {@link #scaleNotes()}.
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
    private final SymbolScales scales = new SymbolScales();
    // What the id's ticks are multiplied by to reach the scales their symbol is sent at.
    private final Int2ObjectHashMap<Binding> bindingById = new Int2ObjectHashMap<>();
    private final List<String> scaleNotes = new CopyOnWriteArrayList<>();

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
    private volatile long ticksSkipped;
    private volatile long definitionsSent;
    private volatile boolean done;
    /** Damage, or a segment that could not be read (removed during the replay): either ends it, summary kept. */
    private volatile RuntimeException failure;
    private volatile String note;

    private record Definition(int instrumentId, String symbol, int priceScale, int sizeScale)
    {
    }

    /**
     * The id's current definition as recorded, and the factors (10^k, 0 past 64 bits) that bring its values to the
     * scales sent.
     */
    private static final class Binding
    {
        final String symbol;
        final Path segment;
        final long priceFactor;
        final long sizeFactor;
        boolean skipNoted;

        Binding(final String symbol, final Path segment, final long priceFactor, final long sizeFactor)
        {
            this.symbol = symbol;
            this.segment = segment;
            this.priceFactor = priceFactor;
            this.sizeFactor = sizeFactor;
        }
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
                    scales.onDefinition(scan.symbol(), scan.priceScale(), scan.sizeScale(), scan.file());
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
        // Each symbol goes out at the one pair of scales a gateway will keep for it.
        for (int i = 0; i < definitions.size(); i++)
        {
            final Definition definition = sent(definitions.get(i));
            definitions.set(i, definition);
            definitionById.put(definition.instrumentId, definition);
        }
        scaleNotes.addAll(scales.conflicts());
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
     * The damage, or the segment that could not be read, that stopped the replay early; null if none did.
     */
    public RuntimeException failure()
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

    /**
     * Quotes and trades left out because a value did not fit at its symbol's larger scale (see {@link
     * #scaleNotes()}).
     */
    public long ticksSkipped()
    {
        return ticksSkipped;
    }

    /**
     * One line per symbol whose segments define it with different scales (sent at the largest), and per symbol
     * whose ticks could not be sent at them; known after {@link #onStart()}, the latter as they happen. Any thread.
     */
    public List<String> scaleNotes()
    {
        return scaleNotes;
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
            catch (final RecordingDamagedException | UncheckedIOException ex)
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
                onDefinition();
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

    /**
     * Binds the id for the ticks after it and sends the definition if the gateway does not have it as sent.
     */
    private void onDefinition()
    {
        final Definition definition = sent(new Definition(
            reader.instrumentId(), reader.symbol(), reader.priceScale(), reader.sizeScale()));
        bindingById.put(definition.instrumentId, new Binding(definition.symbol, reader.file(),
            factor(definition.priceScale - reader.priceScale()), factor(definition.sizeScale - reader.sizeScale())));
        if (!definition.equals(definitionById.get(definition.instrumentId)))
        {
            addDefinition(definition);
            sink.onDefinition(definition.instrumentId, definition.symbol, definition.priceScale,
                definition.sizeScale);
            definitionsSent++;
        }
    }

    private void send()
    {
        final Binding binding = bindingById.get(reader.instrumentId());
        if (null == binding || (1 == binding.priceFactor && 1 == binding.sizeFactor))
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
        }
        else if (!sendScaled(binding))
        {
            return;
        }
        ticksSent++;
    }

    /**
     * Sends the tick with its values multiplied up to its symbol's scales, or leaves it out (false) when one does
     * not fit in 64 bits there.
     */
    private boolean sendScaled(final Binding binding)
    {
        try
        {
            final long price1 = scale(reader.price1(), binding.priceFactor);
            final long size1 = scale(reader.size1(), binding.sizeFactor);
            if (TYPE_QUOTE == reader.type())
            {
                final long price2 = scale(reader.price2(), binding.priceFactor);
                final long size2 = scale(reader.size2(), binding.sizeFactor);
                sink.onQuote(reader.instrumentId(), price1, size1, price2, size2, reader.exchangeTimeNs());
            }
            else
            {
                sink.onTrade(reader.instrumentId(), price1, size1, reader.exchangeTimeNs());
            }
            return true;
        }
        catch (final ArithmeticException ex)
        {
            ticksSkipped++;
            if (!binding.skipNoted)
            {
                binding.skipNoted = true;
                scaleNotes.add("ticks of " + binding.symbol + " in " + binding.segment.getFileName() + " not sent: a " +
                    "value does not fit in 64 bits at " + binding.symbol + "'s larger scales (first at offset " +
                    reader.recordOffset() + ")");
            }
            return false;
        }
    }

    private static long scale(final long value, final long factor)
    {
        if (0 == factor && 0 != value)
        {
            throw new ArithmeticException("past 64 bits");
        }
        return 0 == factor ? 0 : Math.multiplyExact(value, factor);
    }

    /**
     * 10^{@code power}, or 0 when that is past 64 bits.
     */
    private static long factor(final int power)
    {
        long factor = 1;
        for (int i = 0; i < power; i++)
        {
            if (factor > Long.MAX_VALUE / 10)
            {
                return 0;
            }
            factor *= 10;
        }
        return factor;
    }

    /**
     * The definition as sent: at the scales the whole recording gives its symbol (its own, for a symbol the pass
     * before the start did not reach).
     */
    private Definition sent(final Definition recorded)
    {
        return scales.contains(recorded.symbol) ? new Definition(recorded.instrumentId, recorded.symbol,
            scales.priceScale(recorded.symbol), scales.sizeScale(recorded.symbol)) : recorded;
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
        return addDefinition(new Definition(
            source.instrumentId(), source.symbol(), source.priceScale(), source.sizeScale()));
    }

    private Definition addDefinition(final Definition definition)
    {
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

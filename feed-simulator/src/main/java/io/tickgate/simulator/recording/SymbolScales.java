package io.tickgate.simulator.recording;

import io.tickgate.simulator.IoErrors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tickgate.simulator.recording.RecordingDescriptor.TYPE_DEFINITION;

/**
 * The scales each symbol of a recording is defined with, over all its segments. A gateway fixes a symbol's scales
 * at its first definition and refuses any other, so a symbol whose segments disagree (two imports whose values had
 * different decimals, gateway runs fed different scales) would lose a segment's ticks on replay: replay sends such
 * a symbol at its largest scales ({@link #priceScale}, {@link #sizeScale}), its other values multiplied up
 * exactly; an import into the recording takes these scales; {@code inspect} names the conflict ({@link
 * #conflicts}).
 * <p>
 * Not thread-safe; one thread.
 */
public final class SymbolScales
{
    private static final class Scales
    {
        int priceScale;
        int sizeScale;
        // Each pair of scales the symbol was defined with, and the first segment that did so.
        final Map<String, Path> pairs = new LinkedHashMap<>();
    }

    private final Map<String, Scales> bySymbol = new LinkedHashMap<>();

    /**
     * The scales of every symbol defined in the recording at {@code dir}; none when it holds no segment yet.
     *
     * @throws RecordingDamagedException where the recording is damaged: nothing after that point can be read.
     */
    public static SymbolScales of(final Path dir)
    {
        final SymbolScales scales = new SymbolScales();
        try
        {
            if (!Files.isDirectory(dir) || RecordingDescriptor.segments(dir).isEmpty())
            {
                return scales;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir + ": " + IoErrors.describe(ex, dir), ex);
        }
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                if (TYPE_DEFINITION == type)
                {
                    scales.onDefinition(reader.symbol(), reader.priceScale(), reader.sizeScale(), reader.file());
                }
            }
        }
        return scales;
    }

    public void onDefinition(final String symbol, final int priceScale, final int sizeScale, final Path segment)
    {
        Scales scales = bySymbol.get(symbol);
        if (null == scales)
        {
            scales = new Scales();
            scales.priceScale = priceScale;
            scales.sizeScale = sizeScale;
            bySymbol.put(symbol, scales);
        }
        scales.priceScale = Math.max(scales.priceScale, priceScale);
        scales.sizeScale = Math.max(scales.sizeScale, sizeScale);
        scales.pairs.putIfAbsent(pair(priceScale, sizeScale), segment);
    }

    public boolean contains(final String symbol)
    {
        return bySymbol.containsKey(symbol);
    }

    /**
     * The largest price scale the symbol is defined with: every one of its prices fits it exactly.
     */
    public int priceScale(final String symbol)
    {
        return bySymbol.get(symbol).priceScale;
    }

    public int sizeScale(final String symbol)
    {
        return bySymbol.get(symbol).sizeScale;
    }

    /**
     * One line per symbol defined with more than one pair of scales: {@code X is defined with priceScale 1,
     * sizeScale 0 (segment-000001.tkr) and priceScale 2, sizeScale 0 (segment-000002.tkr); replay sends it at
     * priceScale 2, sizeScale 0, its other values multiplied up exactly}.
     */
    public List<String> conflicts()
    {
        final List<String> lines = new ArrayList<>();
        for (final Map.Entry<String, Scales> entry : bySymbol.entrySet())
        {
            final Scales scales = entry.getValue();
            if (scales.pairs.size() < 2)
            {
                continue;
            }
            final StringBuilder line = new StringBuilder(entry.getKey()).append(" is defined with ");
            String separator = "";
            for (final Map.Entry<String, Path> pair : scales.pairs.entrySet())
            {
                line.append(separator).append(pair.getKey()).append(" (").append(pair.getValue().getFileName())
                    .append(')');
                separator = " and ";
            }
            lines.add(line.append("; replay sends it at ").append(pair(scales.priceScale, scales.sizeScale))
                .append(", its other values multiplied up exactly").toString());
        }
        return lines;
    }

    private static String pair(final int priceScale, final int sizeScale)
    {
        return "priceScale " + priceScale + ", sizeScale " + sizeScale;
    }
}

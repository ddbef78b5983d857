package io.tickgate.simulator.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Exchange WebSocket captures, one frame a line: {@code RECEIVE_EPOCH_SECONDS: JSON}. Lines starting with
 * {@code wss://} are the recorder's own metadata and blank lines are skipped; the receive time becomes each
 * tick's recorded time, so a replay keeps the capture's pace. What a frame means is the {@link Adapter}'s call.
 * <p>
 * Not thread-safe; one importing thread.
 */
final class CaptureImporter implements MarketDataImporter
{
    /** Turns one received frame into quotes and trades. */
    interface Adapter
    {
        void onFrame(JsonNode frame, long receivedNs, ImportBuffer buffer);
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final Adapter adapter;

    CaptureImporter(final Adapter adapter)
    {
        this.adapter = adapter;
    }

    @Override
    public void read(final List<Path> files, final ImportBuffer buffer, final LongConsumer bytesRead)
        throws IOException
    {
        long done = 0;
        for (final Path file : files)
        {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
            {
                String line;
                int lineNumber = 0;
                while (null != (line = in.readLine()))
                {
                    lineNumber++;
                    done += line.length() + 1;
                    if (line.isBlank() || line.startsWith("wss://"))
                    {
                        continue;
                    }
                    final int split = line.indexOf(": ");
                    try
                    {
                        if (split < 0)
                        {
                            throw new IllegalArgumentException("no 'TIME: ' prefix");
                        }
                        final long receivedNs = ImportBuffer.parse(line, 0, split, 9);
                        adapter.onFrame(mapper.readTree(line.substring(split + 2)), receivedNs, buffer);
                    }
                    catch (final IOException | RuntimeException ex)
                    {
                        throw new IllegalArgumentException(file.getFileName() + " line " + lineNumber + ": " +
                            ex.getMessage());
                    }
                    if (0 == (lineNumber & 0x3FF))
                    {
                        bytesRead.accept(done);
                    }
                }
            }
        }
        bytesRead.accept(done);
    }

    /**
     * Epoch nanoseconds from an ISO-8601 instant ("2021-04-17T16:43:37.270697Z"), 0 when absent.
     */
    static long isoNs(final JsonNode node)
    {
        if (null == node || !node.isTextual())
        {
            return 0;
        }
        final java.time.Instant instant = java.time.Instant.parse(node.asText());
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /**
     * Epoch nanoseconds from epoch milliseconds, 0 when absent.
     */
    static long millisNs(final JsonNode node)
    {
        return null == node || !node.isNumber() ? 0 : node.asLong() * 1_000_000L;
    }
}

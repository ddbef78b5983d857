package io.tickgate.gateway;

import io.tickgate.simulator.TickSink;
import io.tickgate.simulator.recording.RecordingDescriptor;
import io.tickgate.simulator.recording.RecordingReader;
import io.tickgate.simulator.recording.Replayer;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real gateway process recording an embedded simulator's feed is killed with SIGKILL; what it leaves must be
 * readable and replayable up to the last complete record, and a restart must add a new segment beside it.
 */
class RecordingCrashSystemTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldLeaveReadableAndReplayableJournalWhenKilledWhileRecording() throws Exception
    {
        final Path dir = tmp.resolve("crash");
        final Process gateway = startRecordingGateway(dir);
        try
        {
            // Reading the journal is the only way to see progress; every 100 ms is plenty and spares a loaded host.
            Tests.await(Duration.ofSeconds(60), () ->
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                return countTicks(dir)[0] >= 10_000;
            }, () -> "the child gateway recorded too little: " + countTicks(dir)[0] + "; output:\n" + output(gateway));
        }
        finally
        {
            gateway.destroyForcibly();
            assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(gateway.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        final long[] read = countTicks(dir);
        assertThat(read[0]).isGreaterThanOrEqualTo(10_000);
        assertThat(read[1]).as("definitions").isGreaterThanOrEqualTo(1);

        final long[] replayed = new long[1];
        final Replayer replayer = new Replayer(dir, new TickSink()
        {
            public void onDefinition(final int id, final String symbol, final int priceScale, final int sizeScale)
            {
            }

            public void onQuote(final int id, final long bid, final long bidSize, final long ask, final long askSize,
                final long exchangeTimeNs)
            {
                replayed[0]++;
            }

            public void onTrade(final int id, final long price, final long size, final long exchangeTimeNs)
            {
                replayed[0]++;
            }
        }, 0, 0, 0, SystemNanoClock.INSTANCE, TimeUnit.SECONDS.toNanos(5));
        replayer.onStart();
        while (!replayer.isDone())
        {
            replayer.doWork();
        }
        replayer.onClose();
        assertThat(replayer.failure()).isNull();
        assertThat(replayed[0]).isEqualTo(read[0]);
    }

    /**
     * {quotes and trades, definitions} readable now; damage would throw and fail the test.
     */
    private static long[] countTicks(final Path dir)
    {
        try
        {
            if (RecordingDescriptor.segments(dir).isEmpty())
            {
                return new long[2];
            }
        }
        catch (final IOException ex)
        {
            return new long[2];
        }
        final long[] counts = new long[2];
        try (RecordingReader reader = RecordingReader.open(dir))
        {
            byte type;
            while (RecordingReader.END != (type = reader.next()))
            {
                counts[RecordingDescriptor.TYPE_DEFINITION == type ? 1 : 0]++;
            }
        }
        return counts;
    }

    private Process startRecordingGateway(final Path dir) throws IOException
    {
        final List<String> command = Tests.tickgateCommand(List.of("gateway", "--bind", "127.0.0.1", "--http-port", "0",
            "--feed-port", "0", "--simulate", "20", "--simulate-rate", "50000", "--record", dir.toString()));
        return new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("gateway.log").toFile())
            .start();
    }

    private String output(final Process gateway)
    {
        try
        {
            return Files.readString(tmp.resolve("gateway.log"));
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}

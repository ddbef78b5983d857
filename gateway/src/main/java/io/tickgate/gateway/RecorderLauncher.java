package io.tickgate.gateway;

import io.tickgate.gateway.recording.Recorder;
import io.tickgate.gateway.recording.RecorderIdleStrategy;
import io.tickgate.gateway.symbols.SymbolRegistry;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.file.Path;

/**
 * Builds the recorder's runner. Kept out of {@link Gateway} so that a gateway without {@code --record} never
 * loads the recorder, and through it Chronicle.
 */
final class RecorderLauncher
{
    private RecorderLauncher()
    {
    }

    static AgentRunner runner(
        final RingBuffer ring,
        final SymbolRegistry registry,
        final Path dir,
        final AtomicCounter recorded,
        final AtomicCounter dropped,
        final long parkNs,
        final ErrorHandler errorHandler,
        final Gateway gateway)
    {
        final Recorder recorder = new Recorder(ring, registry, dir, recorded, dropped, Recorder.READ_LIMIT_DEFAULT);
        gateway.recorder(recorder);
        return new AgentRunner(
            new RecorderIdleStrategy(parkNs, recorder.readLimit()), errorHandler, null, recorder);
    }
}

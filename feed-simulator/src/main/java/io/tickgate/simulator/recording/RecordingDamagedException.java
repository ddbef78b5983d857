package io.tickgate.simulator.recording;

import java.nio.file.Path;

/**
 * A recording's bytes are not what the writer wrote: cut short inside a record, or changed. Everything before
 * {@link #offset()} of {@link #file()} was read; nothing at or after it is trusted.
 */
public final class RecordingDamagedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public RecordingDamagedException(final Path file, final long offset, final String reason)
    {
        super("damaged recording " + file + " at offset " + offset + ": " + reason, null, false, false);
        this.file = file;
        this.offset = offset;
    }

    public Path file()
    {
        return file;
    }

    public long offset()
    {
        return offset;
    }
}

/**
 * Recordings (docs/recording.md): the journal format on Chronicle Wire ({@code RecordingDescriptor}, written by
 * {@code RecordingWriter}, read by {@code RecordingReader}), the importers of real market-data files into it, the
 * {@code Replayer} agent that plays one into a {@code TickSink} at a chosen speed (role tickgate-replay), and the
 * inspector.
 * <p>
 * Every object here has one owning thread: the importing or inspecting thread, tickgate-recorder for a gateway's
 * writer, tickgate-replay (or the {@code replay} command's main thread) for a replayer. Chronicle's mapped bytes
 * insist on it, so writers and readers are opened on the thread that uses them. Other threads only read a
 * replayer's volatile counters. Loading any class that touches Chronicle happens only when recording or
 * replaying.
 */
package io.tickgate.simulator.recording;

/**
 * Recordings (docs/recording.md): the journal format on Chronicle Wire ({@code RecordingDescriptor}, written by
 * {@code RecordingWriter}, read by {@code RecordingReader}), the importers of real market-data files into it, the
 * {@code Replayer} agent that plays one into a {@code TickSink} at a chosen speed (role tickgate-replay) with the
 * {@code MaxSpeedPacer} that paces {@code --speed max}, and the inspector.
 * <p>
 * Every object here has one owning thread: the importing or inspecting thread, tickgate-recorder for a gateway's
 * writer (built on the gateway's starting thread, used only by tickgate-recorder once it runs), tickgate-replay
 * (or the {@code replay} command's main thread) for a replayer and its pacer. A reader's mapping (Chronicle's
 * mapped bytes) is opened on the thread that reads it. Other threads only read a replayer's volatile counters.
 * Loading any class that touches Chronicle happens only when recording or replaying.
 */
package io.tickgate.simulator.recording;

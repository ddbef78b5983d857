/**
 * {@code perf/run-side-by-side}: runs Tickgate and its peers (Bun, Node {@code ws}) one after another under the same
 * simulated feed and the same load generator, samples their CPU, memory, feed drops and write syscalls from procfs
 * (and {@code perf stat} where it may), and writes per-run JSON, the load generator's {@code .hlog} files, an HTML
 * report and {@code results.json}.
 * <p>
 * {@link io.tickgate.perf.sidebyside.SideBySide} loops over scenarios and servers and writes the results; each
 * {@link io.tickgate.perf.sidebyside.ServerRun} is one server under one scenario.
 * <p>
 * The runner's main thread owns every run; each child process (server, simulator, load generator) has a daemon
 * thread copying its standard output to a file, and {@link io.tickgate.perf.sidebyside.ResourceSampler} one thread
 * reading procfs once a second during the measured window. A shutdown hook stops whatever children are still alive.
 */
package io.tickgate.perf.sidebyside;

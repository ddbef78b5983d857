/**
 * Owns the gateway's journal of ingested ticks ({@code --record DIR}): the {@link
 * io.tickgate.gateway.recording.Recorder} agent, on its own thread tickgate-recorder, is the only writer of the
 * recording; feed sources reach it through the recording ring, a best-effort copy of each ingress record that
 * never makes them wait. Only loaded with {@code --record}, so a gateway without it never loads Chronicle.
 */
package io.tickgate.gateway.recording;

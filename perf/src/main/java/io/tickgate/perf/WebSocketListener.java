package io.tickgate.perf;

import org.agrona.MutableDirectBuffer;

/**
 * What {@link WebSocketFrameParser} found in the bytes a server sent. The buffer is only valid during the call.
 */
interface WebSocketListener
{
    /**
     * A whole message: one unfragmented data frame, or the reassembled fragments of one.
     */
    void onMessage(boolean binary, MutableDirectBuffer buffer, int offset, int length);

    void onPing(MutableDirectBuffer buffer, int offset, int length);

    void onPong(MutableDirectBuffer buffer, int offset, int length);

    /**
     * @param code the close code, or 1005 when the frame carried none.
     */
    void onClose(int code);

    /**
     * The server broke RFC 6455; the parser stops and the connection should be dropped.
     */
    void onProtocolError(String reason);
}

package io.tickgate.perf;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator's reading of a server's text replies and upgrade answers, against {@link ScriptedWebSocketServer}
 * on a real socket: any valid JSON spelling of a reply counts, and what went wrong is said in words that name it.
 */
class LoadGeneratorRepliesTest
{
    private static final int SID = 7;

    @Test
    void shouldLearnSidsAndCountRejectionsFromRepliesWrittenWithWhitespace() throws Exception
    {
        try (ScriptedWebSocketServer server = new ScriptedWebSocketServer(peer ->
        {
            peer.upgrade();
            peer.read();
            // Python's json.dumps spelling: a space after every colon and comma.
            peer.sendText("{\"op\": \"subscribed\", \"id\": 1, \"symbols\": [{\"symbol\": \"AAA\", \"sid\": " + SID +
                "}], \"rejected\": [{\"symbol\": \"BBB\", \"code\": \"unknown_symbol\"}]}");
            peer.sendText("{ \"op\" : \"error\", \"code\": \"bad_request\", \"message\": \"late\" }");
            peer.sendText("not json at all");
            peer.sendBinary(ScriptedWebSocketServer.updateFrame(1, SID, 1));
            peer.sendBinary(ScriptedWebSocketServer.updateFrame(2, SID, 2));
            peer.closeWhenAsked();
        }))
        {
            final StringWriter log = new StringWriter();
            final LoadGenerator generator = peerGenerator(server.port(), log);

            generator.run(null);

            assertThat(server.failure()).as("the scripted server failed").isNull();
            assertThat(generator.subscribedReplies).as(log.toString()).isEqualTo(1);
            assertThat(generator.rejectedSymbols).isEqualTo(1);
            assertThat(generator.errorReplies).isEqualTo(1);
            assertThat(generator.protocolErrors).isZero();
            assertThat(generator.recorder().unexpectedSids).isZero();
            assertThat(generator.recorder().entries).isEqualTo(2);
            assertThat(log.toString()).contains("subscribe partly rejected", "server replied");
        }
    }

    private static LoadGenerator peerGenerator(final int port, final StringWriter log)
    {
        // Sids unknown (-1) as against a peer that lists no symbols: only the subscribed reply can tell them.
        final SubscriptionPlan plan = new SubscriptionPlan(
            List.of(new SubscriptionPlan.SymbolRef("AAA", -1), new SubscriptionPlan.SymbolRef("BBB", -1)), 1, 2);
        return new LoadGenerator(new LoadTestSettings("127.0.0.1", port, "/ws", 1, 2, 2,
            TimeUnit.SECONDS.toNanos(1), 0), plan, new PrintWriter(log));
    }
}

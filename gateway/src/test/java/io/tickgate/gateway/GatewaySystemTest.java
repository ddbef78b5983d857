package io.tickgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.protocol.FrameDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client guarantees of PROTOCOL.md 1.4, end to end: a real gateway on loopback, a real UDP feed, real
 * WebSocket clients.
 */
class GatewaySystemTest
{
    private GatewayFixture fixture;
    private Gateway gateway;
    private TestFeed feed;

    /**
     * The gateway set-up every test here starts from; a subclass runs the same tests on another set-up.
     */
    protected Gateway.Context configure(final Gateway.Context ctx)
    {
        return ctx;
    }

    private void start(final UnaryOperator<Gateway.Context> settings)
    {
        fixture = GatewayFixture.launch(ctx -> settings.apply(configure(ctx)));
        gateway = fixture.gateway;
        feed = fixture.feed;
    }

    private void start()
    {
        start(ctx -> ctx);
    }

    private TestClient client()
    {
        return fixture.client();
    }

    @AfterEach
    void tearDown()
    {
        if (null != fixture)
        {
            try
            {
                assertThat(fixture.metric("tickgate_errors_total")).as("errors on the gateway's threads").isZero();
            }
            finally
            {
                fixture.close();
            }
        }
    }

    @Test
    void shouldStopPromptlyWhileASourceWaitsOnAFullRing()
    {
        // An embedded source far faster than the IO thread drains the smallest ring: it waits on the ring whenever
        // the gateway is stopped.
        start(ctx -> ctx.feedPort(-1).simulatorSymbols(50).simulatorRate(50_000_000).ringCapacity(64 * 1024));
        Tests.await(Duration.ofSeconds(10), () -> fixture.metric("tickgate_ring_full_total") > 0,
            () -> "the ring never filled");
        final GatewayFixture stopping = fixture;
        fixture = null;
        final long startNs = System.nanoTime();
        stopping.close();
        // A source stopped after the ring's consumer waited for room until its runner gave up after 5 s and
        // interrupted it, logging an error; stopping takes the close grace (2 s) at most here.
        assertThat(Duration.ofNanos(System.nanoTime() - startNs)).isLessThan(Duration.ofSeconds(4));
    }

    private void awaitSymbol(final String symbol)
    {
        fixture.awaitSymbol(symbol);
    }

    private int sid(final String symbol)
    {
        return fixture.sid(symbol);
    }

    private void awaitSeq(final String symbol, final long seq)
    {
        fixture.awaitSeq(symbol, seq);
    }

    @Test
    void shouldSendSubscribedThenSnapshotFirstWithCurrentValues()
    {
        start();
        feed.define(1, "AAPL", 4, 0).define(2, "MSFT", 4, 0);
        awaitSymbol("AAPL");
        awaitSymbol("MSFT");
        feed.quote(1, 1_890_000, 100, 1_890_100, 200).trade(1, 1_890_050, 7).flush();
        awaitSeq("AAPL", 2);

        final TestClient client = client();
        final long id = client.subscribe("AAPL", "MSFT", "NOPE");
        final JsonNode reply = client.awaitReply(id);
        assertThat(reply.get("op").asText()).isEqualTo("subscribed");
        assertThat(reply.get("symbols")).hasSize(2);
        assertThat(reply.get("symbols").get(0).get("symbol").asText()).isEqualTo("AAPL");
        assertThat(reply.get("symbols").get(0).get("sid").asInt()).isEqualTo(sid("AAPL"));
        assertThat(reply.get("symbols").get(0).get("priceScale").asInt()).isEqualTo(4);
        assertThat(reply.get("rejected").get(0).get("symbol").asText()).isEqualTo("NOPE");
        assertThat(reply.get("rejected").get(0).get("reason").asText()).isEqualTo("UNKNOWN_SYMBOL");
        // A name no symbol could have is repeated cut short: a reply never grows with the text-message limit.
        final String huge = "X".repeat(20_000);
        final JsonNode hugeReply = client.awaitReply(client.subscribe(huge, "Y".repeat(64)));
        assertThat(hugeReply.get("rejected").get(0).get("symbol").asText()).isEqualTo("X".repeat(64) + "...");
        assertThat(hugeReply.get("rejected").get(1).get("symbol").asText()).isEqualTo("Y".repeat(64));

        Tests.await(Duration.ofSeconds(5), () -> !client.frames.isEmpty(), () -> "no snapshot");
        final int replyIndex = client.messages.indexOf(reply);
        final Object next = client.messages.get(replyIndex + 1);
        assertThat(next).isInstanceOf(TestClient.Frame.class);
        final TestClient.Frame snapshot = (TestClient.Frame)next;
        assertThat(snapshot.kind()).isEqualTo(FrameDescriptor.KIND_SNAPSHOT);
        assertThat(snapshot.version()).isEqualTo(1);
        assertThat(snapshot.frameSeq()).isEqualTo(1);
        assertThat(snapshot.entries()).hasSize(1);
        final TestClient.Entry aapl = snapshot.entries().get(0);
        assertThat(aapl.sid()).isEqualTo(sid("AAPL"));
        assertThat(aapl.bidPrice()).isEqualTo(1_890_000);
        assertThat(aapl.askSize()).isEqualTo(200);
        assertThat(aapl.lastPrice()).isEqualTo(1_890_050);
        assertThat(aapl.lastSize()).isEqualTo(7);
        assertThat(aapl.flags() & (FrameDescriptor.FLAG_QUOTE | FrameDescriptor.FLAG_TRADE)).isEqualTo(3);
        assertThat(aapl.seq()).isEqualTo(2);
        assertThat(aapl.conflated()).isEqualTo(1);
    }

    @Test
    void shouldNumberFramesConsecutivelyAndKeepSeqIncreasingPerSymbol()
    {
        start();
        feed.define(1, "AAPL", 4, 0).define(2, "MSFT", 4, 0);
        awaitSymbol("MSFT");
        final TestClient client = client();
        client.awaitReply(client.subscribe("AAPL", "MSFT"));

        for (int i = 0; i < 2_000; i++)
        {
            feed.quote(1 + (i & 1), 1_000 + i, 10, 1_001 + i, 10);
            if (0 == i % 7)
            {
                feed.flush();
            }
        }
        feed.flush();
        awaitSeq("MSFT", 1_000);
        Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid("MSFT")) &&
            client.latest(sid("MSFT")).bidPrice() == 1_000 + 1_999, () -> "last MSFT quote never arrived");

        final List<TestClient.Frame> frames = client.frames;
        for (int i = 0; i < frames.size(); i++)
        {
            assertThat(frames.get(i).frameSeq()).as("frameSeq of frame %d", i).isEqualTo(i + 1);
        }
        for (final String symbol : new String[] { "AAPL", "MSFT" })
        {
            long previous = 0;
            for (final TestClient.Entry entry : client.entries(sid(symbol)))
            {
                assertThat(entry.seq()).as(symbol + " seq").isGreaterThan(previous);
                previous = entry.seq();
            }
        }
    }

    @Test
    void shouldEndOnLastQuoteAndAccountForEveryTickAfterBurst()
    {
        start();
        feed.define(1, "BURST", 2, 0);
        awaitSymbol("BURST");
        final TestClient client = client();
        client.awaitReply(client.subscribe("BURST"));

        final int ticks = 10_000;
        for (int i = 1; i <= ticks; i++)
        {
            feed.quote(1, i, i, i + 1, i);
        }
        feed.flush();
        awaitSeq("BURST", ticks);
        Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid("BURST")) &&
            client.latest(sid("BURST")).seq() == ticks, () -> "client never got seq " + ticks);

        final TestClient.Entry last = client.latest(sid("BURST"));
        assertThat(last.bidPrice()).isEqualTo(ticks);
        assertThat(last.askPrice()).isEqualTo(ticks + 1);
        assertThat(last.bidSize()).isEqualTo(ticks);
        assertThat(GatewayFixture.accounted(client.entries(sid("BURST")))).isEqualTo(ticks);
        assertThat(gateway.metrics().scrape()).contains("tickgate_feed_gaps_total{source=\"udp\"} 0.0");
    }

    /**
     * One tick wakes every subscriber of its symbol at once; an IO thread flushes the sessions it is handed in
     * batches (16 sessions), so more subscribers than one batch holds must all end on the last value, each tick
     * accounted for. The heartbeat, which also flushes what is pending, is set far beyond the wait, so only the
     * wake-up path can deliver.
     */
    @Test
    void shouldBringEverySubscriberToTheLastValueWhenMoreAreWokenAtOnceThanOneBatch()
    {
        start(ctx -> ctx.heartbeatNs(TimeUnit.MINUTES.toNanos(10)));
        feed.define(1, "FANOUT", 2, 0);
        awaitSymbol("FANOUT");
        final int subscribers = 3 * 16 + 5;
        final List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < subscribers; i++)
        {
            final TestClient client = client();
            client.awaitReply(client.subscribe("FANOUT"));
            clients.add(client);
        }

        final int ticks = 2_000;
        for (int i = 1; i <= ticks; i++)
        {
            feed.quote(1, i, i, i + 1, i);
            if (0 == i % 100)
            {
                feed.flush();
            }
        }
        feed.flush();
        awaitSeq("FANOUT", ticks);
        final int sid = sid("FANOUT");
        for (final TestClient client : clients)
        {
            Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid) && client.latest(sid).seq() == ticks,
                () -> "a subscriber never got seq " + ticks);
            assertThat(client.latest(sid).bidPrice()).isEqualTo(ticks);
            assertThat(GatewayFixture.accounted(client.entries(sid))).isEqualTo(ticks);
        }
    }

    @Test
    void shouldSendNoEntryForSymbolAfterUnsubscribedReply()
    {
        start();
        feed.define(1, "AAPL", 4, 0).define(2, "MSFT", 4, 0);
        awaitSymbol("MSFT");
        final TestClient client = client();
        client.awaitReply(client.subscribe("AAPL", "MSFT"));
        feed.quote(1, 1, 1, 2, 1).quote(2, 1, 1, 2, 1).flush();
        awaitSeq("MSFT", 1);

        final JsonNode reply = client.awaitReply(client.unsubscribe("AAPL"));
        assertThat(reply.get("op").asText()).isEqualTo("unsubscribed");
        assertThat(reply.get("symbols").get(0).asText()).isEqualTo("AAPL");
        for (int i = 0; i < 100; i++)
        {
            feed.quote(1, 10 + i, 1, 20 + i, 1).quote(2, 10 + i, 1, 20 + i, 1);
        }
        feed.flush();
        awaitSeq("MSFT", 101);
        Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid("MSFT")) &&
            client.latest(sid("MSFT")).seq() == 101, () -> "MSFT updates stopped too");

        final int replyIndex = client.messages.indexOf(reply);
        for (final Object message : client.messages.subList(replyIndex + 1, client.messages.size()))
        {
            if (message instanceof TestClient.Frame frame)
            {
                assertThat(frame.entries()).noneMatch(entry -> entry.sid() == sid("AAPL"));
            }
        }
    }

    @Test
    void shouldThrottleEntriesPerSymbolAndStillEndOnLastValue()
    {
        start();
        feed.define(1, "THR", 4, 0);
        awaitSymbol("THR");
        final TestClient client = client();
        client.awaitReply(client.request("throttle", "\"maxRateHz\":2"));
        client.awaitReply(client.subscribe("THR"));

        final long startNs = System.nanoTime();
        long price = 0;
        while (System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5))
        {
            feed.quote(1, ++price, 1, price + 1, 1).flush();
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
        final long lastPrice = price;
        awaitSeq("THR", lastPrice);
        Tests.await(Duration.ofSeconds(5), () -> null != client.latest(sid("THR")) &&
            client.latest(sid("THR")).bidPrice() == lastPrice, () -> "throttled client never got the last value");

        final List<TestClient.Frame> updates = client.frames.stream()
            .filter(frame -> frame.kind() == FrameDescriptor.KIND_UPDATE && !frame.entries().isEmpty()).toList();
        // 2 Hz over ~5 s of feed plus the final catch-up: never more than one entry per half second.
        assertThat(updates.size()).isBetween(5, 13);
        for (int i = 1; i < updates.size(); i++)
        {
            final long gapMs = (updates.get(i).receivedNs() - updates.get(i - 1).receivedNs()) / 1_000_000;
            assertThat(gapMs).as("gap between throttled entries").isGreaterThanOrEqualTo(400);
        }
        assertThat(GatewayFixture.accounted(client.entries(sid("THR")))).isEqualTo(lastPrice);
    }

    /**
     * A value a throttled session holds back because the client asked for at most 1 Hz is not gateway latency:
     * tick-to-wire counts from when the value was both new and allowed out, so a healthy gateway serving
     * throttled trading UIs does not look slow to its operators (TickgateTickToWireP99High).
     */
    @Test
    void shouldNotCountTheThrottlesHoldAsTickToWireLatency() throws InterruptedException
    {
        start();
        feed.define(1, "HLD", 4, 0);
        awaitSymbol("HLD");
        final TestClient client = client();
        client.awaitReply(client.request("throttle", "\"maxRateHz\":1"));
        client.awaitReply(client.subscribe("HLD"));
        final String count = "tickgate_latency_tick_to_wire_seconds_count";

        feed.quote(1, 1, 1, 2, 1).flush();
        Tests.await(Duration.ofSeconds(5), () -> null != client.latest(sid("HLD")) &&
            client.latest(sid("HLD")).bidPrice() == 1, () -> "first quote not sent at once");
        feed.quote(1, 2, 1, 3, 1).flush();
        awaitSeq("HLD", 2);
        final long queuedNs = System.nanoTime();
        Tests.await(Duration.ofSeconds(5), () -> client.latest(sid("HLD")).bidPrice() == 2,
            () -> "held quote never sent");
        assertThat(System.nanoTime() - queuedNs).as("the throttle held the second quote")
            .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(600));
        Tests.await(Duration.ofSeconds(5), () -> fixture.metric(count) >= 2, () -> "tick-to-wire count " +
            fixture.metric(count));
        Thread.sleep(1_500);
        assertThat(fixture.metric("tickgate_latency_tick_to_wire_window_seconds{quantile=\"1.0\"}"))
            .as("the second of hold is the client's, not the gateway's").isLessThan(0.4);
    }

    @Test
    void shouldSendHeartbeatAfterIdle()
    {
        start(ctx -> ctx.heartbeatNs(TimeUnit.MILLISECONDS.toNanos(200)));
        final TestClient client = client();
        client.awaitReply(client.request("ping", ""));
        Tests.await(Duration.ofSeconds(5), () -> client.frames.stream()
            .anyMatch(frame -> frame.kind() == FrameDescriptor.KIND_HEARTBEAT), () -> "no heartbeat");
        final TestClient.Frame heartbeat = client.frames.get(0);
        assertThat(heartbeat.kind()).isEqualTo(FrameDescriptor.KIND_HEARTBEAT);
        assertThat(heartbeat.entries()).isEmpty();
        assertThat(heartbeat.frameSeq()).isEqualTo(1);
    }

    @Test
    void shouldFlagStaleWhenFeedStopsAndClearOnNextTick()
    {
        start(ctx -> ctx.staleAfterNs(TimeUnit.MILLISECONDS.toNanos(300)));
        feed.define(1, "STL", 4, 0);
        awaitSymbol("STL");
        final TestClient client = client();
        client.awaitReply(client.subscribe("STL"));
        feed.quote(1, 5, 1, 6, 1).flush();

        Tests.await(Duration.ofSeconds(5), () -> null != client.latest(sid("STL")) &&
            0 != (client.latest(sid("STL")).flags() & FrameDescriptor.FLAG_STALE), () -> "stale flag never set");
        final TestClient.Entry stale = client.latest(sid("STL"));
        assertThat(stale.bidPrice()).isEqualTo(5);
        assertThat(stale.seq()).isEqualTo(2);
        assertThat(stale.conflated()).isZero();

        feed.quote(1, 7, 1, 8, 1).flush();
        Tests.await(Duration.ofSeconds(5), () -> client.latest(sid("STL")).bidPrice() == 7, () -> "no new tick");
        assertThat(client.latest(sid("STL")).flags() & FrameDescriptor.FLAG_STALE).isZero();
        assertThat(client.latest(sid("STL")).seq()).isEqualTo(3);
    }

    /**
     * A symbol no instrument id names any more (its id given to another symbol) is frozen: stale at once, and still
     * stale after its source, quiet for a while, sends again; fresh once it is defined again and ticks.
     */
    @Test
    void shouldKeepASymbolNoIdNamesStaleUntilItIsDefinedAgainAndTicks()
    {
        start(ctx -> ctx.staleAfterNs(TimeUnit.MILLISECONDS.toNanos(300)));
        feed.define(1, "LIVE", 4, 0).define(2, "GONE", 4, 0);
        awaitSymbol("GONE");
        final TestClient client = client();
        client.awaitReply(client.subscribe("LIVE", "GONE"));
        feed.quote(1, 5, 1, 6, 1).quote(2, 50, 1, 60, 1).flush();
        Tests.await(Duration.ofSeconds(5), () -> client.latest(sid("GONE")) != null, () -> "no GONE entry");

        feed.define(2, "NEWER", 4, 0).quote(1, 7, 1, 8, 1).flush();
        Tests.await(Duration.ofSeconds(5), () -> isStale(client, "GONE"), () -> "GONE not marked stale");
        Tests.await(Duration.ofSeconds(5), () -> isStale(client, "LIVE"), () -> "the source never went quiet");
        feed.quote(1, 9, 1, 10, 1).flush();
        Tests.await(Duration.ofSeconds(5), () -> client.latest(sid("LIVE")).bidPrice() == 9, () -> "no new tick");
        assertThat(isStale(client, "LIVE")).isFalse();
        assertThat(isStale(client, "GONE")).as("its source is back, but nothing names it").isTrue();

        feed.define(3, "GONE", 4, 0).quote(3, 51, 1, 61, 1).flush();
        Tests.await(Duration.ofSeconds(5), () -> client.latest(sid("GONE")).bidPrice() == 51, () -> "GONE not back");
        assertThat(isStale(client, "GONE")).isFalse();
    }

    /**
     * The stale bit says the feed for the symbol is down (PROTOCOL.md 1.3): once its source sends again, a symbol of
     * that source that has not ticked itself is fresh too, and hears so as an entry of its own.
     */
    @Test
    void shouldClearStaleOfEverySymbolOfASourceOnceItSendsAgain() throws InterruptedException
    {
        start(ctx -> ctx.staleAfterNs(TimeUnit.MILLISECONDS.toNanos(300)));
        feed.define(1, "LIVE", 4, 0).define(2, "QUIET", 4, 0);
        awaitSymbol("QUIET");
        final TestClient client = client();
        client.awaitReply(client.subscribe("LIVE", "QUIET"));
        feed.quote(1, 5, 1, 6, 1).quote(2, 50, 1, 60, 1).flush();
        Tests.await(Duration.ofSeconds(5), () -> isStale(client, "LIVE") && isStale(client, "QUIET"),
            () -> "stale flags never set");
        final TestClient.Entry quietStale = client.latest(sid("QUIET"));

        feed.quote(1, 7, 1, 8, 1).flush();

        Tests.await(Duration.ofSeconds(5), () -> !isStale(client, "QUIET"), () -> "QUIET still stale");
        final TestClient.Entry quietFresh = client.latest(sid("QUIET"));
        assertThat(quietFresh.bidPrice()).isEqualTo(50);
        assertThat(quietFresh.exchangeTime()).isEqualTo(quietStale.exchangeTime());
        assertThat(quietFresh.ingestTime()).isEqualTo(quietStale.ingestTime());
        assertThat(quietFresh.seq()).isEqualTo(quietStale.seq() + 1);
        assertThat(quietFresh.conflated()).isZero();
        Tests.await(Duration.ofSeconds(5), () -> client.latest(sid("LIVE")).bidPrice() == 7, () -> "no new tick");
        assertThat(isStale(client, "LIVE")).isFalse();
        // Only ticks have a tick-to-wire time (the two first quotes and LIVE's): QUIET's entry repeats an old ingest
        // time. The histogram is published once a second, so wait for the three, then for one more publication.
        final String count = "tickgate_latency_tick_to_wire_seconds_count";
        Tests.await(Duration.ofSeconds(5), () -> fixture.metric(count) >= 3, () -> "tick-to-wire count " +
            fixture.metric(count));
        Thread.sleep(1_500);
        assertThat(fixture.metric(count)).isEqualTo(3);
        assertThat(fixture.metric("tickgate_latency_tick_to_wire_window_seconds{quantile=\"1.0\"}"))
            .as("no entry's tick-to-wire spans the quiet spell").isLessThan(0.3);
    }

    /**
     * docs/protocol.md 1.2: past the session's subscription limit the names are rejected one by one with
     * LIMIT_EXCEEDED, the rest accepted; a name twice in one request counts once.
     */
    @Test
    void shouldRejectNamesPastTheSubscriptionLimitOneByOne()
    {
        start(ctx -> ctx.maxSubscriptions(2));
        feed.define(1, "AAA", 4, 0).define(2, "BBB", 4, 0).define(3, "CCC", 4, 0);
        awaitSymbol("CCC");
        final TestClient client = client();

        final JsonNode first = client.awaitReply(client.subscribe("AAA", "AAA", "BBB", "CCC"));

        assertThat(first.get("op").asText()).as(first.toString()).isEqualTo("subscribed");
        assertThat(first.get("symbols").findValuesAsText("symbol")).containsExactly("AAA", "BBB");
        assertThat(first.get("rejected").toString()).isEqualTo("[{\"symbol\":\"CCC\",\"reason\":\"LIMIT_EXCEEDED\"}]");
        final JsonNode again = client.awaitReply(client.subscribe("BBB", "CCC"));
        assertThat(again.get("symbols").findValuesAsText("symbol")).containsExactly("BBB");
        assertThat(again.get("rejected").findValuesAsText("reason")).containsExactly("LIMIT_EXCEEDED");
    }

    /**
     * CLI.md: /api/symbols lists every known symbol with its sid, scales and latest value; what a WebSocket client
     * holds for the same symbol at the same seq, and which halves are present.
     */
    @Test
    void shouldListSymbolsWithTheirLatestValuesOnApiSymbols() throws Exception
    {
        start();
        feed.define(1, "QOT", 4, 0).define(2, "TRD", 2, 3).define(3, "NON", 4, 0);
        awaitSymbol("NON");
        feed.quote(1, 101, 5, 102, 6).trade(2, 777, 9).flush();
        fixture.awaitSeq("TRD", 1);
        fixture.awaitSeq("QOT", 1);

        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + fixture.gateway.httpAddress().getPort() + "/api/symbols"))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
            type -> assertThat(type).startsWith("application/json"));
        final Map<String, JsonNode> bySymbol = new HashMap<>();
        new ObjectMapper().readTree(response.body()).forEach(node -> bySymbol.put(node.get("symbol").asText(), node));
        assertThat(bySymbol).containsOnlyKeys("QOT", "TRD", "NON");
        final JsonNode quoted = bySymbol.get("QOT");
        assertThat(quoted.get("sid").asInt()).isEqualTo(sid("QOT"));
        assertThat(quoted.get("priceScale").asInt()).isEqualTo(4);
        assertThat(quoted.get("seq").asLong()).isEqualTo(1);
        assertThat(quoted.get("quote").asBoolean()).isTrue();
        assertThat(quoted.get("trade").asBoolean()).as("only quoted: no last trade, not one at 0").isFalse();
        assertThat(quoted.get("bidPrice").asLong()).isEqualTo(101);
        assertThat(quoted.get("askSize").asLong()).isEqualTo(6);
        assertThat(quoted.get("stale").asBoolean()).isFalse();
        final JsonNode traded = bySymbol.get("TRD");
        assertThat(traded.get("sizeScale").asInt()).isEqualTo(3);
        assertThat(traded.get("quote").asBoolean()).isFalse();
        assertThat(traded.get("trade").asBoolean()).isTrue();
        assertThat(traded.get("lastPrice").asLong()).isEqualTo(777);
        assertThat(traded.get("lastSize").asLong()).isEqualTo(9);
        assertThat(traded.get("ingestTime").asLong()).isPositive();
        final JsonNode none = bySymbol.get("NON");
        assertThat(none.get("seq").asLong()).isZero();
        assertThat(none.get("quote").asBoolean() || none.get("trade").asBoolean()).as("no value yet").isFalse();
    }

    private boolean isStale(final TestClient client, final String symbol)
    {
        final TestClient.Entry latest = client.latest(sid(symbol));
        return null != latest && 0 != (latest.flags() & FrameDescriptor.FLAG_STALE);
    }
}
